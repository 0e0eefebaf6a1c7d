"""Bearer-token authentication for the read API: ``Authorization: Bearer <secret>``. An
unknown, expired or revoked token, or a token of an inactive user, answers 401."""

from __future__ import annotations

import datetime

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken, token_hash

#: ``last_used_at`` is written at most this often per token (not on every request).
TOUCH_EVERY = datetime.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        kind, _, secret = header.partition(" ")
        if kind != self.keyword or not secret.strip():
            raise exceptions.AuthenticationFailed("Передайте токен: Authorization: Bearer …")
        token = (ApiToken.objects.select_related("user")
                 .filter(key_hash=token_hash(secret.strip())).first())
        now = timezone.now()
        if token is None or not token.is_active(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Токен недействителен: он отозван, истёк "
                                                  "или не существует.")
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
