from django.apps import AppConfig


class CuratorsConfig(AppConfig):
    name = "curators"
    verbose_name = "Кураторы"

    def ready(self) -> None:
        from core.audit import describe
        from core.registry import home_section, nav_item, school_section
        from core.roles import Role, grant

        from . import sections

        grant(Role.REGIONAL_STAFF, "curators.view_curatorassignment",
              "curators.add_curatorassignment")
        grant(Role.MUNICIPAL_COORDINATOR, "curators.view_curatorassignment")
        grant(Role.CURATOR, "curators.view_curatorassignment")
        nav_item("curators", "Кураторы", "curators:assignment_list", order=20,
                 permission="curators.view_curatorassignment",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
        nav_item("review_queue", "Очередь проверки", "curators:queue", order=42,
                 permission="roadmaps.view_document",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.CURATOR))
        home_section("review_board", "Проверка документов кураторами",
                     "curators/home/_review_board.html", sections.home_review_board,
                     roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR), order=36)
        home_section("curator", "Мои школы и очередь проверки", "curators/home/_curator.html",
                     sections.home_curator, roles=(Role.CURATOR,), order=25)
        school_section("curator", "Куратор", "curators/school/_curators.html",
                       sections.school_curators, order=20)
        describe("curators.assignment.created", "Назначен куратор")
        describe("curators.assignment.ended", "Назначение куратора завершено")
