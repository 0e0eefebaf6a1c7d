from django.apps import AppConfig


class RiskProfilesConfig(AppConfig):
    name = "risk_profiles"
    verbose_name = "Риск-профили"
