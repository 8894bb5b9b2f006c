"""Authorization codes and access tokens of the development identity provider.

Only SHA-256 hashes of codes and tokens are stored: a copy of the database cannot be replayed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuthorizationCode(models.Model):
    code_hash = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=128)
    redirect_uri = models.CharField(max_length=512)
    niss = models.CharField(max_length=11)
    nonce = models.CharField(max_length=255, blank=True)
    code_challenge = models.CharField(max_length=128)
    scope = models.CharField(max_length=255)
    acr = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"code for {self.client_id} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class AccessToken(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    # Tokens are revoked when their code is presented a second time (RFC 6749 §4.1.2).
    code = models.ForeignKey(AuthorizationCode, on_delete=models.CASCADE, related_name="access_tokens")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"access token for {self.code.client_id} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
