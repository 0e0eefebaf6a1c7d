from django.apps import AppConfig

AUDIT_TEXTS = (
    ("mentoring.pair.created", "Составлена сетевая пара"),
    ("mentoring.pair.ended", "Сетевая пара завершена"),
    ("mentoring.activity.added", "Внесено совместное мероприятие сетевой пары"),
)


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Сетевые пары"

    def ready(self) -> None:
        from core.audit import describe
        from core.notifications import notification_kind
        from core.registry import nav_item
        from core.roles import Role

        from . import rules
        from .services import PAIR_KIND

        rules.register()
        nav_item("mentoring_pairs", "Сетевые пары", "mentoring:pairs", group="monitoring",
                 order=17, permission=rules.VIEW,
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.CURATOR, Role.SCHOOL_COORDINATOR))
        notification_kind(PAIR_KIND, "Сетевые пары (школы-наставники)", group="Мониторинг",
                          order=420, roles=(Role.SCHOOL_COORDINATOR,))
        for action, label in AUDIT_TEXTS:
            describe(action, label)
