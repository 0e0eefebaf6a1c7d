from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = "Конкурс «Наша история успеха»"

    def ready(self) -> None:
        from core.registry import school_section

        # The school page shows this app's section from the start; until the app holds
        # data for the school, the section says so plainly.
        school_section("contests", "Конкурсы", "contests/school/_section.html",
                       lambda user, school: {}, order=60)
