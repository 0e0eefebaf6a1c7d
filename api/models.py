"""Personal API tokens: a token acts with its user's scope and never more. Only a hash of
the secret is stored; the secret is shown once, when the token is created."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models

PREFIX_LENGTH = 12


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name="пользователь")
    name = models.CharField("назначение", max_length=100)
    #: The first characters of the secret, to tell tokens apart in the list.
    prefix = models.CharField("начало", max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    expires_at = models.DateTimeField("действует до")
    last_used_at = models.DateTimeField("последнее использование", null=True, blank=True)
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)

    class Meta:
        verbose_name = "токен API"
        verbose_name_plural = "токены API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
