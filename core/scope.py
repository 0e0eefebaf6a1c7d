"""The user's scope: which regions, municipalities and schools they may see.

Computed once per user object (cached on it) from active role memberships and from guardian
object grants (a school coordinator's school, a curator's schools); it is the only tenancy
input of every selector. Tasks and commands rebuild it from the actor's id.

Two national roles differ: an administrator sees every record (``is_national``); a federal
observer sees *aggregates* of every region (``sees_all_aggregates``) and no single record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Q

from .models import RoleMembership, ScopePath
from .roles import Role

CACHE_ATTR = "_portal_scope"

#: Region-level roles that see objects of a whole region that belong to no school.
_REGION_WIDE_ROLES = (Role.REGIONAL_STAFF, Role.CURATOR, Role.METHODIST)


@dataclass(frozen=True)
class Scope:
    is_national: bool = False
    sees_all_aggregates: bool = False
    roles: frozenset[str] = frozenset()
    #: role → region ids / municipality ids / school ids where the role applies.
    region_ids_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    municipality_ids_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    school_ids_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    #: role → school id → the programme years for which an assignment of that school is
    #: open (a curator's decisions are per school *and* year; see core.permissions).
    school_years_by_role: dict[str, dict[int, frozenset[int]]] = field(default_factory=dict)

    def _regions_of(self, roles) -> frozenset[int]:
        ids: set[int] = set()
        for role in roles:
            ids |= self.region_ids_by_role.get(role, frozenset())
        return frozenset(ids)

    @property
    def region_ids(self) -> frozenset[int]:
        """Regions seen whole (regional staff)."""
        return self.region_ids_by_role.get(Role.REGIONAL_STAFF, frozenset())

    @property
    def municipality_ids(self) -> frozenset[int]:
        return self.municipality_ids_by_role.get(Role.MUNICIPAL_COORDINATOR, frozenset())

    @property
    def school_ids(self) -> frozenset[int]:
        ids: set[int] = set()
        for school_ids in self.school_ids_by_role.values():
            ids |= school_ids
        return frozenset(ids)

    @property
    def member_region_ids(self) -> frozenset[int]:
        """Every region the user belongs to in any role."""
        return self._regions_of(self.region_ids_by_role)

    @property
    def is_empty(self) -> bool:
        return not (self.is_national or self.sees_all_aggregates or self.member_region_ids
                    or self.municipality_ids or self.school_ids)

    def years_of(self, role: str, school_id: int | None) -> frozenset[int]:
        """The programme years for which ``role`` holds an open assignment of the school."""
        return self.school_years_by_role.get(role, {}).get(school_id, frozenset())

    def roles_covering(self, path: ScopePath) -> set[str]:
        """The roles under which an object at ``path`` is inside the user's scope."""
        covering = set()
        for role in self.roles:
            if role == Role.ADMINISTRATOR:
                covering.add(role)
            elif role == Role.REGIONAL_STAFF or (
                role in (Role.CURATOR, Role.METHODIST) and path.school_id is None
            ):
                if path.region_id in self.region_ids_by_role.get(role, ()):
                    covering.add(role)
            elif role == Role.MUNICIPAL_COORDINATOR:
                if path.municipality_id in self.municipality_ids_by_role.get(role, ()):
                    covering.add(role)
            if path.school_id is not None and path.school_id in self.school_ids_by_role.get(
                role, ()
            ):
                covering.add(role)
        return covering

    def filter(self, *, region: str = "region", municipality: str | None = "municipality",
               school: str | None = "school") -> Q | None:
        """A ``Q`` that keeps rows inside the scope; ``None`` means "no restriction".

        The arguments name the lookups from the filtered model to its region, municipality
        and school (``None`` where the model has none):

        * rows of a school: regional staff of the region, the municipal coordinator of the
          school's municipality, users granted the school;
        * rows of a municipality (no school): region-wide roles and the municipality's
          coordinator;
        * rows of a region only: every member of the region.
        """
        if self.is_national:
            return None
        if school:
            q = Q(**{f"{region}__in": self.region_ids}) | Q(**{f"{school}__in": self.school_ids})
            if municipality:
                q |= Q(**{f"{municipality}__in": self.municipality_ids})
            return q
        if municipality:
            return (Q(**{f"{region}__in": self._regions_of(_REGION_WIDE_ROLES)})
                    | Q(**{f"{municipality}__in": self.municipality_ids}))
        return Q(**{f"{region}__in": self.member_region_ids})


_YEAR_PROVIDERS: dict[str, object] = {}


def register_school_years(role: str, provider) -> None:
    """An app tells which programme years a user's school rights of ``role`` cover:
    ``provider(user) -> {school_id: {year, …}}`` (curators: the open assignments)."""
    _YEAR_PROVIDERS[role] = provider


def scope_of(user) -> Scope:
    """The scope of ``user`` (anonymous or inactive users have an empty one)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute(user)
    setattr(user, CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after a membership or grant changes in the same request)."""
    if hasattr(user, CACHE_ATTR):
        delattr(user, CACHE_ATTR)


def _granted_schools(user, perm: str, region_ids: frozenset[int]) -> frozenset[int]:
    """Schools granted to ``user`` by ``perm`` that lie in ``region_ids``.

    A grant outlives nothing: a curator whose role in a region has ended keeps no school
    of that region, even while an assignment row there is still open.
    """
    from .permissions import object_ids_with_perm

    ids = object_ids_with_perm(user, perm)
    if not ids or not region_ids:
        return frozenset()
    school_model = apps.get_model(settings.PORTAL_SCHOOL_MODEL)
    return frozenset(school_model.objects.filter(pk__in=ids, region_id__in=region_ids)
                     .values_list("pk", flat=True))


def _compute(user) -> Scope:
    memberships = list(
        RoleMembership.objects.filter(user=user, ended_at__isnull=True)
        .only("role", "region_id", "municipality_id")
    )
    roles = {m.role for m in memberships}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    regions: dict[str, set[int]] = {}
    municipalities: dict[str, set[int]] = {}
    for m in memberships:
        if m.region_id:
            regions.setdefault(m.role, set()).add(m.region_id)
        if m.municipality_id:
            municipalities.setdefault(m.role, set()).add(m.municipality_id)
    # School-level rights live in guardian: a coordinator's school is granted with the
    # membership, a curator's schools with each assignment (and revoked when they end).
    schools: dict[str, frozenset[int]] = {}
    for role, perm in ((Role.CURATOR, settings.PORTAL_CURATOR_PERM),
                       (Role.SCHOOL_COORDINATOR, settings.PORTAL_SCHOOL_COORDINATOR_PERM)):
        if role in roles:
            schools[role] = _granted_schools(user, perm, frozenset(regions.get(role, ())))
    years = {role: provider(user) for role, provider in _YEAR_PROVIDERS.items()
             if role in roles}
    return Scope(
        is_national=Role.ADMINISTRATOR in roles,
        sees_all_aggregates=bool(roles & {Role.ADMINISTRATOR, Role.FEDERAL_OBSERVER}),
        roles=frozenset(roles),
        region_ids_by_role={k: frozenset(v) for k, v in regions.items()},
        municipality_ids_by_role={k: frozenset(v) for k, v in municipalities.items()},
        school_ids_by_role=schools,
        school_years_by_role={role: {k: frozenset(v) for k, v in by_school.items()}
                              for role, by_school in years.items()},
    )
