"""In-app notifications and their e-mail copies.

``notify`` is called inside a service's transaction: the rows commit with the change they
announce, so a rolled-back change tells nobody anything. The e-mail copy is an outbox: a
notification not yet e-mailed is a letter to send, delivered by
:func:`notifications_deliver` from a beat task (every minute). Sending never touches the
broker in the request, so an action that notifies works the same when Redis is down or
hangs (issue 22). Without a broker (development, tests) the letters go out right after the
commit, in process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

#: A letter the mail server keeps refusing is given up after this many attempts …
EMAIL_MAX_ATTEMPTS = 8
#: … and a letter older than this is not sent any more (it would tell stale news).
EMAIL_MAX_AGE = timedelta(days=3)
#: Seconds to wait for the mail server, when the settings give no EMAIL_TIMEOUT.
EMAIL_TIMEOUT = 20


def notify(recipients: Iterable, *, title: str, body: str = "", url: str = "",
           region=None, exclude=None) -> list[Notification]:
    """Create one notification per distinct active recipient (never to ``exclude``, the
    actor: nobody needs to be told about their own action); its e-mail copy waits in the
    outbox."""
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if exclude is not None and user.pk == exclude.pk:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, region=region, title=title[:255], body=body,
                                 url=url))
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    if not settings.USE_CELERY_BROKER:
        ids = [n.pk for n in created]  # PostgreSQL and SQLite ≥ 3.35 return the new keys
        transaction.on_commit(lambda: _deliver_in_process(ids))
    return created


def _deliver_in_process(ids: list[int]) -> None:
    try:
        notifications_deliver(ids=ids)
    except Exception:  # the letters stay in the outbox; the action itself succeeded
        logger.exception("notification e-mails not sent")


def _outbox(now):
    return (Notification.objects
            .filter(emailed_at__isnull=True, email_attempts__lt=EMAIL_MAX_ATTEMPTS,
                    created_at__gte=now - EMAIL_MAX_AGE, recipient__is_active=True)
            .exclude(recipient__email="")
            .filter(Q(email_retry_at__isnull=True) | Q(email_retry_at__lte=now)))


def notifications_deliver(*, ids: list[int] | None = None, now=None, limit: int = 500) -> int:
    """Send the e-mail copies waiting in the outbox (only ``ids`` when given); returns how
    many were sent.

    Each letter is sent under its row's lock, taken with SKIP LOCKED, and marked sent in
    the same transaction: two deliveries running at once never send a letter twice, and
    a letter the mail server refused stays in the outbox for a later attempt.
    """
    now = now or timezone.now()
    due = _outbox(now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    pks = list(due.order_by("pk").values_list("pk", flat=True)[:limit])
    if not pks:
        return 0
    options = {} if getattr(settings, "EMAIL_TIMEOUT", None) else {"timeout": EMAIL_TIMEOUT}
    mail = get_connection(**options)
    sent = 0
    try:
        for pk in pks:
            outcome = _deliver_one(pk, mail)
            if outcome is None:
                break  # the mail server refuses: the rest waits for the next run
            sent += outcome
    finally:
        mail.close()
    return sent


def _deliver_one(pk: int, mail) -> int | None:
    with transaction.atomic():
        n = (Notification.objects.select_for_update(skip_locked=True, of=("self",))
             .select_related("recipient").filter(pk=pk, emailed_at__isnull=True).first())
        if n is None:
            return 0  # sent meanwhile, or being sent by another delivery
        link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{n.url}" if n.url else ""
        text = "\n\n".join(p for p in (n.body, link and f"Открыть на портале: {link}",
                                       "Это письмо отправлено порталом «500+» автоматически; "
                                       "отвечать на него не нужно.") if p)
        try:
            send_mail(f"[500+] {n.title}", text, None, [n.recipient.email], connection=mail)
        except Exception:
            n.email_attempts += 1
            # 1, 2, 4 … minutes, at most an hour
            n.email_retry_at = timezone.now() + timedelta(
                minutes=min(60, 2 ** (n.email_attempts - 1)))
            n.save(update_fields=["email_attempts", "email_retry_at"])
            logger.warning("notification %s: e-mail not sent (attempt %s)", n.pk,
                           n.email_attempts, exc_info=True)
            return None
        n.emailed_at = timezone.now()
        n.save(update_fields=["emailed_at"])
    return 1


def notifications_mark_read(user, *, public_id=None, now=None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id is not None:
        qs = qs.filter(public_id=public_id)
    return qs.update(read_at=now or timezone.now())
