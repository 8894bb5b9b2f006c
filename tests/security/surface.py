"""The whole surface for the security tests: every route the resolver knows, the cast, their objects.

``routes(urlconf)`` walks ``get_resolver()``, so a route added anywhere shows up here and must have its
rows in the tables of ``test_authorization.py`` and ``test_fuzz.py``.

``build_surface()`` builds the demo's cast (``tests.factories.demo_cast``) and lets each owner create
their objects as in real use: Jean (Boulangerie Dubois) files a request for Sophie Lambert (its PDF and
Sophie's eBox message follow), keeps a draft, opts in to notices; Sophie sends him a notice. The actors
are logged-in test clients.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import AccessGrant, ApiAccessToken, ApiClient, Mandate, Role, User
from careerbreak.interruptions import notices
from careerbreak.interruptions.models import (
    Attachment,
    Draft,
    LeaveRequest,
    NoticeSettings,
    RequestVersion,
    StatusTransition,
    WorkerNotice,
    WorkerPart,
)
from careerbreak.mailbox.models import EboxMessage, OutboxMessage
from careerbreak.registries.models import Enterprise, Person
from tests.attachment_files import started_part_with_attachment
from tests.conftest import make_enterprise, make_person
from tests.factories import ApiClientFactory, acting_for, acting_self, office_role_for
from tests.request_fixtures import confirm, jean_at_the_bakery, make_draft

# ---------------------------------------------------------------------------------------------------
# Routes, as the resolver has them


@dataclass(frozen=True)
class Route:
    """One URL pattern: ``key`` is its name with namespaces (``employer:request_detail``), or, for an
    unnamed pattern, its namespace and its pattern from the root
    (``admin:/admin/auth/group/<path:object_id>/``; ``/healthz`` at the root)."""

    key: str
    namespace: str
    pattern: str
    converters: dict[str, str]  # keyword → converter ("int", "str", "uuid", "path", "slug")


_CONVERTER_NAMES = {
    "IntConverter": "int",
    "StringConverter": "str",
    "UUIDConverter": "uuid",
    "PathConverter": "path",
    "SlugConverter": "slug",
}


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            converters = {
                name: _CONVERTER_NAMES.get(type(conv).__name__, type(conv).__name__)
                for name, conv in getattr(entry.pattern, "converters", {}).items()
            }
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = f"{namespace}:{pattern}" if namespace else pattern
            yield Route(key=key, namespace=namespace, pattern=pattern, converters=converters)


def routes(urlconf: str | None = None) -> list[Route]:
    """Every route of the URLconf (default: the site's), in resolver order."""
    return list(_walk(get_resolver(urlconf), "/", ""))


def url_for(route: Route, kwargs: dict[str, Any]) -> str:
    """The route's path with ``kwargs`` in its converters (built from the pattern, so that unnamed and
    regular-expression routes work too)."""
    path = route.pattern
    for name, converter in route.converters.items():
        path = path.replace(f"<{converter}:{name}>", str(kwargs[name]))
    if path.endswith("$"):  # the admin's catch-all is a regular expression: give it a plain tail
        path = path.split("(?P<url>", 1)[0] + str(kwargs.get("url", "nothing-here/"))
    return path


# ---------------------------------------------------------------------------------------------------
# The cast

ANONYMOUS = "anonymous"
NOBODY = "nobody"  # logged in, no access to any enterprise, not a worker of anyone's
EMPLOYER = "employer"  # Jean Dubois, main access manager of Boulangerie Dubois, who owns the objects
OTHER_EMPLOYER = "other_employer"  # An Verhoeven, acting for Zorggroep Sint-Anna
SECRETARIAT = "secretariat"  # Luc Janssens (SecuPay), acting for Boulangerie Dubois under a valid mandate
ENDED_SECRETARIAT = "ended_secretariat"  # Eddy Ended (Old Payroll), whose mandate of Boulangerie Dubois ended
WORKER = "worker"  # Sophie Lambert, the worker the request, the message and the notice are about
OTHER_WORKER = "other_worker"  # Marc Peeters, a worker of Logistique Meuse
ADMIN = "admin"  # staff and superuser, no enterprise access
# The employment office: Julien Moreau, agent of the Liège office (Sophie lives in its area); Hugo Lenoir,
# agent of the Brussels office; Anne Delcourt, supervisor of every office.
AGENT = "agent"
OTHER_OFFICE_AGENT = "other_office_agent"
SUPERVISOR = "supervisor"
ACTORS = (
    ANONYMOUS,
    NOBODY,
    EMPLOYER,
    OTHER_EMPLOYER,
    SECRETARIAT,
    ENDED_SECRETARIAT,
    WORKER,
    OTHER_WORKER,
    ADMIN,
    AGENT,
    OTHER_OFFICE_AGENT,
    SUPERVISOR,
)
# Who may see the request's personal data (the worker's name and number, the ticket) outside the admin.
ACTOR_SEES_THE_REQUEST = {EMPLOYER, SECRETARIAT, WORKER, AGENT, SUPERVISOR}

NOBODY_NISS = "85010100115"
ENDED_SECRETARIAT_NISS = "70020200264"
ADMIN_NISS = "88030300330"
GRANTEE_NISS = "60040400497"  # a plain user of Boulangerie Dubois, whose grant Jean may revoke
OLD_PAYROLL_NUMBER = "0999000129"
MANDATE_ENDED_ON = datetime.date(2025, 12, 31)
OTHER_OFFICE_AGENT_NISS = "82030437782"


@dataclass
class Surface:
    bakery: Enterprise
    jean: User
    filed: LeaveRequest
    draft: Draft
    notice: WorkerNotice
    message: EboxMessage
    grant: AccessGrant
    attachment: Attachment
    clients: dict[str, Client] = field(default_factory=dict)
    # Boulangerie Dubois's API client, registered by Jean.
    api_client: ApiClient | None = None

    @property
    def secrets(self) -> list[str]:
        """What identifies the other party: none of it may reach an actor who may not see the request."""
        worker = self.filed.worker
        return [
            self.filed.ticket,
            self.filed.slug,
            worker.full_name,
            demo_data.SOPHIE_LAMBERT_NISS,
            # Not her formatted number: the search's help text shows it as an example to everyone.
            str(self.draft.pk),
            str(self.message.pk),
        ]

    def path_values(self, route: Route) -> dict[str, Any]:
        """The owners' objects in the route's converters: the authorization test asks for the real thing."""
        values: dict[str, Any] = {}
        for name in route.converters:
            if name == "draft_id":
                values[name] = self.draft.pk
            elif name == "ticket":
                values[name] = self.filed.slug
            elif name == "version":
                values[name] = 1
            elif name == "notice_id":
                values[name] = self.notice.pk
            elif name == "grant_id":
                values[name] = self.grant.pk
            elif name == "message_id":
                values[name] = self.message.pk
            elif name == "attachment_id":
                values[name] = self.attachment.pk
            elif name == "client_id" and self.api_client is not None:
                values[name] = self.api_client.client_id
            elif name == "object_id":
                values[name] = _admin_object_id(route)
            else:
                values[name] = "1"
        return values


def _admin_object_id(route: Route) -> str:
    """The first row of the model an admin route is about, so that the admin opens real personal data."""
    from django.contrib import admin

    for model in admin.site._registry:
        opts = model._meta
        if f"{opts.app_label}_{opts.model_name}_" in route.key or f"/{opts.app_label}/{opts.model_name}/" in (
            route.pattern
        ):
            first = model._default_manager.order_by("pk").first()
            return str(first.pk) if first is not None else "1"
    return "1"


LoginAs = Callable[..., Client]


def build_surface(login_as: LoginAs, capture_on_commit: Callable[..., Any]) -> Surface:
    """The demo's cast, each owner's objects, and a logged-in client per actor."""
    jean, bakery = jean_at_the_bakery()
    with capture_on_commit(execute=True):
        filed = confirm(jean, bakery, make_draft(jean, bakery))
    draft = make_draft(jean, bakery)
    sophie = Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS)
    notices.notice_settings_set(acting=acting_for(jean, bakery), accepts=True)
    with capture_on_commit(execute=True):
        notice = notices.notice_send(
            notice=WorkerNotice(
                worker=sophie,
                enterprise=bakery,
                leave_type="PARENTAL",
                form="1/5",
                start_date=datetime.date(2027, 2, 1),
                months=5,
                message="Pour ma fille Louise.",
            ),
            acting=acting_self(User(niss=sophie.niss)),
        )
    message = EboxMessage.objects.filter(
        recipient_niss=demo_data.SOPHIE_LAMBERT_NISS, reference=filed.ticket
    ).get()

    # Sophie started her part (its first page) and attached a certificate: hers alone to read or remove.
    attachment = started_part_with_attachment(demo_data.SOPHIE_LAMBERT_NISS, filed.ticket)

    make_person(NOBODY_NISS, "Noor", "Nobody")
    make_person(ENDED_SECRETARIAT_NISS, "Eddy", "Ended")
    make_person(ADMIN_NISS, "Ada", "Admin")
    make_person(GRANTEE_NISS, "Gaston", "Grantee")
    make_person(OTHER_OFFICE_AGENT_NISS, "Hugo", "Lenoir")
    office_role_for(demo_data.OFFICE_AGENT_NISS)
    office_role_for(OTHER_OFFICE_AGENT_NISS, office="BXL")
    office_role_for(demo_data.OFFICE_SUPERVISOR_NISS, kind="supervisor")
    grant = AccessGrant.objects.create(niss=GRANTEE_NISS, enterprise=bakery, role=Role.USER)
    old_payroll = make_enterprise(OLD_PAYROLL_NUMBER, "Old Payroll SRL", is_social_secretariat=True)
    AccessGrant.objects.create(niss=ENDED_SECRETARIAT_NISS, enterprise=old_payroll, role=Role.USER)
    Mandate.objects.create(
        secretariat=old_payroll,
        employer=bakery,
        valid_from=datetime.date(2018, 1, 1),
        valid_until=MANDATE_ENDED_ON,
    )

    surface = Surface(
        bakery=bakery,
        jean=jean,
        filed=filed,
        draft=draft,
        notice=notice,
        message=message,
        grant=grant,
        attachment=attachment,
        api_client=ApiClientFactory(client_id="cb-bakery", enterprise=bakery, registered_by=jean),
    )
    surface.clients = {
        ANONYMOUS: Client(),
        NOBODY: login_as(NOBODY_NISS),
        EMPLOYER: login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER),
        OTHER_EMPLOYER: login_as(demo_data.AN_VERHOEVEN_NISS, enterprise=demo_data.ZORGGROEP_NUMBER),
        SECRETARIAT: login_as(demo_data.LUC_JANSSENS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER),
        # Chose Boulangerie Dubois while the mandate ran; the session still says so.
        ENDED_SECRETARIAT: login_as(ENDED_SECRETARIAT_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER),
        WORKER: login_as(demo_data.SOPHIE_LAMBERT_NISS, assurance_level=450),
        OTHER_WORKER: login_as(demo_data.MARC_PEETERS_NISS, assurance_level=450),
        ADMIN: login_as(ADMIN_NISS),
        AGENT: login_as(demo_data.OFFICE_AGENT_NISS),
        OTHER_OFFICE_AGENT: login_as(OTHER_OFFICE_AGENT_NISS),
        SUPERVISOR: login_as(demo_data.OFFICE_SUPERVISOR_NISS),
    }
    User.objects.filter(niss=ADMIN_NISS).update(is_staff=True, is_superuser=True)
    return surface


# ---------------------------------------------------------------------------------------------------
# State: what a refused request must leave as it was

WATCHED_MODELS: tuple[type[models.Model], ...] = (
    LeaveRequest,
    RequestVersion,
    StatusTransition,
    Draft,
    WorkerNotice,
    WorkerPart,
    Attachment,
    NoticeSettings,
    AccessGrant,
    Mandate,
    EboxMessage,
    OutboxMessage,
    User,
    ApiClient,
    ApiAccessToken,
)


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the models a request could change (audit events and sessions aside)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in WATCHED_MODELS
    }


def changed_models(before: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    after = fingerprint()
    return [label for label, rows in before.items() if after[label] != rows]


class _Rollback(Exception):
    pass


def isolated(send: Callable[[], Any], *, watch: bool = True) -> tuple[Any, list[str]]:
    """Send one request inside a savepoint that is rolled back, so that each request meets the same
    objects; returns the response and the models it changed (when ``watch``)."""
    outcome: list[Any] = []
    try:
        with transaction.atomic():
            before = fingerprint() if watch else {}
            outcome.append(send())
            outcome.append(changed_models(before) if watch else [])
            raise _Rollback
    except _Rollback:
        pass
    return outcome[0], outcome[1]
