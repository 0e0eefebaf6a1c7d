from core.roles import Role
from core.scope import scope_of
from core.selectors import regions_for

from .selectors import own_methodist_records


def home_methodist(user) -> dict:
    scope = scope_of(user)
    region_ids = scope.region_ids_by_role.get(Role.METHODIST, frozenset())
    return {"regions": list(regions_for(user).filter(pk__in=region_ids)),
            "records": list(own_methodist_records(user).prefetch_related("subjects"))}
