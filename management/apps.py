from django.apps import AppConfig

AUDIT_TEXTS = (
    ("management.catalogue.created", "Заведены показатели системы работы со ШНОР и ШССУ"),
    ("management.target.set", "Задано целевое значение показателя"),
    ("management.value.entered", "Внесено значение показателя"),
    ("management.values.computed", "Пересчитаны значения показателей"),
    ("management.calendar.created", "Составлен календарь мониторинга"),
    ("management.calendar.done", "Мероприятие календаря мониторинга проведено"),
)


class ManagementConfig(AppConfig):
    name = "management"
    verbose_name = "Управленческий цикл"

    def ready(self) -> None:
        from core.audit import describe
        from core.jobs import register_job_kind
        from core.notifications import notification_kind
        from core.registry import nav_item
        from core.roles import Role

        from . import rules
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
        for action, label in AUDIT_TEXTS:
            describe(action, label)
