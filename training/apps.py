from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Курсы и ИОМ"

    def ready(self) -> None:
        from core.audit import describe
        from core.registry import (
            home_section,
            methodist_section,
            nav_item,
            school_section,
            tutor_hold,
        )
        from core.roles import Role

        from . import importer, rules, sections  # noqa: F401  (the importer registers itself)

        rules.register()
        nav_item("training", "Курсы", "training:course_list", group="methodical", order=62,
                 permission="training.view_course",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.CURATOR, Role.SCHOOL_COORDINATOR))
        nav_item("training_coverage", "Охват обучением", "training:coverage",
                 group="monitoring", order=63,
                 permission="training.view_enrolment",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
        nav_item("routes", "ИОМ", "training:route_list", group="methodical", order=64,
                 permission="training.view_route",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.CURATOR,
                        Role.SCHOOL_COORDINATOR, Role.METHODIST))
        school_section("training", "Обучение педагогов", "training/school/_section.html",
                       sections.school_training, order=50)
        home_section("tutor", "Сопровождение ИОМ", "training/home/_tutor.html",
                     sections.home_tutor, roles=(Role.METHODIST,), order=52)
        methodist_section("routes", "Сопровождает ИОМ", "training/methodist/_routes.html",
                          sections.methodist_routes)
        tutor_hold("routes", sections.tutor_open_routes, "незавершённые ИОМ")
        describe("training.course.created", "Добавлен курс")
        describe("training.course.changed", "Изменён курс")
        describe("training.run.created", "Создан поток курса")
        describe("training.run.changed", "Изменены даты потока курса")
        describe("training.staff.created", "Педагог добавлен в кадровый список школы")
        describe("training.staff.changed", "Изменены сведения о педагоге")
        describe("training.enrolment.created", "Педагог записан на курс")
        describe("training.enrolment.changed", "Изменены сведения об обучении")
        describe("training.enrolments.completed", "Отмечено завершение обучения")
        describe("training.route.created", "Создан ИОМ")
        describe("training.route.tutor_set", "Назначен тьютор ИОМ")
        describe("training.route.finished", "ИОМ завершён")
        describe("training.deficit.added", "Добавлен профессиональный дефицит")
        describe("training.deficit.closed", "Дефицит преодолён")
        describe("training.step.added", "Добавлен шаг ИОМ")
        describe("training.step.done", "Шаг ИОМ выполнен")
        describe("training.note.added", "Заметка тьютора")
