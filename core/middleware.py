"""While an administrator works in the Django admin (elevated rights, bypassing the
portal's pages), every URL opened there is written to the audit trail (STYLE 2.4)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import audit


class AuditRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.is_staff
                and request.path.startswith(self.admin_prefix)):
            audit.record(user, "core.admin.request", None,
                         {"method": request.method, "path": request.get_full_path()[:500],
                          "status": response.status_code},
                         ip_address=getattr(request, "client_ip", None))
        return response


def read_action(view):
    """Mark a view whose POST changes nothing of the programme's data (a report to build,
    one's own password or notifications): read-only roles may use it."""
    view.read_action = True
    return view


class ReadOnlyRolesMiddleware:
    """A user whose every role is read-only (the federal observer) changes nothing: any
    request but GET/HEAD/OPTIONS to a view not marked :func:`read_action` answers 403,
    whatever the view itself would check (issue 22: read-only holds at the edge)."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.core.exceptions import PermissionDenied

        from .roles import READ_ONLY_ROLES
        from .scope import scope_of

        if request.method in self.SAFE or getattr(view_func, "read_action", False):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        roles = scope_of(user).roles
        if roles and roles <= READ_ONLY_ROLES:
            raise PermissionDenied("Ваша роль на портале — только просмотр: изменять данные "
                                   "она не позволяет.")
        return None


class QueueUnavailableMiddleware:
    """Any page that starts a job answers «очередь недоступна» when the broker is down: the
    user goes back where they were with the message, instead of an error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .jobs import QueueUnavailable

        if not isinstance(exception, QueueUnavailable):
            return None
        messages.error(request, str(exception))
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            back = reverse("core:home")
        return redirect(back)
