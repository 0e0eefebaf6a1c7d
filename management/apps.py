from django.apps import AppConfig

AUDIT_TEXTS = (
    ("management.catalogue.created", "Заведены показатели системы работы со ШНОР и ШССУ"),
    ("management.target.set", "Задано целевое значение показателя"),
    ("management.value.entered", "Внесено значение показателя"),
    ("management.values.computed", "Пересчитаны значения показателей"),
    ("management.calendar.created", "Составлен календарь мониторинга"),
    ("management.calendar.done", "Мероприятие календаря мониторинга проведено"),
    ("management.recommendation.issued", "Направлена адресная рекомендация"),
    ("management.recommendation.acknowledged", "Рекомендация принята к исполнению"),
    ("management.recommendation.reported", "Отчёт об исполнении рекомендации"),
    ("management.recommendation.accepted", "Отчёт по рекомендации принят"),
    ("management.recommendation.returned", "Отчёт по рекомендации возвращён"),
    ("management.recommendation.measure", "Рекомендация внесена в дорожную карту"),
    ("management.conclusion.written", "Записаны выводы анализа показателя"),
    ("management.decision.recorded", "Внесено управленческое решение"),
    ("management.report.created", "Сформирован отчёт управленческого цикла"),
    ("management.report.approved", "Отчёт управленческого цикла утверждён"),
    ("management.exit.built", "Подобраны школы на исключение из программы"),
    ("management.exit.approved", "Исключение школы из программы утверждено"),
    ("management.exit.rejected", "Школа оставлена в программе"),
)


class ManagementConfig(AppConfig):
    name = "management"
    verbose_name = "Управленческий цикл"

    def ready(self) -> None:
        from core.audit import describe
        from core.jobs import register_job_kind
        from core.notifications import notification_kind
        from core.registry import agenda_source, nav_item
        from core.roles import Role

        from . import rules
        from .sections import agenda
        from .tasks import run_compute

        rules.register()
        nav_item("indicators", "Показатели и цели", "management:indicators",
                 group="monitoring", order=14, permission=rules.VIEW,
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
        register_job_kind("management.compute", "Пересчёт показателей системы работы",
                          run_compute, permission=rules.COMPUTE, restartable=True)
        nav_item("monitoring_calendar", "Календарь мониторинга", "management:calendar",
                 group="monitoring", order=15, permission=rules.VIEW,
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
        notification_kind("management.calendar.reminder",
                          "Сроки мероприятий календаря мониторинга", group="Мониторинг",
                          roles=(Role.REGIONAL_STAFF,), order=400)
        nav_item("recommendations", "Адресные рекомендации", "management:recommendations",
                 group="monitoring", order=16,
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.SCHOOL_COORDINATOR))
        notification_kind("management.recommendation", "Адресные рекомендации",
                          group="Мониторинг", order=410,
                          roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                                 Role.SCHOOL_COORDINATOR))
        agenda_source("recommendations", agenda, order=30,
                      roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                             Role.SCHOOL_COORDINATOR))
        self._cycle(rules, Role)
        for action, label in AUDIT_TEXTS:
            describe(action, label)

    @staticmethod
    def _cycle(rules, Role) -> None:
        """Decisions, the yearly report and the exit list."""
        from core.jobs import register_job_kind
        from core.registry import nav_item, school_section

        from .reports import run_cycle_report
        from .sections import school_exit

        staff = (Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR)
        nav_item("decisions", "Управленческие решения", "management:decisions",
                 group="monitoring", order=17, permission=rules.VIEW, roles=staff)
        nav_item("exit_list", "Список на исключение", "management:exit_list",
                 group="monitoring", order=18, permission=rules.VIEW, roles=staff)
        register_job_kind("management.cycle_report", "Отчёт управленческого цикла (PDF)",
                          run_cycle_report, permission=rules.DECIDE, restartable=True)
        school_section("exit", "Исключение из программы", "management/school/_exit.html",
                       school_exit, order=90)
        from core.notifications import notification_kind

        notification_kind("management.exit", "Решения о выходе школы из программы",
                          group="Мониторинг", order=420,
                          roles=(Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR))
