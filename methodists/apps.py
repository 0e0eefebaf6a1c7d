from django.apps import AppConfig


class MethodistsConfig(AppConfig):
    name = "methodists"
    verbose_name = "Региональный методический актив"

    def ready(self) -> None:
        from core.registry import home_section
        from core.roles import Role

        from . import sections

        home_section("methodist", "Моя работа в методическом активе",
                     "methodists/home/_methodist.html", sections.home_methodist,
                     roles=(Role.METHODIST,), order=50)
