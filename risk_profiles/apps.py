from django.apps import AppConfig


class RiskProfilesConfig(AppConfig):
    name = "risk_profiles"
    verbose_name = "Риск-профили"

    def ready(self) -> None:
        from core.notifications import notification_kind
        from core.registry import (
            agenda_source,
            home_section,
            nav_item,
            reference_book,
            school_section,
        )
        from core.roles import Role

        from . import importer, rules, sections  # noqa: F401  (importer registers itself)

        rules.register()
        notification_kind("risk_profiles.profile.submitted",
                          "Риск-профиль школы отправлен на проверку", group="Риск-профили",
                          roles=(Role.CURATOR,), order=100)
        notification_kind("risk_profiles.profile.returned",
                          "Риск-профиль возвращён на доработку или разблокирован",
                          group="Риск-профили", roles=(Role.SCHOOL_COORDINATOR,), order=101)
        notification_kind("risk_profiles.profile.verified", "Риск-профиль подтверждён куратором",
                          group="Риск-профили", roles=(Role.SCHOOL_COORDINATOR,), order=102)

        reference_book("risk_factors", "факторы риска", "risk_profiles:catalogue",
                       permission="risk_profiles.view_riskfactor", order=10)
        nav_item("risks", "Риск-профили", "risk_profiles:profile_list", group="schools", order=30,
                 permission="risk_profiles.view_riskprofile")
        nav_item("risk_distribution", "Риски региона", "risk_profiles:distribution",
                 group="monitoring", order=32,
                 permission="risk_profiles.view_distribution",
                 roles=(Role.ADMINISTRATOR, Role.FEDERAL_OBSERVER, Role.REGIONAL_STAFF,
                        Role.MUNICIPAL_COORDINATOR))
        nav_item("risk_matrix", "Матрица рисков", "risk_profiles:matrix", group="schools", order=34,
                 permission="risk_profiles.view_matrix",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.CURATOR))
        nav_item("risk_catalogue", "Факторы риска", "risk_profiles:catalogue",
                 group="admin", order=90,
                 permission="risk_profiles.view_riskfactor",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.FEDERAL_OBSERVER))
        school_section("risks", "Риск-профиль", "risk_profiles/school/_section.html",
                       sections.school_risks, order=30)
        agenda_source("risks_school", sections.agenda_school, roles=(Role.SCHOOL_COORDINATOR,),
                      order=15)
        agenda_source("risks_missing", sections.agenda_territory, order=50,
                      roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
        home_section("risks_review", "Риск-профили на проверке",
                     "risk_profiles/home/_review.html", sections.home_review,
                     roles=(Role.CURATOR,), order=26)
        home_section("risks_overview", "Риск-профили школ", "risk_profiles/home/_overview.html",
                     sections.home_overview,
                     roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR), order=35)
        home_section("risks_school", "Риск-профиль школы", "risk_profiles/home/_school.html",
                     sections.home_school, roles=(Role.SCHOOL_COORDINATOR,), order=41)
        _describe_audit_codes()


#: The audit codes of the app and their labels in the history pages.
AUDIT_CODES = (
    ("risk_profiles.factor.created", "Добавлен фактор риска"),
    ("risk_profiles.factor.changed", "Изменён фактор риска"),
    ("risk_profiles.factor.deleted", "Удалён фактор риска"),
    ("risk_profiles.catalogue.copied", "Каталог факторов скопирован на новый год"),
    ("risk_profiles.catalogue.loaded", "Загружен каталог факторов риска"),
    ("risk_profiles.profile.created", "Создан риск-профиль"),
    ("risk_profiles.profile.changed", "Изменён риск-профиль"),
    ("risk_profiles.profile.submitted", "Риск-профиль отправлен на проверку"),
    ("risk_profiles.profile.verified", "Риск-профиль подтверждён куратором"),
    ("risk_profiles.profile.returned", "Риск-профиль возвращён на доработку"),
    ("risk_profiles.profile.unlocked", "Риск-профиль разблокирован куратором"),
)


def _describe_audit_codes() -> None:
    from core.audit import describe

    for code, label in AUDIT_CODES:
        describe(code, label)
