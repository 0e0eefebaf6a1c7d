from django.apps import AppConfig


class MethodistsConfig(AppConfig):
    name = "methodists"
    verbose_name = "Региональный методический актив"

    def ready(self) -> None:
        from core.audit import describe
        from core.registry import home_section, nav_item
        from core.roles import Role

        from . import importer, rules, sections  # noqa: F401  (the importer registers itself)

        rules.register()
        nav_item("methodists", "РМА", "methodists:list", group="methodical", order=60,
                 permission="methodists.view_methodist",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.CURATOR))
        home_section("methodist", "Моя работа в методическом активе",
                     "methodists/home/_methodist.html", sections.home_methodist,
                     roles=(Role.METHODIST,), order=50)
        describe("methodists.methodist.created", "Методист добавлен в РМА")
        describe("methodists.methodist.changed", "Изменена запись методиста РМА")
