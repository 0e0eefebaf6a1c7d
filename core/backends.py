from django.contrib.auth.backends import ModelBackend

from . import permissions


class PortalBackend(ModelBackend):
    """Login by username or e-mail (``PortalUserManager``); permissions from roles.

    Object permissions answer through the user's scope, so ``user.has_perm(p, obj)`` and
    the Django admin follow the same rules as the portal's own views.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if permissions.has_perm(user_obj, perm, obj):
            return True
        return obj is None and super().has_perm(user_obj, perm)

    def has_module_perms(self, user_obj, app_label):
        from .roles import Role
        from .scope import scope_of

        if Role.ADMINISTRATOR in scope_of(user_obj).roles:
            return True
        return super().has_module_perms(user_obj, app_label)
