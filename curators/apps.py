from django.apps import AppConfig


class CuratorsConfig(AppConfig):
    name = "curators"
    verbose_name = "Кураторы"

    def ready(self) -> None:
        from core.audit import describe
        from core.jobs import register_job_kind
        from core.notifications import notification_kind
        from core.queues import queue_page
        from core.registry import agenda_source, home_section, nav_item, school_section
        from core.roles import Role

        from . import importer, rules, sections  # noqa: F401  (the importer registers itself)
        from .reports import run_report_pdf

        rules.register()
        notification_kind("curators.sheet.published", "Опубликован экспертный лист школы",
                          group="Экспертиза", roles=(Role.SCHOOL_COORDINATOR,), order=400)
        nav_item("curators", "Кураторы", "curators:board", group="schools", order=20,
                 permission="curators.add_curatorassignment",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF))
        nav_item("curator_list", "Кураторы", "curators:assignment_list", group="schools", order=20,
                 permission="curators.view_curatorassignment",
                 roles=(Role.MUNICIPAL_COORDINATOR, Role.CURATOR))
        nav_item("review_queue", "Очередь проверки", "curators:queue", group="documents", order=42,
                 permission="roadmaps.view_document",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.CURATOR))
        nav_item("work_log", "Журнал работы", "curators:log", group="documents", order=44,
                 permission="curators.view_worklogentry",
                 roles=(Role.CURATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
        nav_item("expertise", "Экспертиза", "curators:expertise", group="documents", order=46,
                 permission="curators.view_expertisesheet",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.CURATOR, Role.SCHOOL_COORDINATOR))
        agenda_source("curator_queue", sections.agenda_curator, roles=(Role.CURATOR,), order=20)
        agenda_source("review_late", sections.agenda_review_late, order=30,
                      roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
        home_section("review_board", "Проверка документов кураторами",
                     "curators/home/_review_board.html", sections.home_review_board,
                     roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR), order=36)
        home_section("curator", "Мои школы и очередь проверки", "curators/home/_curator.html",
                     sections.home_curator, roles=(Role.CURATOR,), order=25)
        school_section("curator", "Куратор", "curators/school/_curators.html",
                       sections.school_curators, order=20)
        school_section("expertise", "Экспертный лист", "curators/school/_expertise.html",
                       sections.school_expertise, order=55)
        # the review queue page lists documents and risk profiles waiting for a decision
        queue_page("documents", "curators:queue")
        queue_page("risk_profiles", "curators:queue")
        register_job_kind("curators.report_pdf", "Отчёт куратора (PDF)", run_report_pdf,
                          permission="curators.view_worklogentry")
        for code, label in AUDIT_CODES:
            describe(code, label)


#: The audit codes of the app and their labels in the history pages.
AUDIT_CODES = (
    ("curators.assignment.created", "Назначен куратор"),
    ("curators.assignment.ended", "Назначение куратора завершено"),
    ("curators.order.created", "Добавлен приказ о закреплении кураторов"),
    ("curators.affiliation.added", "Куратор указал место работы"),
    ("curators.affiliation.ended", "Место работы куратора снято"),
    ("curators.log.added", "Запись в журнале куратора"),
    ("curators.log.removed", "Запись журнала куратора удалена"),
    ("curators.scheme.loaded", "Загружен экспертный лист года"),
    ("curators.scheme.changed", "Изменён экспертный лист года"),
    ("curators.sheet.saved", "Сохранён черновик экспертного листа"),
    ("curators.sheet.published", "Опубликован экспертный лист"),
)
