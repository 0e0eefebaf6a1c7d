from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты и документы"

    def ready(self) -> None:
        from core.registry import school_section

        # The school page shows this app's section from the start; until the app holds
        # data for the school, the section says so plainly.
        school_section("documents", "Документы и дорожная карта", "roadmaps/school/_section.html",
                       lambda user, school: {}, order=40)
