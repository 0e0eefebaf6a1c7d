from django.contrib.auth.backends import ModelBackend

from . import permissions


class PortalBackend(ModelBackend):
    """Login by username or e-mail (``PortalUserManager``); permissions from roles.

    Object permissions answer through the user's scope, so ``user.has_perm(p, obj)`` and
    the Django admin follow the same rules as the portal's own views.
    """

    def has_perm(self, user_obj, perm, obj=None):
        # Roles are the only source of rights: permissions attached to a user or a group
        # by hand would bypass scopes and the read-only rule, so they are not consulted.
        return permissions.has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        from .roles import Role
        from .scope import scope_of

        return Role.ADMINISTRATOR in scope_of(user_obj).roles
