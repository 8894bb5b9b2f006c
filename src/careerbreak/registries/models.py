"""Local copies of the authentic sources: BCE/KBO (enterprises), the national register (persons),
Dimona (employments), the joint committees and worker statuses.

Identifiers are stored compact (digits only). Validation lives in ``identifiers.py``; these models
only guard their shape with database constraints.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Defined once for every layer (ADR 0011); imported here under the names the registries have always used.
from careerbreak.vocabularies import Language as Language
from careerbreak.vocabularies import LeaveForm as LeaveForm
from careerbreak.vocabularies import LeaveType as LeaveType
from careerbreak.vocabularies import Sector as Sector
from careerbreak.vocabularies import WorkerStatusCode, active_language


class WorkerCategory(models.TextChoices):
    BLUE_COLLAR = "blue", _("Blue-collar workers")
    WHITE_COLLAR = "white", _("White-collar workers")
    BOTH = "both", _("Blue- and white-collar workers")


class JointCommittee(models.Model):
    """A joint committee (commission paritaire / paritair comité), e.g. "118" or "322.01"."""

    number = models.CharField(_("number"), max_length=8, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=255)
    name_nl = models.CharField(_("name (Dutch)"), max_length=255)
    worker_category = models.CharField(_("workers"), max_length=5, choices=WorkerCategory.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("joint committee")
        verbose_name_plural = _("joint committees")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{3}(\.[0-9]{2})?$"), name="joint_committee_number_shape"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.name}"

    @property
    def name(self) -> str:
        """The official name in the active language: Dutch for nl, French otherwise (the official pair)."""
        return self.name_nl if self.name_language == "nl" else self.name_fr

    @property
    def name_language(self) -> str:
        """The language ``name`` is written in: the committees have official names in French and Dutch
        only, so a German or English page shows the French one and marks it ``lang="fr"`` (issue 15)."""
        from django.utils.translation import get_language

        return "nl" if (get_language() or "fr").startswith("nl") else "fr"


class WorkerStatus(models.Model):
    """The worker's status ("Statut du travailleur"), which decides the leave types on offer."""

    code = models.CharField(_("code"), max_length=32, unique=True, choices=WorkerStatusCode.choices)
    label_fr = models.CharField(_("label (French)"), max_length=128)
    label_nl = models.CharField(_("label (Dutch)"), max_length=128)
    label_de = models.CharField(_("label (German)"), max_length=128)
    label_en = models.CharField(_("label (English)"), max_length=128)
    # Sectors where this status exists (a subset of Sector values).
    sectors = models.JSONField(_("sectors"), default=list)
    # Blue- or white-collar for private-sector statuses (must fit the joint committee); blank otherwise.
    worker_category = models.CharField(_("workers"), max_length=5, choices=WorkerCategory.choices, blank=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("worker status")
        verbose_name_plural = _("worker statuses")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        lang = active_language()
        return str(getattr(self, f"label_{lang}", None) or self.label_fr)

    def applies_to(self, sector: str) -> bool:
        return sector in self.sectors

    def fits_committee(self, committee: JointCommittee) -> bool:
        """False when a blue-collar status meets a white-collar-only committee, or the reverse."""
        if not self.worker_category or committee.worker_category == WorkerCategory.BOTH:
            return True
        return committee.worker_category == self.worker_category


class Enterprise(models.Model):
    """An enterprise from the Crossroads Bank for Enterprises (BCE/KBO)."""

    number = models.CharField(_("enterprise number"), max_length=10, unique=True)
    onss_number = models.CharField(_("ONSS number"), max_length=9, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    legal_form = models.CharField(_("legal form"), max_length=64, blank=True)
    street = models.CharField(_("street and number"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    city = models.CharField(_("municipality"), max_length=128, blank=True)
    country = models.CharField(_("country"), max_length=2, default="BE")
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    # Headcount on 30 June of the previous year, as the registry gives it: decides notice periods and
    # thresholds. None: unknown (never read as 0, which would make the enterprise a small one). The figure
    # the employer confirms at step 3 is kept per year in EnterpriseHeadcount.
    reference_headcount = models.PositiveIntegerField(
        _("headcount on 30 June of the previous year"), null=True, blank=True, default=None
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    is_social_secretariat = models.BooleanField(_("social secretariat"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[01][0-9]{9}$"), name="enterprise_number_shape"
            ),
            models.CheckConstraint(
                condition=Q(onss_number="") | Q(onss_number__regex=r"^[0-9]{9}$"),
                name="enterprise_onss_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.formatted_number})"

    @property
    def formatted_number(self) -> str:
        n = self.number
        return f"{n[:4]}.{n[4:7]}.{n[7:]}"

    @property
    def formatted_onss_number(self) -> str:
        n = self.onss_number
        return f"{n[:7]}-{n[7:]}" if n else ""


class EnterpriseHeadcount(models.Model):
    """The enterprise's headcount on 30 June of ``year``, as the employer confirmed it at step 3.

    Per year, because the rules need the figure of the year before the written notice (CCT 103: 30 June of
    the previous year), and a notice given in one year may be filed in the next. Who confirmed it and when
    is in the audit trail.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="headcounts")
    year = models.PositiveSmallIntegerField(_("year"))
    headcount = models.PositiveIntegerField(_("headcount on 30 June"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("confirmed headcount")
        verbose_name_plural = _("confirmed headcounts")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_headcount_per_enterprise_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} 30/06/{self.year}: {self.headcount}"


class Person(models.Model):
    """A person from the national register (NISS) or the Crossroads Bank's BIS register."""

    class Kind(models.TextChoices):
        NISS = "niss", _("National register number")
        BIS = "bis", _("BIS number")

    class Gender(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        UNKNOWN = "X", _("Unknown")

    niss = models.CharField(_("national register number"), max_length=11, unique=True)
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.NISS)
    first_name = models.CharField(_("first name"), max_length=128)
    last_name = models.CharField(_("last name"), max_length=128)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    street = models.CharField(_("street and number"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    city = models.CharField(_("municipality"), max_length=128, blank=True)
    country = models.CharField(_("country"), max_length=2, default="BE")
    email = models.EmailField(_("e-mail address"), blank=True)
    # Children (by birth or adoption) as recorded in the national register.
    children = models.ManyToManyField("self", symmetrical=False, related_name="parents", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(condition=Q(niss__regex=r"^[0-9]{11}$"), name="person_niss_shape")
        ]
        # The persons in name order, the first few hundred (the development identity provider's list of
        # test citizens): read from this index instead of sorting the whole register each time.
        indexes = [models.Index(fields=["last_name", "first_name", "niss"], name="person_name_order")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formatted_niss(self) -> str:
        n = self.niss
        return f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}"


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def current(self, on: datetime.date | None = None) -> EmploymentQuerySet:
        """Employments running on ``on`` (today by default): started, and not ended before that day."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Employment(models.Model):
    """A Dimona period: one worker employed by one employer from a start date, open or closed."""

    class WorkerType(models.TextChoices):
        OTH = "OTH", _("Ordinary worker")
        STU = "STU", _("Student")
        FLX = "FLX", _("Flexi-job")
        EXT = "EXT", _("Occasional worker")
        A17 = "A17", _("Article 17")
        DWD = "DWD", _("Day worker")

    period_id = models.CharField(_("Dimona period number"), max_length=16, unique=True)
    employer = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="employments")
    worker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments")
    # None for public-sector staff, who have no joint committee.
    joint_committee = models.ForeignKey(
        JointCommittee, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    worker_type = models.CharField(_("worker type"), max_length=3, choices=WorkerType.choices, default="OTH")
    worker_status = models.ForeignKey(
        WorkerStatus, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    start_date = models.DateField(_("start of employment"))
    end_date = models.DateField(_("end of employment"), null=True, blank=True)
    # Q: the worker's weekly hours; S: those of a full-time reference worker.
    weekly_hours = models.DecimalField(_("weekly hours (Q)"), max_digits=4, decimal_places=2)
    reference_hours = models.DecimalField(_("reference weekly hours (S)"), max_digits=4, decimal_places=2)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [models.Index(fields=["employer", "worker"]), models.Index(fields=["employer", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0)
                & Q(reference_hours__gt=0)
                & Q(weekly_hours__lte=models.F("reference_hours")),
                name="employment_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.employer} from {self.start_date}"

    @property
    def is_full_time(self) -> bool:
        return self.weekly_hours >= self.reference_hours


# The leave types of the catalogue (DOMAIN.md §4); earlier leaves are recorded with the same codes.
LEAVE_TYPE_CODES: frozenset[str] = frozenset(LeaveType.values)


class PriorLeave(models.Model):
    """A leave period recorded by the office before this system (its legacy history).

    Entitlement counts use these together with the requests filed in the system.
    """

    worker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="prior_leaves")
    employer = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    leave_type = models.CharField(_("type"), max_length=32, choices=LeaveType.choices)
    form = models.CharField(_("form"), max_length=8, choices=LeaveForm.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    # The child or patient the leave was for, where the type counts per child or patient.
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("earlier leave")
        verbose_name_plural = _("earlier leaves")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="prior_leave_dates"
            ),
            models.UniqueConstraint(
                fields=["worker", "leave_type", "start_date"], name="prior_leave_natural_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leave_type} {self.form} {self.start_date}–{self.end_date}"


class Office(models.Model):
    """An office of the employment office (ONEM/RVA): it decides the requests of the workers who live in
    its area (``OfficeArea``). Reference data, loaded like the joint committees."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    # The office's name in each language ({"fr": …, "nl": …, "de": …, "en": …}); ``name`` picks the
    # reader's language, falling back to French.
    names = models.JSONField(default=dict)

    class Meta:
        ordering = ["code"]
        verbose_name = _("employment office")
        verbose_name_plural = _("employment offices")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = active_language()
        return str(self.names.get(language) or self.names.get("fr") or self.code)


class OfficeArea(models.Model):
    """A range of Belgian postal codes (inclusive) whose residents' requests an office decides."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="areas")
    postcode_from = models.PositiveIntegerField(_("from postal code"))
    postcode_to = models.PositiveIntegerField(_("to postal code"))

    class Meta:
        ordering = ["postcode_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode_to__gte=models.F("postcode_from")), name="office_area_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id}: {self.postcode_from}-{self.postcode_to}"
