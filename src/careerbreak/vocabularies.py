"""The words the whole service shares: sector, worker status, leave type, leave form, language.

One `TextChoices` per concept, each with its translated labels, defined once here and used by the models
(`choices=`), the forms, the templates (`get_FOO_display`, `.label`), the PDF and the rules. This module
imports nothing of ours, so that every layer may import it, `interruptions/rules/` and
`interruptions/types.py` included (docs/adr/0011-vocabularies.md).

Values are what the database, the drafts and the registry files hold; they never reach a page (a test renders
every page of the journeys and fails on any of them).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    DE = "de", _("German")
    EN = "en", _("English")


def active_language() -> str:
    """The two-letter code of the active language (``fr`` when none is active): which label, name or
    subject of several to show."""
    return (get_language() or "fr")[:2]


class Sector(models.TextChoices):
    PRIVATE = "private", _("Private sector")
    FEDERAL_PUBLIC = "federal_public", _("Federal public sector")
    REGIONAL_PUBLIC = "regional_public", _("Regional or community public sector")
    LOCAL_PUBLIC = "local_public", _("Local public sector")
    EDUCATION = "education", _("Education")


class WorkerStatusCode(models.TextChoices):
    """The worker's status ("Statut du travailleur"). Values from domain-research §7 (marked [U] there).

    The registry's `WorkerStatus` rows carry these codes, with the office's own wording per language.
    """

    PRIVATE_BLUE_COLLAR = "PRIVATE_BLUE_COLLAR", _("Blue-collar worker (private sector)")  # fr: ouvrier
    PRIVATE_WHITE_COLLAR = "PRIVATE_WHITE_COLLAR", _("White-collar worker (private sector)")  # fr: employé
    PUBLIC_CONTRACTUAL = "PUBLIC_CONTRACTUAL", _("Contractual staff (public sector)")  # fr: contractuel
    PUBLIC_STATUTORY = "PUBLIC_STATUTORY", _("Statutory staff (public sector)")  # fr: nommé / statutaire
    PUBLIC_TRAINEE = "PUBLIC_TRAINEE", _("Trainee (public sector)")  # fr: stagiaire
    TEACHING_STAFF = "TEACHING_STAFF", _("Teaching staff")  # fr: personnel enseignant
    AUTONOMOUS_PUBLIC_COMPANY = "AUTONOMOUS_PUBLIC_COMPANY", _("Staff of an autonomous public company")


class LeaveType(models.TextChoices):
    """The request types of the catalogue (DOMAIN.md §4); earlier leaves are recorded with the same codes.

    What each type allows (forms, sectors, statuses, fields) is `interruptions.types.CATALOGUE`.
    """

    # fr: Crédit-temps avec motif : soins à un enfant de moins de 8 ans
    TC_CHILD_CARE = "TC_CHILD_CARE", _("Time credit with motive: care for a child under 8")
    # fr: Crédit-temps avec motif : soins palliatifs
    TC_PALLIATIVE = "TC_PALLIATIVE", _("Time credit with motive: palliative care")
    # fr: Crédit-temps avec motif : assistance ou soins à un membre du ménage ou de la famille
    # gravement malade
    TC_SERIOUS_ILLNESS = (
        "TC_SERIOUS_ILLNESS",
        _("Time credit with motive: assistance or care to a seriously ill member of the household or family"),
    )
    # fr: Crédit-temps avec motif : soins à un enfant handicapé de moins de 21 ans
    TC_DISABLED_CHILD = "TC_DISABLED_CHILD", _("Time credit with motive: care for a disabled child under 21")
    # fr: Crédit-temps avec motif : assistance à un enfant mineur gravement malade
    TC_SERIOUSLY_ILL_MINOR = (
        "TC_SERIOUSLY_ILL_MINOR",
        _("Time credit with motive: assistance to a seriously ill minor child"),
    )
    # fr: Crédit-temps avec motif : formation reconnue
    TC_TRAINING = "TC_TRAINING", _("Time credit with motive: recognised training")
    TC_END_OF_CAREER = "TC_END_OF_CAREER", _("End-of-career job")  # fr: Emploi de fin de carrière
    PARENTAL = "PARENTAL", _("Parental leave")  # fr: Congé parental
    MEDICAL_ASSISTANCE = (
        "MEDICAL_ASSISTANCE",
        _("Medical assistance leave"),
    )  # fr: Congé pour assistance médicale
    PALLIATIVE = "PALLIATIVE", _("Palliative care leave")  # fr: Congé pour soins palliatifs
    CAREGIVER = "CAREGIVER", _("Caregiver leave")  # fr: Congé pour aidant proche
    # fr: Interruption de carrière (secteur public)
    PUBLIC_CAREER_BREAK = "PUBLIC_CAREER_BREAK", _("Career break (public sector)")

    @property
    def in_sentence(self) -> str:
        """The type's name inside a sentence ("a request for parental leave", "uw kennisgeving voor
        ouderschapsverlof"): without the label's capital, except in German (a noun keeps it) and where the
        name starts with an abbreviation (issue 15)."""
        label = str(self.label)
        if active_language() == "de" or len(label) < 2 or label[1].isupper():
            return label
        return label[0].lower() + label[1:]


class LeaveForm(models.TextChoices):
    """How much of the working time the leave takes.

    The office's legacy history files spell the partial forms "fifth" and "tenth"; the registry import
    reads them as `ONE_FIFTH` and `ONE_TENTH` (`LEGACY_LEAVE_FORMS`), and nothing else knows those words.
    """

    FULL = "full", pgettext_lazy("leave form", "Full-time")  # fr: Temps plein
    HALF = "half", pgettext_lazy("leave form", "Half-time")  # fr: Mi-temps
    ONE_FIFTH = "1/5", pgettext_lazy("leave form", "1/5")
    ONE_TENTH = "1/10", pgettext_lazy("leave form", "1/10")

    @property
    def is_partial(self) -> bool:
        return self is not LeaveForm.FULL

    @property
    def in_sentence(self) -> str:
        """The form's name inside a sentence ("in de vorm halftijds", "à mi-temps"), where the label's
        capital would be wrong; German keeps its capital (a noun), as its translation says (issue 15)."""
        return str(
            {
                "full": pgettext_lazy("leave form, inside a sentence", "full-time"),
                "half": pgettext_lazy("leave form, inside a sentence", "half-time"),
                "1/5": pgettext_lazy("leave form, inside a sentence", "1/5"),
                "1/10": pgettext_lazy("leave form, inside a sentence", "1/10"),
            }[self.value]
        )

    @property
    def share(self) -> int:
        """The part of the working time the leave takes, as the denominator: 1, 2, 5 or 10."""
        return {"full": 1, "half": 2, "1/5": 5, "1/10": 10}[self.value]


# The spellings of the office's legacy history files (registries.importing reads them).
LEGACY_LEAVE_FORMS: dict[str, LeaveForm] = {"fifth": LeaveForm.ONE_FIFTH, "tenth": LeaveForm.ONE_TENTH}


def type_and_form(item: Any) -> dict[str, Any]:
    """What a page shows of a request's or a notice's type and form (``item.leave_type``, ``item.form``):
    ``leave_type``, the LeaveType (its ``label``, ``in_sentence``), and ``form_label``, its form's label."""
    return {"leave_type": LeaveType(item.leave_type), "form_label": LeaveForm(item.form).label}
