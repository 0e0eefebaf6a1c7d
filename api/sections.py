"""The profile page's «Токены API» section."""

from __future__ import annotations

from django.utils import timezone

from . import rules, selectors


def profile_tokens(user) -> dict | None:
    if not rules.may_keep_tokens(user):
        return None
    now = timezone.now()
    tokens = list(selectors.tokens_for(user)[:50])
    return {"tokens": [(t, t.is_active(now), rules.token_actions(user, t, now))
                       for t in tokens], "max_days": rules.MAX_DAYS}
