from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Курсы и ИОМ"

    def ready(self) -> None:
        from core.registry import school_section

        # The school page shows this app's section from the start; until the app holds
        # data for the school, the section says so plainly.
        school_section("training", "Обучение педагогов", "training/school/_section.html",
                       lambda user, school: {}, order=50)
