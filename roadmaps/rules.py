"""Who may do what with school documents, roadmaps and the plan-schedule.

* :func:`register` — the app's role grants (``core.roles.grant``) and the per-year rights
  (``core.permissions.per_assignment_year``), called from ``RoadmapsConfig.ready``.
* ``may_<verb>[_<noun>](user, obj=None)`` — the named predicates: read, submit, review and
  comment on a school's documents, configure the yearly kinds, read and keep a roadmap,
  import one, manage the plan-schedule's stages. Views ask these, services refuse by them.
* :func:`document_actions` — what a user may do to one document *now*: its right on the
  document and the document's state in the machine черновик → на проверке → подтверждено |
  возвращено («upload», «submit», «withdraw», «review», «comment»).
* ``EDITORS`` — who keeps a roadmap of each level.

``ensure`` is re-exported so a view writes ``rules.ensure(rules.may_review_document(...))``.
"""

from __future__ import annotations

from core.permissions import ensure, has_perm, per_assignment_year  # noqa: F401
from core.roles import Role, grant
from core.scope import scope_of

from .models import Document, Roadmap

VIEW_DOCUMENT = "roadmaps.view_document"
SUBMIT_DOCUMENT = "roadmaps.submit_document"
REVIEW_DOCUMENT = "roadmaps.review_document"
COMMENT_DOCUMENT = "roadmaps.comment_document"
CONFIGURE_KINDS = "roadmaps.add_documentkind"
VIEW_ROADMAP = "roadmaps.view_roadmap"
EDIT_ROADMAP = "roadmaps.edit_roadmap"
MANAGE_STAGES = "roadmaps.manage_planstage"
IMPORT_ROADMAP = "schools.add_importbatch"


# -- the grants -----------------------------------------------------------------------------------
def register() -> None:
    """The roles' rights on documents, roadmaps and the plan-schedule."""
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                 Role.SCHOOL_COORDINATOR):
        grant(role, VIEW_DOCUMENT, COMMENT_DOCUMENT)
    grant(Role.SCHOOL_COORDINATOR, SUBMIT_DOCUMENT)
    # roadmaps: who reads which is the scope's business, who keeps which is the level's
    # (``EDITORS``); curators read their schools' roadmaps
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.CURATOR,
                 Role.SCHOOL_COORDINATOR, Role.METHODIST):
        grant(role, VIEW_ROADMAP)
    for role in (Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR, Role.SCHOOL_COORDINATOR):
        grant(role, EDIT_ROADMAP)
    grant(Role.REGIONAL_STAFF, MANAGE_STAGES)
    # only the curator assigned to the school (a guardian grant) reaches its documents
    grant(Role.CURATOR, REVIEW_DOCUMENT)
    # ... for the programme years in which the curator is assigned the school
    per_assignment_year(Role.CURATOR, REVIEW_DOCUMENT)


#: Who keeps a roadmap of each level (inside the scope of the roadmap).
EDITORS = {
    Roadmap.Level.REGION: {Role.ADMINISTRATOR, Role.REGIONAL_STAFF},
    Roadmap.Level.MUNICIPALITY: {Role.ADMINISTRATOR, Role.REGIONAL_STAFF,
                                 Role.MUNICIPAL_COORDINATOR},
    Roadmap.Level.SCHOOL: {Role.ADMINISTRATOR, Role.SCHOOL_COORDINATOR},
}


# -- documents ------------------------------------------------------------------------------------
def may_view_document(user, obj=None) -> bool:
    """Reads school documents (the list, a school's checklist, the kinds)."""
    return has_perm(user, VIEW_DOCUMENT, obj)


def may_submit_document(user, obj=None) -> bool:
    """Uploads versions of the documents of a school (``obj``: the school or a document)
    and sends them to the curator: the school's coordinator."""
    return has_perm(user, SUBMIT_DOCUMENT, obj)


def may_review_document(user, document=None) -> bool:
    """Approves or returns ``document``: the curator assigned to its school for its year."""
    return has_perm(user, REVIEW_DOCUMENT, document)


def may_comment_document(user, document=None) -> bool:
    return has_perm(user, COMMENT_DOCUMENT, document)


def may_configure_kinds(user) -> bool:
    """Loads and changes the document kinds of a year (the administrator)."""
    return has_perm(user, CONFIGURE_KINDS)


_NO_VERSION = object()


def document_actions(user, document: Document, current=_NO_VERSION) -> frozenset[str]:
    """What ``user`` may do to ``document`` now.

    ``current`` is the document's newest version with its ``decision`` (as
    ``selectors.document_versions`` returns it) when the caller has it already; otherwise
    it is read here when the answer depends on it."""
    actions: set[str] = set()
    if may_submit_document(user, document):
        actions.add("upload")
        if document.is_submitted:
            actions.add("withdraw")
        elif document.is_draft or document.is_returned:
            if current is _NO_VERSION:
                current = _current_version(document)
            if current is not None and current.decision is None:
                actions.add("submit")
    if document.is_submitted and may_review_document(user, document):
        actions.add("review")
    if may_comment_document(user, document):
        actions.add("comment")
    return frozenset(actions)


def _current_version(document: Document):
    from .selectors import document_versions

    versions = document_versions(document)
    return versions[0] if versions else None


# -- roadmaps and the plan-schedule ---------------------------------------------------------------
def may_view_roadmap(user, obj=None) -> bool:
    return has_perm(user, VIEW_ROADMAP, obj)


def may_edit_roadmap(user, roadmap: Roadmap | None = None) -> bool:
    """Keeps ``roadmap``: regional staff the regional and municipal roadmaps of their
    region, a municipal coordinator its municipality's, a school coordinator its school's
    (``EDITORS``). Without a roadmap: whether the user keeps roadmaps at all."""
    if roadmap is None:
        return has_perm(user, EDIT_ROADMAP)
    if not has_perm(user, EDIT_ROADMAP, roadmap):
        return False
    roles = scope_of(user).roles_covering(roadmap.scope_path)
    return bool(roles & EDITORS[roadmap.level])


def may_start_school_roadmap(user, school, year: int) -> bool:
    """Whether ``user`` would keep the roadmap of ``school`` for ``year`` (none yet)."""
    probe = Roadmap(region=school.region, level=Roadmap.Level.SCHOOL, school=school,
                    municipality=school.municipality, start_year=year, end_year=year)
    return may_edit_roadmap(user, probe)


def may_import_roadmap(user) -> bool:
    """Loads a roadmap from a file (through the import batches of ``schools``)."""
    return has_perm(user, IMPORT_ROADMAP)


def may_manage_stages(user, stage=None) -> bool:
    """Adds, changes and removes the stages of the region's plan-schedule."""
    return has_perm(user, MANAGE_STAGES, stage)
