"""The login lockout (django-axes, issue 22).

Failures are counted per *account*, however the login was typed: «Admin», «ADMIN» and the
account's e-mail are one username for the lockout; and per client address, as
``core.clientip`` resolves it behind the reverse proxy.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum

from .clientip import client_ip


def lockout_username(request, credentials) -> str:
    from .models import User

    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    value = (value or "").strip().lower()
    if "@" in value:
        match = (User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value))
                 .values_list("username", flat=True).first())
        if match:
            return match.lower()
    return value


class PortalLockoutHandler(AxesDatabaseHandler):
    """Three locks, each with its own limit (:func:`lockout_limits`, in the order of
    ``AXES_LOCKOUT_PARAMETERS``):

    * the account from one address — a mistyped password locks that person's browser only
      (``AXES_FAILURE_LIMIT``, 5);
    * the account from anywhere — guessing one account from many addresses
      (``AXES_ACCOUNT_FAILURE_LIMIT``, 20);
    * the address for any account — a flood from one machine (``AXES_ADDRESS_FAILURE_LIMIT``,
      100; a school's office behind one address stays well below it).

    django-axes locks at one common limit, so each lock's count is scaled to it: a lock
    reaches ``AXES_FAILURE_LIMIT`` exactly when its own count reaches its own limit. A
    successful login clears only the failures of that account from that address: it proves
    nothing about other addresses trying the account.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        common = settings.AXES_FAILURE_LIMIT
        worst = 0
        for attempts, limit in zip(self.get_user_attempts(request, credentials),
                                   lockout_limits(request, credentials), strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, count * common // max(limit, 1))
        return worst

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        address = getattr(request, "axes_ip_address", None) or client_ip(request)
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=address).delete()
        return count


def lockout_limits(request, credentials=None) -> list[int]:
    """The limit of each lock, in the order of ``AXES_LOCKOUT_PARAMETERS``: the account
    alone and the address alone have their own, anything else (the account from one
    address) the common ``AXES_FAILURE_LIMIT``."""
    own = {frozenset({"username"}): settings.AXES_ACCOUNT_FAILURE_LIMIT,
           frozenset({"ip_address"}): settings.AXES_ADDRESS_FAILURE_LIMIT}
    return [own.get(frozenset([p] if isinstance(p, str) else p), settings.AXES_FAILURE_LIMIT)
            for p in get_lockout_parameters(request, credentials)]
