from django.apps import AppConfig


class MethodistsConfig(AppConfig):
    name = "methodists"
    verbose_name = "Региональный методический актив"
