from .navigation import menu_for, references_for
from .roles import Role
from .scope import scope_of
from .selectors import unread_count


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_menu": [], "portal_is_admin": False, "portal_unread": 0}
    scope = scope_of(user)
    return {
        "portal_menu": menu_for(user, request.path),
        "portal_references": references_for(user),
        "portal_is_admin": Role.ADMINISTRATOR in scope.roles,
        "portal_roles": sorted(Role(r).label for r in scope.roles),
        # one COUNT per page: the bell in the top bar
        "portal_unread": unread_count(user),
    }
