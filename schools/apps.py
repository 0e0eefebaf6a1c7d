from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Реестр школ"

    def ready(self) -> None:
        from core.audit import describe
        from core.registry import home_section, nav_item
        from core.roles import Role, grant

        from . import sections

        for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                     Role.SCHOOL_COORDINATOR):
            grant(role, "schools.view_school")
        grant(Role.REGIONAL_STAFF, "schools.add_school", "schools.change_school",
              "core.add_rolemembership", "core.add_municipality")
        nav_item("schools", "Школы", "schools:school_list", order=10,
                 permission="schools.view_school")
        home_section("admin_regions", "Регионы портала", "schools/home/_regions.html",
                     sections.home_regions, roles=(Role.ADMINISTRATOR, Role.FEDERAL_OBSERVER),
                     order=10)
        home_section("regional", "Мой регион", "schools/home/_region.html",
                     sections.home_region, roles=(Role.REGIONAL_STAFF,), order=20)
        home_section("municipal", "Мой муниципалитет", "schools/home/_municipality.html",
                     sections.home_municipality, roles=(Role.MUNICIPAL_COORDINATOR,), order=30)
        home_section("school", "Моя школа", "schools/home/_school.html",
                     sections.home_school, roles=(Role.SCHOOL_COORDINATOR,), order=40)
        describe("schools.school.created", "Добавлена школа")
