"""Login failures and lockouts go to the audit trail."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit
from .clientip import client_ip as _ip


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(None, "core.login.failed", None,
                 {"username": str(credentials.get("username", ""))[:150]},
                 ip_address=_ip(request))


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(None, "core.login.locked_out", None, {"username": str(username or "")[:150]},
                 ip_address=ip_address)


@receiver(user_logged_in)
def audit_logged_in(sender, request, user, **kwargs):
    audit.record(user, "core.login.succeeded", user, {}, ip_address=_ip(request))
