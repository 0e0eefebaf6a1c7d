from django.apps import AppConfig

#: What the audit log says for each of the contest's entries.
AUDIT_TEXTS = (
    ("contests.edition.created", "Создан конкурс"),
    ("contests.edition.changed", "Изменены сведения о конкурсе"),
    ("contests.edition.advanced", "Конкурс переведён на следующий этап"),
    ("contests.regulation.uploaded", "Загружено положение о конкурсе"),
    ("contests.nominations.loaded", "Номинации загружены из перечня"),
    ("contests.nomination.created", "Добавлена номинация"),
    ("contests.nomination.changed", "Изменена номинация"),
    ("contests.criterion.saved", "Сохранён критерий оценки"),
    ("contests.criterion.deleted", "Удалён критерий оценки"),
    ("contests.juror.added", "Методист включён в жюри"),
    ("contests.juror.chair_set", "Назначен председатель жюри номинации"),
    ("contests.juror.removed", "Методист исключён из жюри"),
    ("contests.assignment.created", "Член жюри назначен на заявку"),
    ("contests.assignment.removed", "Снято назначение члена жюри"),
    ("contests.assignments.auto", "Автоматическое назначение жюри"),
    ("contests.application.submitted", "Подана конкурсная заявка"),
    ("contests.application.changed", "Изменена конкурсная заявка"),
    ("contests.application.withdrawn", "Конкурсная заявка отозвана"),
    ("contests.material.uploaded", "Загружен материал заявки"),
    ("contests.material.removed", "Материал убран из заявки"),
    ("contests.review.saved", "Сохранён черновик оценки"),
    ("contests.review.submitted", "Оценка заявки отправлена"),
    ("contests.review.corrected", "Председатель жюри исправил оценку"),
    ("contests.application.result_set", "Решение по итогам: место / банк практик"),
    ("contests.practice.courses_set", "Практика включена в курсы"),
)


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = "Конкурс «Наша история успеха»"

    def ready(self) -> None:
        from core.audit import describe
        from core.notifications import notification_kind
        from core.registry import (
            agenda_source,
            course_section,
            home_section,
            nav_item,
            school_section,
        )
        from core.roles import Role

        from . import rules, sections

        rules.register()
        notification_kind("contests.review.assigned", "Назначены заявки на оценку в жюри конкурса",
                          group="Конкурс", roles=(Role.METHODIST,), order=500)
        notification_kind("contests.results.published", "Опубликованы итоги конкурса",
                          group="Конкурс", roles=(Role.SCHOOL_COORDINATOR,), order=501)
        nav_item("contests", "Конкурсы", "contests:edition_list", group="contest", order=66,
                 permission="contests.view_edition",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.CURATOR, Role.SCHOOL_COORDINATOR, Role.METHODIST))
        nav_item("practices", "Банк практик", "contests:bank", group="contest", order=67,
                 permission="contests.view_edition",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.CURATOR, Role.SCHOOL_COORDINATOR, Role.METHODIST))
        school_section("contests", "Конкурс «Наша история успеха»",
                       "contests/school/_section.html", sections.school_contests, order=60)
        course_section("practices", "Лучшие практики конкурса в программе курса",
                       "contests/course/_practices.html", sections.course_practices)
        nav_item("my_reviews", "Мои оценки заявок", "contests:my_reviews", group="contest",
                 order=68, roles=(Role.METHODIST,))
        agenda_source("jury", sections.agenda_jury, roles=(Role.METHODIST,), order=25)
        home_section("jury", "Экспертиза конкурсных заявок", "contests/home/_jury.html",
                     sections.home_jury, roles=(Role.METHODIST,), order=54)
        for code, text in AUDIT_TEXTS:
            describe(code, text)
