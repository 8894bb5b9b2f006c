"""Demo data for the embedded default (``make run``) and for people trying the system.

Deterministic: a seeded ``random.Random`` and fixed dates (nothing depends on today, except that
"current" employments are the ones without an end date). Idempotent: every record goes through the
registry import (``careerbreak.registries.importing``), an upsert by natural key, and access grants and
mandates are upserted by theirs; running ``load_demo_data`` twice changes nothing the second time.

The fixed records below are the cast of the documentation and of the end-to-end tests; import their
identifiers from here rather than copying them.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from careerbreak.identity.acting import Acting
from careerbreak.identity.models import (
    AccessGrant,
    ApiClient,
    ApiScope,
    Domain,
    Mandate,
    OfficeRole,
    Role,
    User,
)
from careerbreak.identity.office_roles import office_role_grant
from careerbreak.registries.identifiers import build_niss
from careerbreak.registries.importing import ImportReport, import_rows, raise_for_errors
from careerbreak.registries.models import (
    Employment,
    Enterprise,
    JointCommittee,
    Office,
    Person,
    PriorLeave,
    Sector,
    WorkerStatus,
)

SEED = 20260301
# Ages, seniority and children are drawn relative to this year, never to today.
REFERENCE_YEAR = 2025

# --- The fixed records ------------------------------------------------------------------------------------

BOULANGERIE_DUBOIS_NUMBER = "0812345603"
BOULANGERIE_DUBOIS_ONSS = "123456749"
ZORGGROEP_NUMBER = "0899000156"
ZORGGROEP_ONSS = "389900132"
SECUPAY_NUMBER = "0456123791"
SECUPAY_ONSS = "456123002"
LOGISTIQUE_MEUSE_NUMBER = "0876543270"
LOGISTIQUE_MEUSE_ONSS = "187654356"
WAVRE_NUMBER = "0207777760"
WAVRE_ONSS = "020777787"
GARAGE_SCHMITZ_NUMBER = "0478021542"
GARAGE_SCHMITZ_ONSS = "247802116"
BRASSERIE_DU_PARC_NUMBER = "1002345639"  # a 1-series enterprise number (issued since 2023)
BRASSERIE_DU_PARC_ONSS = "510234549"

JEAN_DUBOIS_NISS = "78041213507"  # main access manager, Boulangerie Dubois
AN_VERHOEVEN_NISS = "81110324486"  # user, Zorggroep Sint-Anna
LUC_JANSSENS_NISS = "75022805713"  # user, social secretariat SecuPay
SOPHIE_LAMBERT_NISS = "90061512202"  # full-time worker at Boulangerie Dubois since 2015-03-01
SOPHIE_LAMBERT_CHILD_NISS = "24021000251"  # Louise Lambert, born 2024-02-10
MARC_PEETERS_NISS = "64090103383"  # full-time worker at Logistique Meuse since 1995
ZORGGROEP_MANAGER_NISS = "72051714321"  # Pieter Claes
SECUPAY_MANAGER_NISS = "69100208615"  # Nathalie Dumont
LOGISTIQUE_MEUSE_MANAGER_NISS = "83012421242"  # Isabelle Renard
WAVRE_MANAGER_NISS = "76080905863"  # Christine Lemaire
GARAGE_SCHMITZ_MANAGER_NISS = "67033003706"  # Thomas Schmitz
BRASSERIE_DU_PARC_MANAGER_NISS = "85120416136"  # Olivier Gilson
OFFICE_AGENT_NISS = "79052111774"  # Julien Moreau, agent of the Liège office (Wallonia: Sophie's requests)
OFFICE_SUPERVISOR_NISS = "71100822232"  # Anne Delcourt, supervisor of every office
OFFICE_AGENT_OFFICE = "WAL"

SOPHIE_LAMBERT_START = datetime.date(2015, 3, 1)
SOPHIE_LAMBERT_CHILD_BIRTH = datetime.date(2024, 2, 10)
MARC_PEETERS_START = datetime.date(1995, 9, 1)
MANDATES_VALID_FROM = datetime.date(2020, 1, 1)
GRANTED_AT = datetime.datetime(2024, 1, 15, 9, 0, tzinfo=datetime.UTC)

# The demo API client of SecuPay (client_secret_basic), printed by `make run`. A fixed secret, for the
# demo only: load_demo_data refuses to create it in production.
DEMO_API_CLIENT_ID = "demo-secupay"
DEMO_API_CLIENT_SECRET = "demo-secret-not-for-production"

BOULANGERIE_DUBOIS_WORKERS = 8
ZORGGROEP_WORKERS = 250
LOGISTIQUE_MEUSE_WORKERS = 60


@dataclass(frozen=True)
class DemoIdentity:
    """Someone to log in as in the demo (development identity provider)."""

    niss: str
    first_name: str
    last_name: str
    language: str
    description: str


DEMO_IDENTITIES: tuple[DemoIdentity, ...] = (
    DemoIdentity(
        JEAN_DUBOIS_NISS, "Jean", "Dubois", "fr", "main access manager, Boulangerie Dubois SRL (8 workers)"
    ),
    DemoIdentity(AN_VERHOEVEN_NISS, "An", "Verhoeven", "nl", "user, Zorggroep Sint-Anna VZW (250 workers)"),
    DemoIdentity(
        LUC_JANSSENS_NISS, "Luc", "Janssens", "nl", "user of the social secretariat SecuPay (mandates)"
    ),
    DemoIdentity(SOPHIE_LAMBERT_NISS, "Sophie", "Lambert", "fr", "worker at Boulangerie Dubois, one child"),
    DemoIdentity(MARC_PEETERS_NISS, "Marc", "Peeters", "fr", "worker at Logistique Meuse SA since 1995"),
    DemoIdentity(ZORGGROEP_MANAGER_NISS, "Pieter", "Claes", "nl", "main access manager, Zorggroep Sint-Anna"),
    DemoIdentity(SECUPAY_MANAGER_NISS, "Nathalie", "Dumont", "fr", "main access manager, SecuPay"),
    DemoIdentity(
        LOGISTIQUE_MEUSE_MANAGER_NISS, "Isabelle", "Renard", "fr", "main access manager, Logistique Meuse"
    ),
    DemoIdentity(WAVRE_MANAGER_NISS, "Christine", "Lemaire", "fr", "main access manager, Commune de Wavre"),
    DemoIdentity(
        GARAGE_SCHMITZ_MANAGER_NISS, "Thomas", "Schmitz", "de", "main access manager, Garage Schmitz (Eupen)"
    ),
    DemoIdentity(
        BRASSERIE_DU_PARC_MANAGER_NISS, "Olivier", "Gilson", "fr", "main access manager, Brasserie du Parc"
    ),
    DemoIdentity(
        OFFICE_AGENT_NISS, "Julien", "Moreau", "fr", "agent of the employment office, Liège (Wallonia)"
    ),
    DemoIdentity(
        OFFICE_SUPERVISOR_NISS, "Anne", "Delcourt", "fr", "supervisor of the employment office (all offices)"
    ),
)

# --- Plausible Belgian names and places -------------------------------------------------------------------

Lang = Literal["fr", "nl", "de"]


def _split(names: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in names.split(","))


FIRST_NAMES: dict[Lang, dict[str, tuple[str, ...]]] = {
    "fr": {
        "M": _split(
            "Thomas, Nicolas, Julien, Maxime, Antoine, Olivier, Laurent, Philippe, Christophe, "
            "Sébastien, Michel, Pierre, François, Benoît, Didier, Alain, Vincent, Cédric, Damien, "
            "Grégory, Louis, Arthur, Hugo, Simon, Romain, Quentin, Jérôme, Frédéric, Stéphane, "
            "Patrick, Noah, Nathan, Jules, Gabriel"
        ),
        "F": _split(
            "Marie, Julie, Sarah, Camille, Laura, Émilie, Aurélie, Caroline, Nathalie, Isabelle, "
            "Catherine, Sandrine, Valérie, Céline, Charlotte, Manon, Chloé, Élise, Pauline, Mélanie, "
            "Anne, Sylvie, Véronique, Virginie, Delphine, Stéphanie, Audrey, Justine, Lucie, Hélène, "
            "Louise, Alice, Léa, Olivia"
        ),
    },
    "nl": {
        "M": _split(
            "Jan, Pieter, Tom, Bart, Koen, Wim, Dirk, Kris, Stijn, Jens, Thomas, Lars, Ruben, Wouter, "
            "Joris, Geert, Luc, Marc, Sander, Bram, Jonas, Arne, Tim, Filip, Kevin, Steven, Peter, "
            "Jeroen, Maarten, Lucas, Finn, Vince, Mathis, Seppe"
        ),
        "F": _split(
            "An, Els, Katrien, Sofie, Lien, Leen, Sarah, Hanne, Lotte, Eline, Nele, Inge, Veerle, "
            "Griet, Ilse, Kathleen, Liesbeth, Annelies, Marieke, Evelien, Femke, Laura, Tine, Joke, "
            "Hilde, Ann, Karen, Elke, Charlotte, Emma, Marie, Lina, Noor, Fien"
        ),
    },
    "de": {
        "M": _split(
            "Jürgen, Thomas, Stefan, Michael, Andreas, Markus, Christian, Klaus, Dieter, Jan, Lukas, "
            "Jonas, Tobias, Marco, Patrick, Ralf, Werner, Bernd, Daniel, Elias, Leon"
        ),
        "F": _split(
            "Anja, Monika, Sabine, Claudia, Petra, Andrea, Nicole, Stefanie, Julia, Lena, Sarah, "
            "Katharina, Birgit, Ingrid, Marion, Silke, Carina, Vanessa, Melanie, Mia, Hannah"
        ),
    },
}

LAST_NAMES: dict[Lang, tuple[str, ...]] = {
    "fr": _split(
        "Dubois, Lambert, Martin, Dupont, Simon, Laurent, Leclercq, Lejeune, Renard, Lemaire, Dumont, "
        "Mathieu, Collard, François, Gilson, Henry, Jacquet, Denis, Lefèvre, Hubert, Michaux, "
        "Dethier, Collignon, Piret, Massart, Delvaux, Lecomte, Noël, Maréchal, Remacle, Hardy, "
        "Pirard, Bodart, Gérard, Thiry, Marchal, Delhaye, Goffin, Louis, Hanssens, Servais, Evrard"
    ),
    "nl": _split(
        "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet, "
        "Vermeulen, Van den Broeck, Hermans, Aerts, Verhoeven, Van Damme, Desmet, De Vos, Pauwels, "
        "Michiels, Smets, Claeys, Martens, Verstraete, Bogaerts, De Clercq, Van de Velde, Cools, "
        "Lemmens, Geerts, Vandenberghe, Segers, Coppens, Wuyts, Verlinden, Thys, Luyten, De Backer, "
        "Van Hoof, Stevens"
    ),
    "de": _split(
        "Schmitz, Kessler, Margraff, Lentz, Mertes, Kohnen, Hilligsmann, Cremer, Heinen, Jost, "
        "Kreusch, Fickers, Maraite, Thissen, Brüll, Pankert, Lambertz, Offermann, Radermacher, "
        "Keutgen, Hennes, Reuter, Gennen, Weynand, Palm, Backes"
    ),
}

STREETS: dict[Lang, tuple[str, ...]] = {
    "fr": _split(
        "Rue de la Station, Rue du Moulin, Chaussée de Bruxelles, Rue de l'Église, Avenue des, "
        "Tilleuls, Rue Haute, Rue des Écoles, Rue du Centre, Rue de Namur, Rue des Champs, Avenue, "
        "Reine Astrid"
    ),
    "nl": _split(
        "Kerkstraat, Stationsstraat, Dorpsstraat, Molenstraat, Schoolstraat, Nieuwstraat, "
        "Kapelstraat, Veldstraat, Beukenlaan, Lindelaan, Tiensesteenweg"
    ),
    "de": _split(
        "Aachener Straße, Kirchstraße, Bergstraße, Hauptstraße, Neustraße, Klosterstraße, "
        "Gospertstraße, Herbesthaler Straße, Bahnhofstraße, Malmedyer Straße"
    ),
}

# Where each employer's workers live: (postal code, municipality) in the municipality's own language.
Region = Literal["brabant_wallon", "namur", "liege", "leuven", "brussels", "eupen"]
PLACES: dict[Region, tuple[tuple[str, str], ...]] = {
    "brabant_wallon": (
        ("1300", "Wavre"),
        ("1340", "Ottignies-Louvain-la-Neuve"),
        ("1330", "Rixensart"),
        ("1390", "Grez-Doiceau"),
        ("1400", "Nivelles"),
        ("1380", "Lasne"),
        ("1301", "Bierges"),
        ("5030", "Gembloux"),
    ),
    "namur": (
        ("5000", "Namur"),
        ("5100", "Jambes"),
        ("5300", "Andenne"),
        ("5030", "Gembloux"),
        ("5060", "Sambreville"),
        ("5101", "Erpent"),
        ("4500", "Huy"),
    ),
    "liege": (
        ("4000", "Liège"),
        ("4020", "Liège"),
        ("4100", "Seraing"),
        ("4430", "Ans"),
        ("4040", "Herstal"),
    ),
    "leuven": (
        ("3000", "Leuven"),
        ("3010", "Kessel-Lo"),
        ("3001", "Heverlee"),
        ("3020", "Herent"),
        ("3300", "Tienen"),
        ("3200", "Aarschot"),
        ("3150", "Haacht"),
        ("3110", "Rotselaar"),
        ("2800", "Mechelen"),
    ),
    "brussels": (
        ("1000", "Bruxelles"),
        ("1030", "Schaerbeek"),
        ("1050", "Ixelles"),
        ("1070", "Anderlecht"),
        ("1090", "Jette"),
        ("1180", "Uccle"),
        ("1040", "Etterbeek"),
    ),
    "eupen": (
        ("4700", "Eupen"),
        ("4720", "Kelmis"),
        ("4730", "Raeren"),
        ("4710", "Lontzen"),
        ("4780", "Sankt Vith"),
    ),
}
STREET_LANGUAGE: dict[Region, Lang] = {
    "brabant_wallon": "fr",
    "namur": "fr",
    "liege": "fr",
    "leuven": "nl",
    "eupen": "de",
}
# Brussels municipalities are bilingual: Dutch speakers write their own names.
BRUSSELS_NL = {
    "Bruxelles": "Brussel",
    "Schaerbeek": "Schaarbeek",
    "Ixelles": "Elsene",
    "Uccle": "Ukkel",
    "Anderlecht": "Anderlecht",
    "Jette": "Jette",
    "Etterbeek": "Etterbeek",
}


# --- What each employer looks like ------------------------------------------------------------------------

# A job: (joint committee or None for public staff, worker status, weight, weekly hours Q to draw from).
Job = tuple[str | None, str, int, tuple[str, ...]]
FULL_TIME = ("38",)
MOSTLY_FULL = ("38", "38", "38", "38", "30.4", "19")
CARE_HOURS = ("38", "38", "38", "30.4", "30.4", "28.5", "19", "22.8", "32")


@dataclass(frozen=True)
class EmployerSpec:
    number: str
    onss: str
    name: str
    legal_form: str
    street: str
    postal_code: str
    city: str
    sector: str
    language: Lang
    reference_headcount: int
    workers: int  # current employments, fixed workers included
    region: Region
    languages: tuple[tuple[Lang, int], ...]  # the workers' languages, weighted
    jobs: tuple[Job, ...]
    is_social_secretariat: bool = False
    manager_niss: str = ""


# fmt: off
EMPLOYERS: tuple[EmployerSpec, ...] = (
    EmployerSpec(
        BOULANGERIE_DUBOIS_NUMBER, BOULANGERIE_DUBOIS_ONSS, "Boulangerie Dubois SRL", "SRL",
        "Rue de Bruxelles 41", "1300", "Wavre", Sector.PRIVATE, "fr", 8, BOULANGERIE_DUBOIS_WORKERS,
        "brabant_wallon", (("fr", 1),),
        (("118", "PRIVATE_BLUE_COLLAR", 6, MOSTLY_FULL), ("220", "PRIVATE_WHITE_COLLAR", 1, ("19", "38"))),
        manager_niss=JEAN_DUBOIS_NISS,
    ),
    EmployerSpec(
        ZORGGROEP_NUMBER, ZORGGROEP_ONSS, "Zorggroep Sint-Anna VZW", "VZW", "Sint-Annaplein 1", "3000",
        "Leuven", Sector.PRIVATE, "nl", 250, ZORGGROEP_WORKERS, "leuven", (("nl", 46), ("fr", 3), ("de", 1)),
        (("330", "PRIVATE_WHITE_COLLAR", 3, CARE_HOURS), ("330", "PRIVATE_BLUE_COLLAR", 1, CARE_HOURS)),
        manager_niss=ZORGGROEP_MANAGER_NISS,
    ),
    EmployerSpec(
        LOGISTIQUE_MEUSE_NUMBER, LOGISTIQUE_MEUSE_ONSS, "Logistique Meuse SA", "SA", "Chaussée de Liège 210",
        "5100", "Jambes", Sector.PRIVATE, "fr", 58, LOGISTIQUE_MEUSE_WORKERS, "namur", (("fr", 9), ("nl", 1)),
        (("140", "PRIVATE_BLUE_COLLAR", 3, MOSTLY_FULL), ("226", "PRIVATE_WHITE_COLLAR", 2, MOSTLY_FULL)),
        manager_niss=LOGISTIQUE_MEUSE_MANAGER_NISS,
    ),
    EmployerSpec(
        WAVRE_NUMBER, WAVRE_ONSS, "Commune de Wavre", "Administration communale",
        "Place de l'Hôtel de Ville 1", "1300", "Wavre", Sector.LOCAL_PUBLIC, "fr", 44, 45, "brabant_wallon",
        (("fr", 1),),
        (
            (None, "PUBLIC_CONTRACTUAL", 11, MOSTLY_FULL),
            (None, "PUBLIC_STATUTORY", 8, MOSTLY_FULL),
            (None, "PUBLIC_TRAINEE", 1, FULL_TIME),
        ),
        manager_niss=WAVRE_MANAGER_NISS,
    ),
    EmployerSpec(
        SECUPAY_NUMBER, SECUPAY_ONSS, "SecuPay ASBL", "ASBL", "Rue Royale 97", "1000", "Bruxelles",
        Sector.PRIVATE, "fr", 14, 14, "brussels", (("fr", 1), ("nl", 1)),
        (("200", "PRIVATE_WHITE_COLLAR", 1, MOSTLY_FULL),),
        is_social_secretariat=True,
        manager_niss=SECUPAY_MANAGER_NISS,
    ),
    EmployerSpec(
        GARAGE_SCHMITZ_NUMBER, GARAGE_SCHMITZ_ONSS, "Garage Schmitz GmbH", "GmbH", "Aachener Straße 120",
        "4700", "Eupen", Sector.PRIVATE, "de", 6, 6, "eupen", (("de", 1),),
        (("112", "PRIVATE_BLUE_COLLAR", 5, FULL_TIME), ("200", "PRIVATE_WHITE_COLLAR", 1, ("19", "38"))),
        manager_niss=GARAGE_SCHMITZ_MANAGER_NISS,
    ),
    EmployerSpec(
        BRASSERIE_DU_PARC_NUMBER, BRASSERIE_DU_PARC_ONSS, "Brasserie du Parc SRL", "SRL",
        "Boulevard d'Avroy 12", "4000", "Liège", Sector.PRIVATE, "fr", 11, 12, "liege", (("fr", 1),),
        (("302", "PRIVATE_BLUE_COLLAR", 3, MOSTLY_FULL), ("302", "PRIVATE_WHITE_COLLAR", 1, MOSTLY_FULL)),
        manager_niss=BRASSERIE_DU_PARC_MANAGER_NISS,
    ),
)
# fmt: on
# SecuPay acts for these employers (open-ended mandates), and acted for Logistique Meuse until 2022.
MANDATED_EMPLOYERS = (BOULANGERIE_DUBOIS_NUMBER, GARAGE_SCHMITZ_NUMBER, BRASSERIE_DU_PARC_NUMBER)
ENDED_MANDATE = (LOGISTIQUE_MEUSE_NUMBER, datetime.date(2017, 1, 1), datetime.date(2022, 12, 31))
# Former employers for earlier, ended employments (their current headcounts stay as stated).
FORMER_EMPLOYERS = (LOGISTIQUE_MEUSE_NUMBER, BRASSERIE_DU_PARC_NUMBER, WAVRE_NUMBER, GARAGE_SCHMITZ_NUMBER)


# fmt: off
# niss, first name, last name, birth date, gender, language, street, postal code, municipality
FIXED_PERSONS: tuple[tuple[str, str, str, str, str, Lang, str, str, str], ...] = (
    (JEAN_DUBOIS_NISS, "Jean", "Dubois", "1978-04-12", "M", "fr", "Rue des Champs 7", "1300", "Wavre"),
    (AN_VERHOEVEN_NISS, "An", "Verhoeven", "1981-11-03", "F", "nl", "Kapelstraat 23", "3010",
     "Kessel-Lo"),
    (LUC_JANSSENS_NISS, "Luc", "Janssens", "1975-02-28", "M", "nl", "Lindelaan 9", "1800",
     "Vilvoorde"),
    (SOPHIE_LAMBERT_NISS, "Sophie", "Lambert", "1990-06-15", "F", "fr", "Rue du Moulin 15", "1301",
     "Bierges"),
    (SOPHIE_LAMBERT_CHILD_NISS, "Louise", "Lambert", "2024-02-10", "F", "fr", "Rue du Moulin 15",
     "1301", "Bierges"),
    (MARC_PEETERS_NISS, "Marc", "Peeters", "1964-09-01", "M", "fr", "Rue de Dave 102", "5100",
     "Jambes"),
    (ZORGGROEP_MANAGER_NISS, "Pieter", "Claes", "1972-05-17", "M", "nl", "Beukenlaan 4", "3020",
     "Herent"),
    (SECUPAY_MANAGER_NISS, "Nathalie", "Dumont", "1969-10-02", "F", "fr", "Avenue Brugmann 140",
     "1180", "Uccle"),
    (LOGISTIQUE_MEUSE_MANAGER_NISS, "Isabelle", "Renard", "1983-01-24", "F", "fr", "Rue de Fer 33",
     "5000", "Namur"),
    (WAVRE_MANAGER_NISS, "Christine", "Lemaire", "1976-08-09", "F", "fr", "Avenue des Tilleuls 18",
     "1300", "Wavre"),
    (GARAGE_SCHMITZ_MANAGER_NISS, "Thomas", "Schmitz", "1967-03-30", "M", "de",
     "Herbesthaler Straße 61", "4700", "Eupen"),
    (BRASSERIE_DU_PARC_MANAGER_NISS, "Olivier", "Gilson", "1985-12-04", "M", "fr",
     "Rue Saint-Gilles 80", "4000", "Liège"),
    (OFFICE_AGENT_NISS, "Julien", "Moreau", "1979-05-21", "M", "fr", "Rue Sainte-Marguerite 12", "4020",
     "Liège"),
    (OFFICE_SUPERVISOR_NISS, "Anne", "Delcourt", "1971-10-08", "F", "fr", "Rue du Trône 54", "1050",
     "Ixelles"),
)
# fmt: on


# --- The generated records --------------------------------------------------------------------------------


@dataclass
class DemoRecords:
    """Everything to load, as rows for the registry import plus the access grants and mandates."""

    enterprises: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    employments: list[dict[str, Any]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)
    prior_leaves: list[dict[str, Any]] = field(default_factory=list)
    grants: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # niss, enterprise, role, granted by
    mandates: list[tuple[str, str, datetime.date, datetime.date | None]] = field(default_factory=list)


@dataclass
class _Person:
    niss: str
    first_name: str
    last_name: str
    birth_date: datetime.date
    gender: str
    language: Lang
    street: str
    postal_code: str
    city: str
    country: str = "BE"

    def row(self) -> dict[str, Any]:
        return {
            "niss": self.niss,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "gender": self.gender,
            "language": self.language,
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
            "email": _email(self.first_name, self.last_name, self.niss),
        }


def _email(first: str, last: str, niss: str) -> str:
    import unicodedata

    def ascii_part(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return "".join(ch for ch in plain.lower() if ch.isalnum())

    return f"{ascii_part(first)}.{ascii_part(last)}.{niss[-4:]}@demo.example"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.used_first9: set[str] = set()
        self.records = DemoRecords()
        self.people: dict[str, _Person] = {}
        # Per employer: how many Dimona periods so far (the period number is the enterprise number + index).
        self.periods: dict[str, int] = {}
        # Per worker: (employer, start) of the current employment.
        self.current: dict[str, tuple[EmployerSpec, datetime.date]] = {}

    # - persons -

    def niss(self, birth: datetime.date, gender: str, *, bis: bool = False) -> str:
        while True:
            sequence = self.rng.randrange(1 if gender == "M" else 2, 998, 2)
            number = build_niss(birth, sequence, month_offset=40 if bis else 0)
            if number[:9] not in self.used_first9:
                self.used_first9.add(number[:9])
                return number

    def place(self, region: Region, language: Lang) -> tuple[str, str, str]:
        postal_code, city = self.rng.choice(PLACES[region])
        if region == "brussels" and language == "nl":
            city = BRUSSELS_NL[city]
        street_language = STREET_LANGUAGE.get(region) or ("nl" if language == "nl" else "fr")
        street = f"{self.rng.choice(STREETS[street_language])} {self.rng.randint(1, 180)}"
        return street, postal_code, city

    def add_person(self, person: _Person) -> _Person:
        self.used_first9.add(person.niss[:9])
        self.people[person.niss] = person
        self.records.persons.append(person.row())
        return person

    def new_person(
        self,
        *,
        region: Region,
        language: Lang,
        birth_years: tuple[int, int],
        gender: str | None = None,
        last_name: str | None = None,
        address: tuple[str, str, str, str] | None = None,
        bis: bool = False,
    ) -> _Person:
        gender = gender or self.rng.choice("MF")
        birth = self.birthday(*birth_years)
        if address is None:
            # A cross-border worker is known to the Crossroads Bank by a BIS number.
            address = (
                self.rng.choice(CROSS_BORDER[language]) if bis else (*self.place(region, language), "BE")
            )
        street, postal_code, city, country = address
        return self.add_person(
            _Person(
                niss=self.niss(birth, gender, bis=bis),
                first_name=self.rng.choice(FIRST_NAMES[language][gender]),
                last_name=last_name or self.rng.choice(LAST_NAMES[language]),
                birth_date=birth,
                gender=gender,
                language=language,
                street=street,
                postal_code=postal_code,
                city=city,
                country=country,
            )
        )

    def birthday(self, first_year: int, last_year: int) -> datetime.date:
        start = datetime.date(first_year, 1, 1)
        span = (datetime.date(last_year, 12, 31) - start).days
        return start + datetime.timedelta(days=self.rng.randint(0, span))

    def language_for(self, spec: EmployerSpec) -> Lang:
        languages, weights = zip(*spec.languages, strict=True)
        return self.rng.choices(languages, weights=weights)[0]

    # - employments -

    def job_for(self, spec: EmployerSpec) -> Job:
        return self.rng.choices(spec.jobs, weights=[job[2] for job in spec.jobs])[0]

    def employ(
        self,
        spec: EmployerSpec,
        person: _Person,
        start: datetime.date,
        *,
        end: datetime.date | None = None,
        job: Job | None = None,
        hours: str | None = None,
    ) -> None:
        committee, status, _weight, hour_choices = job or self.job_for(spec)
        self.periods[spec.number] = self.periods.get(spec.number, 0) + 1
        self.records.employments.append(
            {
                "period_id": f"{spec.number}{self.periods[spec.number]:05d}",
                "employer": spec.number,
                "worker": person.niss,
                "joint_committee": committee or "",
                "worker_type": "OTH",
                "worker_status": status,
                "start_date": start.isoformat(),
                "end_date": end.isoformat() if end else "",
                "weekly_hours": hours or self.rng.choice(hour_choices),
                "reference_hours": "38",
            }
        )
        if end is None:
            self.current[person.niss] = (spec, start)

    def start_date(
        self, person: _Person, *, latest: datetime.date = datetime.date(2024, 6, 1)
    ) -> datetime.date:
        earliest = max(_add_months(person.birth_date, 12 * 19), datetime.date(1990, 1, 1))
        if earliest >= latest:
            return latest
        start = earliest + datetime.timedelta(days=self.rng.randint(0, (latest - earliest).days))
        return start.replace(day=1)


CROSS_BORDER: dict[Lang, tuple[tuple[str, str, str, str], ...]] = {
    "nl": (("Markt 12", "6211 CK", "Maastricht", "NL"), ("Kerkstraat 4", "5611 GH", "Eindhoven", "NL")),
    "fr": (("Rue Nationale 8", "59000", "Lille", "FR"), ("Grand-Rue 21", "1661", "Luxembourg", "LU")),
    "de": (("Pontstraße 30", "52062", "Aachen", "DE"), ("Hauptstraße 5", "52156", "Monschau", "DE")),
}


def build_demo_records(seed: int = SEED) -> DemoRecords:
    """All demo records, computed in memory; the same seed gives the same records, whatever the date."""
    gen = _Generator(seed)
    by_number = {spec.number: spec for spec in EMPLOYERS}
    records = gen.records

    for spec in EMPLOYERS:
        records.enterprises.append(
            {
                "number": spec.number,
                "onss_number": spec.onss,
                "name": spec.name,
                "legal_form": spec.legal_form,
                "street": spec.street,
                "postal_code": spec.postal_code,
                "city": spec.city,
                "country": "BE",
                "sector": str(spec.sector),
                "reference_headcount": spec.reference_headcount,
                "language": spec.language,
                "is_social_secretariat": spec.is_social_secretariat,
            }
        )

    # The fixed cast first, so that their numbers are never drawn for someone else.
    for niss, first, last, birth, gender, language, street, postal_code, city in FIXED_PERSONS:
        birth_date = datetime.date.fromisoformat(birth)
        gen.add_person(_Person(niss, first, last, birth_date, gender, language, street, postal_code, city))
    sophie, louise = gen.people[SOPHIE_LAMBERT_NISS], gen.people[SOPHIE_LAMBERT_CHILD_NISS]
    records.children.append({"parent": sophie.niss, "child": louise.niss})

    # Fixed employments: (enterprise, worker, start, job index, weekly hours).
    fixed_employments = [
        (BOULANGERIE_DUBOIS_NUMBER, SOPHIE_LAMBERT_NISS, SOPHIE_LAMBERT_START, 0, "38"),
        (LOGISTIQUE_MEUSE_NUMBER, MARC_PEETERS_NISS, MARC_PEETERS_START, 1, "38"),
        (ZORGGROEP_NUMBER, AN_VERHOEVEN_NISS, datetime.date(2009, 9, 1), 0, "30.4"),
        (ZORGGROEP_NUMBER, ZORGGROEP_MANAGER_NISS, datetime.date(2001, 2, 1), 0, "38"),
        (LOGISTIQUE_MEUSE_NUMBER, LOGISTIQUE_MEUSE_MANAGER_NISS, datetime.date(2012, 4, 1), 1, "38"),
        (SECUPAY_NUMBER, LUC_JANSSENS_NISS, datetime.date(2006, 10, 1), 0, "38"),
        (SECUPAY_NUMBER, SECUPAY_MANAGER_NISS, datetime.date(1998, 3, 1), 0, "38"),
        (WAVRE_NUMBER, WAVRE_MANAGER_NISS, datetime.date(2003, 6, 1), 1, "38"),
    ]
    for number, niss, start, job, hours in fixed_employments:
        employer = by_number[number]
        gen.employ(employer, gen.people[niss], start, job=employer.jobs[job], hours=hours)

    # Generated workers, up to each employer's headcount.
    for spec in EMPLOYERS:
        already = sum(1 for employer, _start in gen.current.values() if employer is spec)
        for _index in range(spec.workers - already):
            language = gen.language_for(spec)
            bis = spec.number == ZORGGROEP_NUMBER and gen.rng.random() < 0.02
            person = gen.new_person(region=spec.region, language=language, birth_years=(1962, 2004), bis=bis)
            gen.employ(spec, person, gen.start_date(person))

    # Earlier, ended employments for some current workers, and former workers with no current job.
    workers = sorted(gen.current, key=lambda niss: niss)
    for niss in gen.rng.sample(workers, 45):
        spec, start = gen.current[niss]
        person = gen.people[niss]
        career_start = max(_add_months(person.birth_date, 12 * 19), datetime.date(1990, 1, 1))
        if (start - career_start).days < 400:
            continue
        former = by_number[gen.rng.choice([n for n in FORMER_EMPLOYERS if n != spec.number])]
        first_day = career_start + datetime.timedelta(
            days=gen.rng.randint(0, (start - career_start).days - 380)
        )
        first_day = first_day.replace(day=1)
        last_day = min(
            start - datetime.timedelta(days=1),
            _add_months(first_day, gen.rng.randint(12, 120)) - datetime.timedelta(days=1),
        )
        gen.employ(former, person, first_day, end=last_day)
    for _index in range(10):
        spec = by_number[gen.rng.choice(FORMER_EMPLOYERS)]
        person = gen.new_person(region=spec.region, language=gen.language_for(spec), birth_years=(1960, 1998))
        first_day = gen.start_date(person, latest=datetime.date(2022, 1, 1))
        last_day = _add_months(first_day, gen.rng.randint(6, 60)) - datetime.timedelta(days=1)
        gen.employ(spec, person, first_day, end=min(last_day, datetime.date(2024, 12, 31)))

    # Children for some workers, and earlier leaves for some of those.
    parents = [
        niss
        for niss in sorted(gen.current)
        if 1975 <= gen.people[niss].birth_date.year <= 1996 and niss != SOPHIE_LAMBERT_NISS
    ]
    for niss in gen.rng.sample(parents, min(80, len(parents))):
        parent = gen.people[niss]
        spec, start = gen.current[niss]
        born: list[_Person] = []
        for _child in range(gen.rng.choice((1, 1, 2, 2, 3))):
            first_year = max(parent.birth_date.year + 24, 2008)
            last_year = min(parent.birth_date.year + 44, 2024)
            if first_year > last_year:
                break
            child = gen.new_person(
                region=spec.region,
                language=parent.language,
                birth_years=(first_year, last_year),
                last_name=parent.last_name,
                address=(parent.street, parent.postal_code, parent.city, parent.country),
            )
            records.children.append({"parent": parent.niss, "child": child.niss})
            born.append(child)
        if born and gen.rng.random() < 0.45:
            _prior_leave(gen, parent, spec, start, gen.rng.choice(born))

    # A few workers with a leave for someone else than a child.
    on_leave_before = {row["worker"] for row in records.prior_leaves}
    for niss in gen.rng.sample(sorted(set(gen.current) - on_leave_before), 12):
        spec, start = gen.current[niss]
        leave_start = _add_months(max(start, datetime.date(2016, 1, 1)), gen.rng.randint(3, 60)).replace(
            day=1
        )
        if leave_start > datetime.date(2024, 1, 1):
            continue
        leave_type, form, months = (
            ("PUBLIC_CAREER_BREAK", "full", gen.rng.choice((3, 6, 12)))
            if spec.sector != Sector.PRIVATE
            else gen.rng.choice(
                (
                    ("MEDICAL_ASSISTANCE", "full", 1),
                    ("MEDICAL_ASSISTANCE", "half", 3),
                    ("PALLIATIVE", "full", 1),
                    ("TC_TRAINING", "1/5", 6),
                )
            )
        )
        _add_leave(gen, niss, spec, leave_type, form, leave_start, months, subject=None)

    # Access: a main access manager everywhere, users at Zorggroep and SecuPay.
    for spec in EMPLOYERS:
        records.grants.append((spec.manager_niss, spec.number, Role.MAIN_ACCESS_MANAGER, ""))
    records.grants.append((AN_VERHOEVEN_NISS, ZORGGROEP_NUMBER, Role.USER, ZORGGROEP_MANAGER_NISS))
    records.grants.append((LUC_JANSSENS_NISS, SECUPAY_NUMBER, Role.USER, SECUPAY_MANAGER_NISS))
    for number in MANDATED_EMPLOYERS:
        records.mandates.append((SECUPAY_NUMBER, number, MANDATES_VALID_FROM, None))
    records.mandates.append((SECUPAY_NUMBER, *ENDED_MANDATE))
    return records


def _prior_leave(
    gen: _Generator, parent: _Person, spec: EmployerSpec, start: datetime.date, child: _Person
) -> None:
    earliest = max(child.birth_date, start)
    latest = min(_add_months(child.birth_date, 12 * 8), datetime.date(2024, 6, 1))
    if earliest >= latest:
        return
    leave_start = (earliest + datetime.timedelta(days=gen.rng.randint(0, (latest - earliest).days))).replace(
        day=1
    )
    leave_start = max(leave_start, _add_months(earliest, 1).replace(day=1))
    if spec.sector == Sector.PRIVATE and gen.rng.random() < 0.3:
        leave_type, form, months = "TC_CHILD_CARE", *gen.rng.choice((("half", 3), ("1/5", 6)))
    else:
        leave_type, form, months = "PARENTAL", *gen.rng.choice((("1/5", 5), ("half", 2), ("full", 1)))
    _add_leave(gen, parent.niss, spec, leave_type, form, leave_start, months, subject=child.niss)


def _add_leave(
    gen: _Generator,
    niss: str,
    spec: EmployerSpec,
    leave_type: str,
    form: str,
    start: datetime.date,
    months: int,
    *,
    subject: str | None,
) -> None:
    gen.records.prior_leaves.append(
        {
            "worker": niss,
            "employer": spec.number,
            "leave_type": leave_type,
            "form": form,
            "start_date": start.isoformat(),
            "end_date": (_add_months(start, months) - datetime.timedelta(days=1)).isoformat(),
            "subject": subject or "",
        }
    )


# --- Loading ----------------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    reports: list[ImportReport]
    grants_created: int
    mandates_created: int

    @property
    def created(self) -> int:
        return sum(r.created for r in self.reports) + self.grants_created + self.mandates_created

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.reports)

    def lines(self) -> list[str]:
        counts = {r.kind: r.rows for r in self.reports}
        return [
            f"Demo data: {counts['enterprises']} enterprises, {counts['persons']} persons "
            f"({counts['children']} parent-child links), {counts['employments']} employments, "
            f"{counts['prior_leaves']} earlier leaves.",
            f"Changes: {self.created} created, {self.updated} updated"
            + (" (already loaded: nothing to do)." if not self.created and not self.updated else "."),
            "Log in as: "
            + ", ".join(f"{i.first_name} {i.last_name} {i.niss}" for i in DEMO_IDENTITIES[:5])
            + ".",
        ]


def load_demo_data(seed: int = SEED) -> DemoSummary:
    """Create or update the demo records; running it again changes nothing."""
    records = build_demo_records(seed)
    source = "demo data"
    with transaction.atomic():
        reports = [
            raise_for_errors(import_rows(kind, rows, source=source))
            for kind, rows in (
                ("enterprises", records.enterprises),
                ("persons", records.persons),
                ("children", records.children),
                ("employments", records.employments),
                ("prior_leaves", records.prior_leaves),
            )
        ]
        enterprises = dict(Enterprise.objects.values_list("number", "pk"))
        grants = _upsert_grants(records.grants, enterprises)
        mandates = _upsert_mandates(records.mandates, enterprises)
        grants += _grant_office_roles()
        _upsert_demo_api_client(enterprises)
    return DemoSummary(reports, grants, mandates)


def _grant_office_roles() -> int:
    """The demo agent (of the office of Sophie Lambert's domicile) and the demo supervisor, through the
    audited service; a role already held is left as it is."""
    created = 0
    for niss, kind, office in (
        (OFFICE_AGENT_NISS, OfficeRole.Kind.AGENT, Office.objects.get(code=OFFICE_AGENT_OFFICE)),
        (OFFICE_SUPERVISOR_NISS, OfficeRole.Kind.SUPERVISOR, None),
    ):
        if not OfficeRole.objects.active().filter(niss=niss).exists():
            office_role_grant(acting=Acting.system(), niss=niss, kind=kind, office=office)
            created += 1
    return created


def _upsert_demo_api_client(enterprises: dict[str, int]) -> None:
    """SecuPay's demo API client with its fixed, public secret (never in production)."""
    from django.conf import settings
    from django.contrib.auth.hashers import check_password, make_password

    if settings.PRODUCTION:
        return
    client = ApiClient.objects.filter(client_id=DEMO_API_CLIENT_ID).first()
    if client is not None and check_password(DEMO_API_CLIENT_SECRET, client.secret_hash):
        return
    manager, _ = User.objects.get_or_create(niss=SECUPAY_MANAGER_NISS)
    ApiClient.objects.update_or_create(
        client_id=DEMO_API_CLIENT_ID,
        defaults={
            "name": "SecuPay payroll (demo)",
            "enterprise_id": enterprises[SECUPAY_NUMBER],
            "auth_method": ApiClient.AuthMethod.CLIENT_SECRET_BASIC,
            "secret_hash": make_password(DEMO_API_CLIENT_SECRET),
            "jwks": None,
            "scopes": sorted(ApiScope.values),
            "registered_by": manager,
            "revoked_at": None,
        },
    )


def _upsert_grants(grants: Iterable[tuple[str, str, str, str]], enterprises: dict[str, int]) -> int:
    created = 0
    for niss, number, role, granted_by in grants:
        grant = (
            AccessGrant.objects.active()
            .filter(niss=niss, enterprise_id=enterprises[number], domain=Domain.CAREER_BREAK)
            .first()
        )
        if grant is None:
            AccessGrant.objects.create(
                niss=niss,
                enterprise_id=enterprises[number],
                role=role,
                domain=Domain.CAREER_BREAK,
                granted_at=GRANTED_AT,
                granted_by_niss=granted_by,
            )
            created += 1
        elif grant.role != role:
            grant.role = role
            grant.save(update_fields=["role"])
    return created


def _upsert_mandates(
    mandates: Iterable[tuple[str, str, datetime.date, datetime.date | None]], enterprises: dict[str, int]
) -> int:
    created = 0
    for secretariat, employer, valid_from, valid_until in mandates:
        mandate, was_created = Mandate.objects.get_or_create(
            secretariat_id=enterprises[secretariat],
            employer_id=enterprises[employer],
            domain=Domain.CAREER_BREAK,
            valid_from=valid_from,
            defaults={"valid_until": valid_until, "created_at": GRANTED_AT},
        )
        created += was_created
        if not was_created and mandate.valid_until != valid_until:
            mandate.valid_until = valid_until
            mandate.save(update_fields=["valid_until"])
    return created


# --- A fingerprint of the registries, to prove that a second load changes nothing -------------------------


def database_digest() -> str:
    """A SHA-256 over the content (not the ids or timestamps) of the registries, grants and mandates."""
    digest = hashlib.sha256()

    def feed(label: str, rows: Iterable[Sequence[Any]]) -> None:
        for row in sorted(tuple(_plain(value) for value in row) for row in rows):
            digest.update(label.encode())
            digest.update("\x1f".join(row).encode())
            digest.update(b"\x1e")

    feed(
        "committee",
        JointCommittee.objects.values_list("number", "name_fr", "name_nl", "worker_category", "active"),
    )
    feed(
        "status",
        WorkerStatus.objects.values_list(
            "code", "label_fr", "label_nl", "label_de", "label_en", "sectors", "worker_category", "ordering"
        ),
    )
    feed(
        "enterprise",
        Enterprise.objects.values_list(
            "number",
            "onss_number",
            "name",
            "legal_form",
            "street",
            "postal_code",
            "city",
            "country",
            "sector",
            "reference_headcount",
            "language",
            "is_social_secretariat",
        ),
    )
    feed(
        "person",
        Person.objects.values_list(
            "niss",
            "kind",
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "language",
            "street",
            "postal_code",
            "city",
            "country",
            "email",
        ),
    )
    feed(
        "child", Person.children.through._default_manager.values_list("from_person__niss", "to_person__niss")
    )
    feed(
        "employment",
        Employment.objects.values_list(
            "period_id",
            "employer__number",
            "worker__niss",
            "joint_committee__number",
            "worker_type",
            "worker_status__code",
            "start_date",
            "end_date",
            "weekly_hours",
            "reference_hours",
        ),
    )
    feed(
        "leave",
        PriorLeave.objects.values_list(
            "worker__niss",
            "employer__number",
            "leave_type",
            "form",
            "start_date",
            "end_date",
            "subject__niss",
        ),
    )
    feed(
        "grant",
        AccessGrant.objects.values_list(
            "niss", "enterprise__number", "role", "domain", "granted_at", "granted_by_niss", "revoked_at"
        ),
    )
    feed(
        "mandate",
        Mandate.objects.values_list(
            "secretariat__number", "employer__number", "domain", "valid_from", "valid_until", "created_at"
        ),
    )
    return digest.hexdigest()


def _plain(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value, datetime.UTC).isoformat()
            if timezone.is_aware(value)
            else value.isoformat()
        )
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value)
