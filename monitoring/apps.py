from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Мониторинг"

    def ready(self) -> None:
        from core.audit import data_changed, describe
        from core.jobs import register_job_kind
        from core.registry import nav_item
        from core.roles import Role

        from . import boards, reports, rules

        rules.register()
        data_changed.connect(boards.data_changed, dispatch_uid="monitoring.boards")
        nav_item("monitoring", "Сводные показатели", "monitoring:dashboard",
                 group="monitoring", order=12,
                 permission="monitoring.view_dashboard",
                 roles=(Role.ADMINISTRATOR, Role.FEDERAL_OBSERVER, Role.REGIONAL_STAFF,
                        Role.MUNICIPAL_COORDINATOR))
        register_job_kind("monitoring.engagement_recompute",
                          "Пересчёт предложений мониторинга вовлеченности",
                          reports.run_recompute,
                          permission="monitoring.recompute_engagementscore")
        register_job_kind("monitoring.dashboard_pdf", "Отчёт мониторинга (PDF)",
                          reports.run_dashboard_pdf, permission="monitoring.view_report",
                          restartable=True)
        register_job_kind("monitoring.dashboard_xlsx", "Отчёт мониторинга (Excel)",
                          reports.run_dashboard_xlsx, permission="monitoring.view_report",
                          restartable=True)
        register_job_kind("monitoring.region_report", "Информационно-аналитический отчёт (PDF)",
                          reports.run_region_report, permission="monitoring.view_report",
                          restartable=True)
        describe("monitoring.engagement.recomputed",
                 "Пересчитаны предложения мониторинга вовлеченности")
        describe("monitoring.engagement.confirmed", "Подтверждена составляющая вовлеченности")
        describe("monitoring.engagement.proposals_confirmed",
                 "Подтверждены предложения портала по вовлеченности")
        describe("monitoring.rules.saved", "Изменены правила мониторинга вовлеченности")
