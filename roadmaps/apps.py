from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты и документы"

    def ready(self) -> None:
        from core.jobs import register_job_kind

        from . import importer, rules  # noqa: F401 (the importer registers itself)
        from .exports import run_roadmap_pdf

        rules.register()
        register_job_kind("roadmaps.roadmap_pdf", "Дорожная карта (PDF)", run_roadmap_pdf,
                          permission=rules.VIEW_ROADMAP, restartable=True)
        _notification_kinds()
        _pages()
        _audit_labels()


def _notification_kinds() -> None:
    from core.notifications import notification_kind
    from core.roles import Role

    school, curator = (Role.SCHOOL_COORDINATOR,), (Role.CURATOR,)
    for code, label, roles, order in (
        ("roadmaps.document.submitted", "Документ школы отправлен на проверку", curator, 200),
        ("roadmaps.document.approved", "Документ подтверждён куратором", school, 201),
        ("roadmaps.document.returned", "Документ возвращён на доработку", school, 202),
        ("roadmaps.document.commented", "Новый комментарий к документу",
         (Role.CURATOR, Role.SCHOOL_COORDINATOR), 203),
    ):
        notification_kind(code, label, group="Документы", roles=roles, order=order)
    for code, label, roles, order in (
        ("roadmaps.evidence.submitted",
         "Подтверждение выполнения мероприятия отправлено на проверку", curator, 300),
        ("roadmaps.evidence.confirmed", "Выполнение мероприятия подтверждено куратором",
         school, 301),
        ("roadmaps.evidence.returned", "Подтверждение мероприятия возвращено на доработку",
         school, 302),
        ("roadmaps.measure.reminder", "Скоро срок или просрочены мероприятия дорожной карты",
         (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR), 303),
    ):
        notification_kind(code, label, group="Дорожные карты", roles=roles, order=order)


def _pages() -> None:
    """The menu entries, the reference book and the sections on other apps' pages."""
    from core.registry import (
        agenda_source,
        home_section,
        nav_item,
        reference_book,
        school_section,
    )
    from core.roles import Role

    from . import sections

    reference_book("document_kinds", "виды документов и требования к ним", "roadmaps:kinds",
                   permission="roadmaps.view_document", order=20)
    nav_item("documents", "Документы школ", "roadmaps:document_list",
             group="documents", order=40,
             permission="roadmaps.view_document")
    nav_item("document_kinds", "Виды документов", "roadmaps:kinds", group="admin", order=92,
             permission="roadmaps.view_document",
             roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF))
    nav_item("roadmaps", "Дорожные карты", "roadmaps:plan_list", group="documents", order=42,
             permission="roadmaps.view_roadmap")
    nav_item("overdue", "Просрочено", "roadmaps:overdue", group="documents", order=43,
             permission="roadmaps.view_roadmap")
    nav_item("schedule", "План-график", "roadmaps:schedule", group="documents", order=44,
             permission="roadmaps.view_roadmap",
             roles=(Role.ADMINISTRATOR, Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
    school_section("roadmap", "Дорожная карта школы", "roadmaps/school/_roadmap.html",
                   sections.school_roadmap, order=41)
    home_section("roadmaps", "Дорожные карты", "roadmaps/home/_roadmaps.html",
                 sections.home_roadmaps, order=41,
                 roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                        Role.SCHOOL_COORDINATOR, Role.CURATOR))
    school_section("documents", "Документы и дорожная карта", "roadmaps/school/_section.html",
                   sections.school_documents, order=40)
    agenda_source("documents_school", sections.agenda_school, roles=(Role.SCHOOL_COORDINATOR,),
                  order=10)
    agenda_source("overdue", sections.agenda_overdue, order=40,
                  roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR,
                         Role.SCHOOL_COORDINATOR, Role.CURATOR))
    home_section("documents_school", "Документы школы", "roadmaps/home/_school.html",
                 sections.home_school, roles=(Role.SCHOOL_COORDINATOR,), order=40)


def _audit_labels() -> None:
    from core.audit import describe

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
        ("roadmaps.roadmap.created", "Создана дорожная карта"),
        ("roadmaps.roadmap.imported", "Дорожная карта загружена из файла"),
        ("roadmaps.roadmap.reimported", "Дорожная карта обновлена из файла"),
        ("roadmaps.section.added", "Добавлен раздел дорожной карты"),
        ("roadmaps.item.added", "Добавлено мероприятие"),
        ("roadmaps.item.changed", "Изменено мероприятие"),
        ("roadmaps.item.removed", "Удалено мероприятие"),
        ("roadmaps.item.completed", "Мероприятие отмечено выполненным"),
        ("roadmaps.item.reopened", "Снята отметка о выполнении"),
        ("roadmaps.stage.saved", "Сохранён этап план-графика"),
        ("roadmaps.stage.removed", "Удалён этап план-графика"),
    ):
        describe(code, label)
