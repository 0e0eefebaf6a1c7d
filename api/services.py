"""Creating and revoking personal API tokens: one transaction, one audit entry each."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError

from . import rules
from .models import PREFIX_LENGTH, ApiToken, token_hash

NAME_MAX = 100
#: A user keeps at most this many active tokens.
ACTIVE_MAX = 10


class TokenError(DomainError):
    pass


@transaction.atomic
def token_create(*, actor, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of ``actor``'s own; returns it and its secret (shown once, kept hashed)."""
    rules.ensure(rules.may_keep_tokens(actor))
    name = (name or "").strip()
    if not name:
        raise TokenError("Укажите, для чего токен (например, «Сводные таблицы в Excel»).")
    if len(name) > NAME_MAX:
        raise TokenError(f"Назначение токена длиннее {NAME_MAX} знаков.")
    if not 1 <= days <= rules.MAX_DAYS:
        raise TokenError(f"Срок действия — от 1 до {rules.MAX_DAYS} дней.")
    now = timezone.now()
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= ACTIVE_MAX:
        raise TokenError(f"Действующих токенов уже {ACTIVE_MAX}: отзовите ненужный.")
    secret = "p500_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=secret[:PREFIX_LENGTH],
                                    key_hash=token_hash(secret),
                                    expires_at=now + datetime.timedelta(days=days))
    audit.record(actor, "api.token.created", token,
                 {"name": name, "prefix": token.prefix,
                  "expires_at": token.expires_at.isoformat()})
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    row = ApiToken.objects.select_for_update().get(pk=token.pk)
    rules.ensure(rules.may_revoke(actor, row))
    if row.revoked_at is not None:
        raise TokenError("Токен уже отозван.")
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    audit.record(actor, "api.token.revoked", row, {"name": row.name, "prefix": row.prefix})
    return row
