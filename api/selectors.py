from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ApiToken


def tokens_for(user) -> QuerySet[ApiToken]:
    """A user's own tokens (nobody reads another's)."""
    return ApiToken.objects.filter(user=user)


def token_get(user, public_id: UUID) -> ApiToken:
    return get_object_or_404(tokens_for(user), public_id=public_id)
