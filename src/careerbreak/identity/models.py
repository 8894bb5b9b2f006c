"""Users (people who logged in, known by their national number), enterprise access grants and mandates,
employment office roles, and the API clients of enterprises with their access tokens."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    def create_user(self, niss: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(niss=niss, **extra)
        if password:
            user.set_password(password)
        else:
            # Citizens and employers log in through OpenID Connect only.
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, niss: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(niss, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    niss = models.CharField(_("national register number"), max_length=11, unique=True)
    first_name = models.CharField(_("first name"), max_length=128, blank=True)
    last_name = models.CharField(_("last name"), max_length=128, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    # The language the user chose last; pages and messages use it after login.
    language = models.CharField(_("language"), max_length=2, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "niss"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=Q(niss__regex=r"^[0-9]{11}$"), name="user_niss_shape")
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.niss

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.niss


class Domain(models.TextChoices):
    CAREER_BREAK = "career_break", _("Career break")


class Role(models.TextChoices):
    MAIN_ACCESS_MANAGER = "main_access_manager", _("Main access manager")
    ACCESS_MANAGER = "access_manager", _("Access manager")
    USER = "user", _("User")


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def active(self) -> AccessGrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class AccessGrant(models.Model):
    """A person (by national number, logged in or not yet) may act for an enterprise in a domain."""

    niss = models.CharField(_("national register number"), max_length=11, db_index=True)
    enterprise = models.ForeignKey(
        "registries.Enterprise", on_delete=models.PROTECT, related_name="access_grants"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices, default=Domain.CAREER_BREAK)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by_niss = models.CharField(max_length=11, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_niss = models.CharField(max_length=11, blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "niss"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [
            models.UniqueConstraint(
                fields=["niss", "enterprise", "domain"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_grant_per_person_enterprise_domain",
            ),
            models.CheckConstraint(condition=Q(niss__regex=r"^[0-9]{11}$"), name="grant_niss_shape"),
        ]

    def __str__(self) -> str:
        return f"{self.niss} {self.role} @ {self.enterprise_id}"

    @property
    def is_manager(self) -> bool:
        return self.role in {Role.MAIN_ACCESS_MANAGER, Role.ACCESS_MANAGER}


class MandateQuerySet(models.QuerySet["Mandate"]):
    def valid_on(self, day: object) -> MandateQuerySet:
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class Mandate(models.Model):
    """An employer mandates a social secretariat (or service provider) to act for it."""

    secretariat = models.ForeignKey(
        "registries.Enterprise",
        on_delete=models.PROTECT,
        related_name="mandates_held",
        verbose_name=_("mandatary"),
    )
    employer = models.ForeignKey(
        "registries.Enterprise",
        on_delete=models.PROTECT,
        related_name="mandates_given",
        verbose_name=_("employer"),
    )
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices, default=Domain.CAREER_BREAK)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["employer", "-valid_from"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        indexes = [models.Index(fields=["secretariat", "valid_from"])]
        constraints = [
            models.CheckConstraint(condition=~Q(secretariat=F("employer")), name="mandate_not_self"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="mandate_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.secretariat_id} for {self.employer_id} from {self.valid_from}"

    def holds_on(self, day: datetime.date) -> bool:
        """Whether the mandate is in force on ``day``: ``MandateQuerySet.valid_on``'s rule, for a mandate
        already read."""
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


class OfficeRoleQuerySet(models.QuerySet["OfficeRole"]):
    def active(self) -> OfficeRoleQuerySet:
        return self.filter(revoked_at__isnull=True)


class OfficeRole(models.Model):
    """A civil servant's role at the employment office: agent of one office, or supervisor of all.

    Granted and revoked by ``manage.py office_role`` or in the admin (both audited); known by national
    number, so that it can be granted before the person's first login. Revoking keeps the row.
    """

    class Kind(models.TextChoices):
        AGENT = "agent", _("Agent")
        SUPERVISOR = "supervisor", _("Supervisor")

    niss = models.CharField(_("national register number"), max_length=11, db_index=True)
    kind = models.CharField(_("role"), max_length=16, choices=Kind.choices)
    # An agent works for one office; a supervisor sees every office (None).
    office = models.ForeignKey(
        "registries.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("employment office"),
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by_niss = models.CharField(max_length=11, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_niss = models.CharField(max_length=11, blank=True)

    objects = OfficeRoleQuerySet.as_manager()

    class Meta:
        ordering = ["niss", "-granted_at"]
        verbose_name = _("employment office role")
        verbose_name_plural = _("employment office roles")
        constraints = [
            models.CheckConstraint(condition=Q(niss__regex=r"^[0-9]{11}$"), name="office_role_niss_shape"),
            # An agent belongs to one office; a supervisor to none (they see all).
            models.CheckConstraint(
                condition=(Q(kind="agent") & Q(office__isnull=False))
                | (Q(kind="supervisor") & Q(office__isnull=True)),
                name="office_role_office_for_agents_only",
            ),
            models.UniqueConstraint(
                fields=["niss"], condition=Q(revoked_at__isnull=True), name="one_active_office_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.niss}: {self.kind} {self.office_id or '*'}"

    @property
    def is_supervisor(self) -> bool:
        return self.kind == self.Kind.SUPERVISOR


class ApiScope(models.TextChoices):
    REQUESTS_READ = "requests:read", _("Read requests")
    REQUESTS_WRITE = "requests:write", _("File, modify and cancel requests")
    NOTICES = "notices", _("Read and answer notices")


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def active(self) -> ApiClientQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """A program of an enterprise that calls the API (OAuth 2.0 client credentials).

    Registered, rotated and revoked by a main access manager of the enterprise, who answers for what it
    files: calls act under their name (``registered_by``) with ``Acting.via`` API and the client's id.
    """

    class AuthMethod(models.TextChoices):
        # RFC 7523 client assertions signed with the client's key; its public keys are registered.
        PRIVATE_KEY_JWT = "private_key_jwt", _("Signed assertion (private_key_jwt)")
        # A secret shown once and stored hashed (the demo client).
        CLIENT_SECRET_BASIC = "client_secret_basic", _("Secret (client_secret_basic)")

    client_id = models.CharField(_("client identifier"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    enterprise = models.ForeignKey(
        "registries.Enterprise", on_delete=models.PROTECT, related_name="api_clients"
    )
    auth_method = models.CharField(_("authentication"), max_length=32, choices=AuthMethod.choices)
    # client_secret_basic: Django's password hash of the secret (never the secret itself).
    secret_hash = models.CharField(max_length=256, blank=True)
    # private_key_jwt: the client's public JWKS ({"keys": [...]}).
    jwks = models.JSONField(null=True, blank=True)
    # The scopes the client may ask for (``ApiScope``).
    scopes = models.JSONField(default=list)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_niss = models.CharField(max_length=11, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        constraints = [
            models.CheckConstraint(
                condition=(Q(auth_method="private_key_jwt") & Q(jwks__isnull=False))
                | (Q(auth_method="client_secret_basic") & ~Q(secret_hash="")),
                name="api_client_has_credentials",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class ApiAccessToken(models.Model):
    """An API client's short-lived bearer token (``API_TOKEN_LIFETIME``); only its SHA-256 is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    scopes = models.JSONField(default=list)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"token of {self.client_id} until {self.expires_at}"


class ApiAssertionJti(models.Model):
    """A ``jti`` of a client assertion already used (RFC 7523 §3): a second use is a replay.

    Kept in the database, not the cache, so that every web process sees every use at once and a
    restart forgets nothing (docs/adr/0019-api-jti-store.md); a row is useless once ``expires_at`` (the
    assertion's ``exp``) has passed, and is deleted then.
    """

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "jti"], name="api_assertion_jti_once")]

    def __str__(self) -> str:
        return f"{self.jti} of {self.client_id}"


class IdempotencyKey(models.Model):
    """The first answer to an API client's POST with an ``Idempotency-Key``, kept at least
    ``API_IDEMPOTENCY_KEEP_HOURS`` (identity.idempotency): the same key and body replay it, another body is
    refused. The row is written before the call runs (``status`` None: in progress), so two concurrent
    calls with one key cannot both run."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="idempotency_keys")
    key = models.CharField(max_length=255)
    # What the key was used for: the method and path, and the SHA-256 of the body.
    operation = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="one_idempotency_key_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.key}"


class WebhookQuerySet(models.QuerySet["Webhook"]):
    def active(self) -> WebhookQuerySet:
        return self.filter(deleted_at__isnull=True, client__revoked_at__isnull=True)


class Webhook(models.Model):
    """An HTTPS address where an API client receives its events (docs/api.md).

    The signing secret is shown once, at registration, and kept encrypted (``identity.webhooks``), not
    hashed: each delivery is signed with it (HMAC-SHA256), so it must be readable to us, unlike a
    client secret, which we only ever compare (ADR 0021).
    """

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret_encrypted = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"webhook {self.pk} of {self.client_id}: {self.url}"
