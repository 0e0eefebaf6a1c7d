from django.apps import AppConfig


class RiskProfilesConfig(AppConfig):
    name = "risk_profiles"
    verbose_name = "Риск-профили"

    def ready(self) -> None:
        from core.registry import school_section

        # The school page shows this app's section from the start; until the app holds
        # data for the school, the section says so plainly.
        school_section("risks", "Риск-профиль", "risk_profiles/school/_section.html",
                       lambda user, school: {}, order=30)
