from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты и документы"

    def ready(self) -> None:
        from core.audit import describe
        from core.registry import home_section, nav_item, school_section
        from core.roles import Role, grant

        from . import sections

        for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                     Role.SCHOOL_COORDINATOR):
            grant(role, "roadmaps.view_document", "roadmaps.comment_document")
        grant(Role.SCHOOL_COORDINATOR, "roadmaps.submit_document")
        # only the curator assigned to the school (a guardian grant) reaches its documents
        grant(Role.CURATOR, "roadmaps.review_document")

        nav_item("documents", "Документы школ", "roadmaps:document_list", order=40,
                 permission="roadmaps.view_document")
        nav_item("document_kinds", "Виды документов", "roadmaps:kinds", order=92,
                 permission="roadmaps.view_document",
                 roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF))
        school_section("documents", "Документы и дорожная карта", "roadmaps/school/_section.html",
                       sections.school_documents, order=40)
        home_section("documents_school", "Документы школы", "roadmaps/home/_school.html",
                     sections.home_school, roles=(Role.SCHOOL_COORDINATOR,), order=40)
        for code, label in (
            ("roadmaps.kinds.loaded", "Настроены виды документов на год"),
            ("roadmaps.kind.changed", "Изменён вид документа"),
            ("roadmaps.reason.changed", "Изменена причина возврата"),
            ("roadmaps.document.created", "Создан документ школы"),
            ("roadmaps.version.uploaded", "Загружена версия документа"),
            ("roadmaps.document.submitted", "Документ отправлен на проверку"),
            ("roadmaps.document.withdrawn", "Документ отозван с проверки"),
            ("roadmaps.document.approved", "Документ подтверждён куратором"),
            ("roadmaps.document.returned", "Документ возвращён на доработку"),
            ("roadmaps.comment.added", "Комментарий к документу"),
        ):
            describe(code, label)
