"""Who may use the read API: every active user with a role keeps personal tokens; a token
reads exactly what its user's pages show (the apps' scoped selectors). The federal
observer reads aggregates only."""

from __future__ import annotations

from core.permissions import ensure  # noqa: F401 (the views' refusal)
from core.scope import scope_of
from methodists.rules import may_view_pool as reads_pool_coverage  # noqa: F401
from training.rules import may_view_coverage as reads_training_coverage  # noqa: F401

#: The longest a token may live, in days.
MAX_DAYS = 365


def register() -> None:
    """Tokens are personal: no role grant is needed."""


def may_keep_tokens(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and scope_of(user).roles)


def may_revoke(user, token) -> bool:
    return token.user_id == user.pk


def token_actions(user, token, now) -> frozenset[str]:
    return frozenset({"revoke"}) if token.is_active(now) and may_revoke(user, token) \
        else frozenset()


def reads_records(user) -> bool:
    """Lists of single schools, profiles and documents: not for an aggregate-only reader."""
    from core.suppression import reads_only_aggregates

    return not reads_only_aggregates(user, None)
