"""The user's scope: which regions, municipalities and schools they may see.

Computed once per user object (cached on it) from active role memberships and from guardian
object grants (a curator's schools); it is the only tenancy input of every selector.
Tasks and commands rebuild it from the actor's id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from .models import RoleMembership, ScopePath
from .roles import Role

CACHE_ATTR = "_portal_scope"


@dataclass(frozen=True)
class Scope:
    is_national: bool = False
    roles: frozenset[str] = frozenset()
    #: role → region ids / municipality ids / school ids where the role applies.
    region_ids_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    municipality_ids_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    school_ids_by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    # Everything the user may *see*: the union over roles.
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
        """Every region the user belongs to in any role (curators and methodists included)."""
        ids: set[int] = set()
        for region_ids in self.region_ids_by_role.values():
            ids |= region_ids
        return frozenset(ids)

    @property
    def is_empty(self) -> bool:
        return not (self.is_national or self.member_region_ids or self.municipality_ids
                    or self.school_ids)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def roles_covering(self, path: ScopePath) -> set[str]:
        """The roles under which an object at ``path`` is inside the user's scope."""
        covering = set()
        for role in self.roles:
            if Role.level(role) == "national":
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
        and school (``None`` where the model has none). A model whose rows sit on the
        region level only (no school) is seen by every member of the region.
        """
        if self.is_national:
            return None
        q = Q(**{f"{region}__in": self.region_ids if school else self.member_region_ids})
        if municipality:
            q |= Q(**{f"{municipality}__in": self.municipality_ids})
        if school:
            q |= Q(**{f"{school}__in": self.school_ids})
        return q


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


def _compute(user) -> Scope:
    from .permissions import object_ids_with_perm

    memberships = list(
        RoleMembership.objects.filter(user=user, ended_at__isnull=True)
        .only("role", "region_id", "municipality_id")
    )
    roles = {m.role for m in memberships}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    regions: dict[str, set[int]] = {}
    municipalities: dict[str, set[int]] = {}
    schools: dict[str, set[int]] = {}
    for m in memberships:
        if m.region_id:
            regions.setdefault(m.role, set()).add(m.region_id)
        if m.municipality_id:
            municipalities.setdefault(m.role, set()).add(m.municipality_id)
    # School-level rights live in guardian: a coordinator's school is granted with the
    # membership, a curator's schools with each assignment (and revoked when they end).
    if Role.CURATOR in roles:
        schools[Role.CURATOR] = object_ids_with_perm(user, settings.PORTAL_CURATOR_PERM)
    if Role.SCHOOL_COORDINATOR in roles:
        schools[Role.SCHOOL_COORDINATOR] = object_ids_with_perm(
            user, settings.PORTAL_SCHOOL_COORDINATOR_PERM
        )
    national = bool(roles & {Role.ADMINISTRATOR, Role.FEDERAL_OBSERVER})
    return Scope(
        is_national=national,
        roles=frozenset(roles),
        region_ids_by_role={k: frozenset(v) for k, v in regions.items()},
        municipality_ids_by_role={k: frozenset(v) for k, v in municipalities.items()},
        school_ids_by_role={k: frozenset(v) for k, v in schools.items()},
    )
