"""In-app notifications and their e-mail copies.

``notify`` is called inside a service's transaction: the rows commit with the change they
announce, so a rolled-back change tells nobody anything. The e-mail copy is an outbox: a
notification not yet e-mailed is a letter to send, delivered by
:func:`notifications_deliver` from a beat task (every minute). Sending never touches the
broker in the request, so an action that notifies works the same when Redis is down or
hangs (issue 22). Without a broker (development, tests) the letters go out right after the
commit, in process.

Every notification has a *kind* (issue 23): a stable code an app registers in its
``AppConfig.ready`` with :func:`notification_kind`, with a Russian label for the user's
preference page. Per kind a user chooses the portal only, also e-mail (the default), or a
daily summary by e-mail (:func:`notifications_digest_send`, beat once a day).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from . import audit
from .models import Notification, NotificationChannel, NotificationPreference
from .text import count_phrase

logger = logging.getLogger(__name__)

#: A letter the mail server keeps refusing is given up after this many attempts …
EMAIL_MAX_ATTEMPTS = 8
#: … and a letter older than this is not sent any more (it would tell stale news).
EMAIL_MAX_AGE = timedelta(days=3)
#: Seconds to wait for the mail server, when the settings give no EMAIL_TIMEOUT.
EMAIL_TIMEOUT = 20


#: Letters of the daily summary older than this are not sent any more.
DIGEST_MAX_AGE = timedelta(days=7)
#: At most this many notifications are listed in one summary letter.
DIGEST_LIST_LIMIT = 50


# -- kinds ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str
    #: The heading the kind is listed under on the preference page («Документы»).
    group: str
    #: The roles that receive the kind (the page shows a user the kinds of their roles);
    #: empty: everybody.
    roles: tuple[str, ...] = ()
    default: str = NotificationChannel.EMAIL
    order: int = 100


OTHER = "core.other"
_KINDS: dict[str, NotificationKind] = {}


def notification_kind(code: str, label: str, *, group: str, roles: Iterable[str] = (),
                      default: str = NotificationChannel.EMAIL, order: int = 100) -> str:
    """Register a kind of notification (in ``AppConfig.ready``); returns its code."""
    _KINDS[code] = NotificationKind(code, label, group, tuple(roles), default, order)
    return code


notification_kind(OTHER, "Прочие уведомления", group="Прочее", order=1000)


def notification_kinds() -> list[NotificationKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.code))


def notification_kind_get(code: str) -> NotificationKind:
    return _KINDS.get(code) or _KINDS[OTHER]


def notification_kinds_for(user) -> list[NotificationKind]:
    """The kinds the user may receive with their roles, plus any kind they have received."""
    from .roles import Role
    from .scope import scope_of

    roles = scope_of(user).roles
    received = set(Notification.objects.filter(recipient=user).values_list("kind", flat=True)
                   .distinct())
    # «прочие» are offered only to whoever has received one
    return [k for k in notification_kinds()
            if k.code in received or (k.code != OTHER and (
                Role.ADMINISTRATOR in roles or not k.roles or set(k.roles) & roles))]


def notification_channels(user) -> dict[str, str]:
    """The user's channel per registered kind (their choice, else the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user)
                  .values_list("kind", "channel"))
    return {k.code: chosen.get(k.code, k.default) for k in notification_kinds()}


@transaction.atomic
def notification_preferences_save(*, actor, user, channels: dict[str, str]) -> int:
    """Store the user's own choices (kind code → channel); returns how many changed.

    Only the user sets their preferences; a choice equal to the kind's default is kept as
    a row too, so a later change of the default does not override what the user chose."""
    if actor is None or actor.pk != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Настройки уведомлений меняет только сам пользователь.")
    current = notification_channels(user)
    changed = {}
    for code, channel in channels.items():
        if code not in _KINDS or channel not in NotificationChannel.values:
            continue
        if current.get(code) != channel:
            NotificationPreference.objects.update_or_create(
                user=user, kind=code, defaults={"channel": channel})
            changed[code] = channel
    if changed:
        audit.record(actor, "core.notification_preferences.changed", user, {"channels": changed})
    return len(changed)


# -- making them ----------------------------------------------------------------------------------
def notify(recipients: Iterable, *, title: str, body: str = "", url: str = "",
           region=None, exclude=None, kind: str = OTHER) -> list[Notification]:
    """Create one notification of ``kind`` per distinct active recipient (never to
    ``exclude``, the actor: nobody needs to be told about their own action); its e-mail
    copy waits in the outbox unless the recipient chose the portal only or the daily
    summary for the kind."""
    if kind not in _KINDS:
        raise ValueError(f"unknown notification kind {kind!r}: register it with "
                         "core.notifications.notification_kind")
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if exclude is not None and user.pk == exclude.pk:
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return []
    chosen = dict(NotificationPreference.objects.filter(user_id__in=seen, kind=kind)
                  .values_list("user_id", "channel"))
    default = _KINDS[kind].default
    rows = [Notification(recipient=user, region=region, title=title[:255], body=body, url=url,
                         kind=kind, channel=chosen.get(user.pk, default)) for user in users]
    created = Notification.objects.bulk_create(rows)
    if not settings.USE_CELERY_BROKER and any(
            n.channel == NotificationChannel.EMAIL for n in created):
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
            .filter(emailed_at__isnull=True, channel=NotificationChannel.EMAIL,
                    email_attempts__lt=EMAIL_MAX_ATTEMPTS,
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
    return _send_each(pks, _deliver_one)


def _send_each(keys, send) -> int:
    """Send one letter per key over one mail connection, ``send(key, mail)`` answering how
    many went out, or None when the mail server refuses — the rest waits for the next run."""
    options = {} if getattr(settings, "EMAIL_TIMEOUT", None) else {"timeout": EMAIL_TIMEOUT}
    mail = get_connection(**options)
    sent = 0
    try:
        for key in keys:
            outcome = send(key, mail)
            if outcome is None:
                break
            sent += outcome
    finally:
        mail.close()
    return sent


def _deliver_one(pk: int, mail) -> int | None:
    with transaction.atomic():
        n = (Notification.objects.select_for_update(skip_locked=True, of=("self",))
             .select_related("recipient")
             .filter(pk=pk, emailed_at__isnull=True, channel=NotificationChannel.EMAIL).first())
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


# -- the daily summary ----------------------------------------------------------------------------
def _digest_due(now):
    return Notification.objects.filter(
        emailed_at__isnull=True, channel=NotificationChannel.DIGEST, read_at__isnull=True,
        created_at__gte=now - DIGEST_MAX_AGE, created_at__lte=now,
        recipient__is_active=True).exclude(recipient__email="")


def notifications_digest_send(*, now=None) -> int:
    """Send each user one letter listing their unread notifications of the kinds they get
    as a daily summary, and mark them sent; returns how many letters went out.

    Idempotent: a user's rows are locked (SKIP LOCKED) and marked in the letter's own
    transaction, so a second run the same day — or two runs at once — sends nothing more.
    A notification read on the portal before the summary is not mailed at all."""
    now = now or timezone.now()
    user_ids = sorted(set(_digest_due(now).values_list("recipient_id", flat=True)))
    if not user_ids:
        return 0
    return _send_each(user_ids, lambda user_id, mail: _digest_one(user_id, now, mail))


def _digest_letter(user, rows: list[Notification]) -> tuple[str, str]:
    base = settings.PORTAL_BASE_URL.rstrip("/")
    count = count_phrase(len(rows), "уведомление", "новое")
    greeting = f"Здравствуйте, {user.greeting_name}!" if user.greeting_name else "Здравствуйте!"
    lines = [greeting, "", f"На портале «500+» для вас {count}:", ""]
    for n in rows[:DIGEST_LIST_LIMIT]:
        lines.append(f"• {timezone.localtime(n.created_at):%d.%m %H:%M} — {n.title}")
        if n.url:
            lines.append(f"  {base}{n.url}")
    if len(rows) > DIGEST_LIST_LIMIT:
        rest = len(rows) - DIGEST_LIST_LIMIT
        lines.append(f"… и ещё {count_phrase(rest, 'уведомление')} — на странице уведомлений.")
    lines += ["", f"Все уведомления: {base}{reverse('core:notification_list')}",
              "Настроить, какие уведомления приходят письмом: "
              f"{base}{reverse('core:notification_settings')}",
              "", "Это письмо отправлено порталом «500+» автоматически; отвечать на него "
                  "не нужно."]
    return f"[500+] Сводка за день: {count}", "\n".join(lines)


def _digest_one(user_id: int, now, mail) -> int | None:
    with transaction.atomic():
        rows = list(_digest_due(now).filter(recipient_id=user_id)
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient").order_by("created_at", "pk"))
        if not rows:
            return 0  # sent meanwhile, or being sent by another run
        user = rows[0].recipient
        subject, text = _digest_letter(user, rows)
        try:
            send_mail(subject, text, None, [user.email], connection=mail)
        except Exception:
            logger.warning("daily summary for user %s not sent", user_id, exc_info=True)
            return None
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=now)
    return 1


def notifications_mark_read(user, *, public_id=None, now=None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id is not None:
        qs = qs.filter(public_id=public_id)
    return qs.update(read_at=now or timezone.now())
