"""In-app notifications and their e-mail copies.

``notify`` is called inside a service's transaction: the rows commit with the change they
announce, and the e-mail task is sent only after the commit (STYLE §2.2), so a rolled-back
change tells nobody anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(recipients: Iterable, *, title: str, body: str = "", url: str = "",
           region=None, exclude=None) -> list[Notification]:
    """Create one notification per distinct active recipient (never to ``exclude``, the
    actor: nobody needs to be told about their own action) and e-mail them after commit."""
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
    ids = [n.pk for n in created]  # PostgreSQL and SQLite ≥ 3.35 return the new keys

    def send() -> None:
        from .tasks import notification_email_task

        notification_email_task.delay(notification_ids=ids)

    transaction.on_commit(send)
    return created


def notifications_email(notification_ids: list[int]) -> int:
    """Send the e-mail copy of each notification not yet e-mailed; returns how many.

    Claims each row by a conditional update first (STYLE §2.3), so a task retried or run
    twice never sends a letter twice.
    """
    sent = 0
    for n in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True) \
            .select_related("recipient"):
        if not n.recipient.email:
            continue
        claimed = Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now())
        if not claimed:
            continue
        link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{n.url}" if n.url else ""
        text = "\n\n".join(p for p in (n.body, link and f"Открыть на портале: {link}",
                                       "Это письмо отправлено порталом «500+» автоматически; "
                                       "отвечать на него не нужно.") if p)
        send_mail(f"[500+] {n.title}", text, None, [n.recipient.email])
        sent += 1
    return sent


def notifications_mark_read(user, *, public_id=None, now=None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id is not None:
        qs = qs.filter(public_id=public_id)
    return qs.update(read_at=now or timezone.now())
