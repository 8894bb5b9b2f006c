"""``Cache-Control: private, no-store`` on every response to a logged-in user, page by page.

The walk covers every route of the employer, worker and portal interfaces (a route added without its
entry here fails), as the person who may see it, with the data of a filed request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from careerbreak.demo.data import (
    BOULANGERIE_DUBOIS_NUMBER,
    JEAN_DUBOIS_NISS,
    OFFICE_SUPERVISOR_NISS,
    SOPHIE_LAMBERT_NISS,
)
from careerbreak.identity.models import AccessGrant, Role
from careerbreak.interruptions.models import WorkerNotice, WorkerPart
from careerbreak.mailbox.models import EboxMessage
from careerbreak.registries.models import Person
from tests.attachment_files import started_part_with_attachment
from tests.factories import ApiClientFactory, office_role_for
from tests.request_fixtures import TODAY, confirm, jean_at_the_bakery, make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

WALKED_NAMESPACES = ("employer", "worker", "portal", "office")


def no_store(response: Any) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


@pytest.fixture
def world(db: None, django_capture_on_commit_callbacks: Any, media: Any) -> dict[str, Any]:
    jean, bakery = jean_at_the_bakery()
    with django_capture_on_commit_callbacks(execute=True):
        filed = confirm(jean, bakery, make_draft(jean, bakery))
    notice = WorkerNotice.objects.create(
        worker=Person.objects.get(niss=SOPHIE_LAMBERT_NISS),
        enterprise=bakery,
        leave_type="PARENTAL",
        form="1/5",
        start_date=datetime.date(2027, 3, 1),
        months=4,
    )
    grant = AccessGrant.objects.create(niss=SOPHIE_LAMBERT_NISS, enterprise=bakery, role=Role.USER)
    # Sophie's part started (its first page) with one attachment: to download, then to remove.
    attachment = started_part_with_attachment(SOPHIE_LAMBERT_NISS, filed.ticket)
    return {
        "attachment": attachment,
        "jean": jean,
        "bakery": bakery,
        "filed": filed,
        "draft": make_draft(jean, bakery),
        "other_draft": make_draft(jean, bakery),
        "notice": notice,
        "grant": grant,
        "api_client": ApiClientFactory(enterprise=bakery, registered_by=jean),
        "message": EboxMessage.objects.get(recipient_niss=SOPHIE_LAMBERT_NISS, reference=filed.ticket),
    }


# Every page: (method, how to build its address from the world, post data). Employer pages as Jean
# (main access manager of the bakery), worker pages as Sophie.
Address = Callable[[dict[str, Any]], str]
PAGES: dict[str, list[tuple[str, Address, dict[str, str]]]] = {
    "employer:start": [("get", lambda w: reverse("employer:start"), {})],
    "employer:logged_in": [("get", lambda w: reverse("employer:logged_in"), {})],
    "employer:choose_enterprise": [("get", lambda w: reverse("employer:choose_enterprise"), {})],
    "employer:no_access": [("get", lambda w: reverse("employer:no_access"), {})],
    "employer:company": [("get", lambda w: reverse("employer:company"), {})],
    "employer:corrections": [("get", lambda w: reverse("employer:corrections"), {})],
    "employer:draft_new": [("post", lambda w: reverse("employer:draft_new"), {})],
    "employer:step_worker": [
        ("get", lambda w: reverse("employer:step_worker", args=[w["draft"].pk]), {}),
        (
            "post",
            lambda w: reverse("employer:step_worker", args=[w["draft"].pk]),
            {"action": "search", "search-niss": SOPHIE_LAMBERT_NISS},
        ),
    ],
    "employer:step_type": [("get", lambda w: reverse("employer:step_type", args=[w["draft"].pk]), {})],
    "employer:step_leave": [("get", lambda w: reverse("employer:step_leave", args=[w["draft"].pk]), {})],
    "employer:step_confirm": [("get", lambda w: reverse("employer:step_confirm", args=[w["draft"].pk]), {})],
    "employer:draft_delete": [
        ("get", lambda w: reverse("employer:draft_delete", args=[w["other_draft"].pk]), {}),
        ("post", lambda w: reverse("employer:draft_delete", args=[w["other_draft"].pk]), {}),
    ],
    "employer:confirmation": [
        ("get", lambda w: reverse("employer:confirmation", args=[w["filed"].slug]), {})
    ],
    "employer:consultation": [
        ("get", lambda w: reverse("employer:consultation"), {}),
        ("post", lambda w: reverse("employer:consultation"), {"q": SOPHIE_LAMBERT_NISS}),
    ],
    "employer:request_detail": [
        ("get", lambda w: reverse("employer:request_detail", args=[w["filed"].slug]), {})
    ],
    "employer:request_pdf": [
        ("get", lambda w: reverse("employer:request_pdf", args=[w["filed"].slug, 1]), {})
    ],
    "employer:request_cancel": [
        ("get", lambda w: reverse("employer:request_cancel", args=[w["filed"].slug]), {})
    ],
    "employer:request_modify": [
        ("post", lambda w: reverse("employer:request_modify", args=[w["filed"].slug]), {})
    ],
    "employer:notices": [("get", lambda w: reverse("employer:notices"), {})],
    "employer:notice_answer": [
        ("get", lambda w: reverse("employer:notice_answer", args=[w["notice"].pk]), {})
    ],
    "employer:notice_settings": [("post", lambda w: reverse("employer:notice_settings"), {"accepts": "yes"})],
    "employer:access": [("get", lambda w: reverse("employer:access"), {})],
    "employer:access_revoke": [
        ("get", lambda w: reverse("employer:access_revoke", args=[w["grant"].pk]), {}),
        ("post", lambda w: reverse("employer:access_revoke", args=[w["grant"].pk]), {}),
    ],
    "employer:api_clients": [("get", lambda w: reverse("employer:api_clients"), {})],
    "employer:api_client_new": [
        ("get", lambda w: reverse("employer:api_client_new"), {}),
        (
            "post",
            lambda w: reverse("employer:api_client_new"),
            {"name": "Payroll", "auth_method": "client_secret_basic", "scopes": ["requests:read"]},
        ),
    ],
    "employer:api_client_rotate": [
        ("get", lambda w: reverse("employer:api_client_rotate", args=[w["api_client"].client_id]), {}),
        ("post", lambda w: reverse("employer:api_client_rotate", args=[w["api_client"].client_id]), {}),
    ],
    "employer:api_client_revoke": [
        ("post", lambda w: reverse("employer:api_client_revoke", args=[w["api_client"].client_id]), {})
    ],
    "worker:home": [("get", lambda w: reverse("worker:home"), {})],
    "worker:ebox": [("get", lambda w: reverse("worker:ebox"), {})],
    "worker:ebox_message": [("get", lambda w: reverse("worker:ebox_message", args=[w["message"].pk]), {})],
    "worker:ebox_attachment": [
        ("get", lambda w: reverse("worker:ebox_attachment", args=[w["message"].pk]), {})
    ],
    "worker:notice_new": [("get", lambda w: reverse("worker:notice_new"), {})],
    "worker:notice_check": [("get", lambda w: reverse("worker:notice_check"), {})],
    "worker:part_request": [("get", lambda w: reverse("worker:part_request", args=[w["filed"].slug]), {})],
    "worker:part_page": [
        ("get", lambda w: reverse("worker:part_page", args=[w["filed"].slug, 1]), {}),
        (
            "post",
            lambda w: reverse("worker:part_page", args=[w["filed"].slug, 1]),
            {"zone": "belgium", "street": "Rue du Moulin 15", "postal_code": "1301", "city": "Bierges"},
        ),
    ],
    "worker:part_check": [("get", lambda w: reverse("worker:part_check", args=[w["filed"].slug]), {})],
    "worker:part_sent": [("get", lambda w: reverse("worker:part_sent", args=[w["filed"].slug]), {})],
    "worker:rights": [("get", lambda w: reverse("worker:rights"), {})],
    "worker:rights_attestation": [("get", lambda w: reverse("worker:rights_attestation"), {})],
    "worker:part_attachments": [
        ("get", lambda w: reverse("worker:part_attachments", args=[w["filed"].slug]), {})
    ],
    "worker:part_attachment": [
        ("get", lambda w: reverse("worker:part_attachment", args=[w["filed"].slug, w["attachment"].pk]), {})
    ],
    "worker:part_attachment_remove": [
        (
            "post",
            lambda w: reverse("worker:part_attachment_remove", args=[w["filed"].slug, w["attachment"].pk]),
            {},
        )
    ],
    # No question is open on this request: these redirect (their 200s are walked in
    # tests/office/test_information_and_dashboard_views.py).
    "worker:information_answer": [
        ("get", lambda w: reverse("worker:information_answer", args=[w["filed"].slug]), {})
    ],
    "worker:information_attachment_remove": [
        (
            "post",
            lambda w: reverse(
                "worker:information_attachment_remove", args=[w["filed"].slug, w["attachment"].pk]
            ),
            {},
        )
    ],
    "worker:information_check": [
        ("get", lambda w: reverse("worker:information_check", args=[w["filed"].slug]), {})
    ],
    "worker:information_sent": [
        ("get", lambda w: reverse("worker:information_sent", args=[w["filed"].slug]), {})
    ],
    "portal:home": [("get", lambda w: reverse("portal:home"), {})],
    "portal:enterprise_services": [("get", lambda w: reverse("portal:enterprise_services"), {})],
    "portal:switch_language": [("post", lambda w: reverse("portal:switch_language"), {"language": "nl"})],
    "portal:keepalive": [("post", lambda w: reverse("portal:keepalive"), {})],
    "portal:verify": [("get", lambda w: reverse("portal:verify"), {"code": "7KQ2-M9XD-4TRB-W1HE"})],
    "portal:verify_file": [("post", lambda w: reverse("portal:verify_file"), {})],
    # The office's pages, as the supervisor (every office; the only one who reassigns).
    "office:queue": [
        ("get", lambda w: reverse("office:queue"), {}),
        ("post", lambda w: reverse("office:queue"), {"q": SOPHIE_LAMBERT_NISS}),
    ],
    "office:review": [("get", lambda w: reverse("office:review", args=[w["filed"].slug]), {})],
    "office:take": [("post", lambda w: reverse("office:take", args=[w["filed"].slug]), {})],
    "office:reassign": [("get", lambda w: reverse("office:reassign", args=[w["filed"].slug]), {})],
    "office:attachment": [
        ("get", lambda w: reverse("office:attachment", args=[w["filed"].slug, w["attachment"].pk]), {})
    ],
    "office:information_ask": [
        ("get", lambda w: reverse("office:information_ask", args=[w["filed"].slug]), {})
    ],
    # Nothing to check yet: back to the question (302).
    "office:information_check": [
        ("get", lambda w: reverse("office:information_check", args=[w["filed"].slug]), {})
    ],
    "office:dashboard": [("get", lambda w: reverse("office:dashboard"), {})],
    "office:decision": [("get", lambda w: reverse("office:decision", args=[w["filed"].slug]), {})],
    "office:approve": [("get", lambda w: reverse("office:approve", args=[w["filed"].slug]), {})],
    "office:refuse": [("get", lambda w: reverse("office:refuse", args=[w["filed"].slug]), {})],
    "office:refusal_confirm": [
        ("get", lambda w: reverse("office:refusal_confirm", args=[w["filed"].slug]), {})
    ],
}


def _route_names(namespace: str) -> set[str]:
    resolver = get_resolver()
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == namespace:
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name:
                    names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_page_of_the_interfaces_has_its_entry_in_the_walk() -> None:
    routes = set().union(*(_route_names(ns) for ns in WALKED_NAMESPACES))
    assert routes, "the resolver lists no route"
    assert routes - set(PAGES) == set(), "add the new route to PAGES in this test"
    assert set(PAGES) - routes == set()


def test_every_page_to_a_logged_in_person_says_private_no_store(world: dict[str, Any], login_as: Any) -> None:
    jean = login_as(JEAN_DUBOIS_NISS, enterprise=BOULANGERIE_DUBOIS_NUMBER)
    sophie = login_as(SOPHIE_LAMBERT_NISS)
    office_role_for(OFFICE_SUPERVISOR_NISS, kind="supervisor")
    supervisor = login_as(OFFICE_SUPERVISOR_NISS)
    walked = 0
    for name, visits in PAGES.items():
        client: Client = sophie if name.startswith("worker:") else jean
        if name.startswith("office:"):
            client = supervisor
        if name == "office:attachment":
            # The office reads the attachments of a part once it is sent (the walk removed the first one).
            world["attachment"] = started_part_with_attachment(SOPHIE_LAMBERT_NISS, world["filed"].ticket)
            WorkerPart.objects.filter(request=world["filed"]).update(submitted_at=TODAY)
        for method, address, data in visits:
            if name == "employer:no_access":
                # Only someone without access reaches it: a worker of the bakery.
                client = login_as(SOPHIE_LAMBERT_NISS)
                AccessGrant.objects.filter(pk=world["grant"].pk).update(revoked_at=TODAY)
            url = address(world)
            response = client.post(url, data) if method == "post" else client.get(url)
            assert response.status_code < 500, (name, response.status_code)
            assert response.status_code not in (403, 404), (name, response.status_code)
            assert no_store(response), (name, method, response.get("Cache-Control"))
            walked += 1
            if name == "employer:no_access":
                AccessGrant.objects.filter(pk=world["grant"].pk).update(revoked_at=None)
    assert walked >= len(PAGES)


def test_a_page_seen_anonymously_may_be_cached_as_before(db: None) -> None:
    response = Client().get(reverse("portal:home"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_login_callback_that_logs_in_is_covered_too(world: dict[str, Any]) -> None:
    """The user becomes authenticated during the request: the middleware looks again after the view."""
    from django.contrib.auth import login
    from django.http import HttpRequest, HttpResponse

    from careerbreak.core.middleware import NoStoreWhenAuthenticatedMiddleware

    def view(request: HttpRequest) -> HttpResponse:
        login(request, world["jean"], backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponse("logged in")

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get("/auth/callback")
    request.session = SessionStore()
    request.user = AnonymousUser()
    assert no_store(NoStoreWhenAuthenticatedMiddleware(view)(request))
