"""Users (people who logged in, known by their national number), enterprise access grants and mandates."""

from __future__ import annotations

from typing import Any, ClassVar

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
