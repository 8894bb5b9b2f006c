"""Authorization as a test of the whole surface: every route × actor × method, with its expected outcome.

The routes come from the resolver (``surface.routes()``), so a route added without its row in ``TABLE``
(or ``DEVIDP_TABLE`` for the identity provider's own process) fails
``test_every_route_of_the_site_has_its_row``. The objects are made by their owners (``build_surface``):
Jean files a request for Sophie (PDF, eBox message), keeps a draft and receives Sophie's notice. For every
route, every actor and GET and POST, the test checks:

- the status, and for a redirect where it goes (``LOGIN``, ``NO_ACCESS``, …);
- that an actor who may not see the request (``ACTOR_SEES_THE_REQUEST``) never gets the worker's name or
  national number, the ticket, the draft's or the message's id, whatever the status;
- that a request not marked ``entitled`` changed nothing (``surface.WATCHED_MODELS``);
- each request runs in a savepoint rolled back afterwards, so every actor meets the same objects.

Adding a route: one line in ``TABLE``, its key the route's name as ``reverse()`` takes it (an unnamed
route: its pattern from the root, e.g. ``"/healthz"``), e.g.::

    "healthz": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "readyz": Row(get=everyone(Expect((200, 503))), post=everyone(NOT_ALLOWED)),
    "employer:consultation": Row(get=ENTERPRISE_PAGE, post=ENTERPRISE_PAGE, data={"q": SOPHIE_LAMBERT_NISS}),

A profile (``ENTERPRISE_PAGE``, ``OWN_DRAFT`` …) gives each actor's outcome; ``the(PROFILE, actor=…)``
changes some of them; ``everyone(X)`` is the same for all. ``data`` is what a POST sends (a dict, or a
function of the surface). A page that shows a limit (the 429 of the rate limits) is a row like any other,
with ``Expect(429)`` where it applies. A new actor (the office's roles) is a name in ``surface.ACTORS``,
a client in ``build_surface()`` and an entry in each profile (``everyone()`` and ``the()`` fill it).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from careerbreak.demo.data import BOULANGERIE_DUBOIS_NUMBER, SOPHIE_LAMBERT_NISS
from careerbreak.demo.data import OFFICE_AGENT_NISS as AGENT_NISS
from tests.security.surface import (
    ACTOR_SEES_THE_REQUEST,
    ACTORS,
    ADMIN,
    AGENT,
    ANONYMOUS,
    EMPLOYER,
    ENDED_SECRETARIAT,
    NOBODY,
    NOBODY_NISS,
    OTHER_EMPLOYER,
    OTHER_OFFICE_AGENT,
    OTHER_WORKER,
    SECRETARIAT,
    SUPERVISOR,
    WORKER,
    Route,
    Surface,
    isolated,
    routes,
    url_for,
)


@dataclass(frozen=True)
class Expect:
    """One outcome: the status (or the statuses allowed), where a redirect goes (a URL name), and whether
    the actor is entitled to what the request does (only then may it change state)."""

    status: int | tuple[int, ...]
    to: str | tuple[str, ...] = ()
    entitled: bool = False

    def statuses(self) -> tuple[int, ...]:
        return self.status if isinstance(self.status, tuple) else (self.status,)

    def targets(self) -> tuple[str, ...]:
        return self.to if isinstance(self.to, tuple) else (self.to,) if self.to else ()


OK = Expect(200, entitled=True)
DONE = Expect(302, entitled=True)  # the action was done; where it leads is not the point here
# Entitled, but what was sent is refused: the employer's steps redirect to the step, which shows why (PRG).
AGAIN = Expect(302, entitled=True)
INVALID = Expect(400, entitled=True)  # entitled, but what was sent is refused by the form
LOGIN = Expect(302, to="identity:login")
# A form sent by someone not logged in: their session ended; the page says so (identity/session_end.py).
SESSION_ENDED = Expect(302, to="identity:session_ended")
NO_ACCESS = Expect(302, to="employer:no_access")
CHOOSE = Expect(302, to="employer:choose_enterprise")
DENIED = Expect(403)
NOT_FOUND = Expect(404)
NOT_ALLOWED = Expect(405)
UNAUTHENTICATED = Expect(401)  # the API without a bearer token
REFUSED_FORM = Expect(400)  # not entitled: the form does not offer it
NO_TOKEN = Expect(401)  # the API without a bearer token

Profile = dict[str, Expect]


def everyone(expect: Expect) -> Profile:
    return dict.fromkeys(ACTORS, expect)


def the(profile: Profile, **changes: Expect) -> Profile:
    unknown = set(changes) - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    return {**profile, **changes}


# An employer page of the enterprise the user acts for: each employer sees their own.
ENTERPRISE_PAGE: Profile = {
    ANONYMOUS: LOGIN,
    NOBODY: NO_ACCESS,
    EMPLOYER: OK,
    OTHER_EMPLOYER: OK,
    SECRETARIAT: OK,
    ENDED_SECRETARIAT: CHOOSE,  # the session named Boulangerie Dubois; access is checked again: gone
    WORKER: NO_ACCESS,
    OTHER_WORKER: NO_ACCESS,
    ADMIN: NO_ACCESS,
    AGENT: NO_ACCESS,
    OTHER_OFFICE_AGENT: NO_ACCESS,
    SUPERVISOR: NO_ACCESS,
}
ENTERPRISE_ACTION = the(ENTERPRISE_PAGE, employer=DONE, other_employer=DONE, secretariat=DONE)
# Only the access managers of the enterprise (not a plain user, not a secretariat's user).
MANAGERS_PAGE = the(ENTERPRISE_PAGE, other_employer=DENIED, secretariat=DENIED)
MANAGERS_ACTION = the(MANAGERS_PAGE, employer=DONE)
# Jean's filed request, seen by his enterprise (Jean, the mandated secretariat); another enterprise: 404.
REQUEST_PAGE = the(ENTERPRISE_PAGE, other_employer=NOT_FOUND)
REQUEST_ACTION = the(REQUEST_PAGE, employer=DONE, secretariat=DONE)
# Jean's draft: his own, not even his enterprise's other users'.
OWN_DRAFT = the(ENTERPRISE_PAGE, other_employer=NOT_FOUND, secretariat=NOT_FOUND)
# Any logged-in person's own page (the worker's side): what they see is their own.
CITIZEN_PAGE = the(everyone(OK), anonymous=LOGIN)
# Sophie's eBox message: hers alone.
WORKER_OWN = the(everyone(NOT_FOUND), anonymous=LOGIN, worker=OK)
# An office page: agents and supervisors only (anyone else logged in is refused, whatever else they are).
OFFICE_PAGE = the(everyone(DENIED), anonymous=LOGIN, agent=OK, other_office_agent=OK, supervisor=OK)
# Sophie's request in the office: its office's agent and the supervisor; another office's agent: 404.
OFFICE_REQUEST = the(OFFICE_PAGE, other_office_agent=NOT_FOUND)
# An office page about Sophie's request: the agents of its office and the supervisors; another office's
# agent finds nothing; everyone else is refused (no office role) or sent to log in.
OFFICE_REQUEST_PAGE = OFFICE_REQUEST
# A decision posted on it: nobody holds the file and it is not under review, so the page says why (400)
# and nothing changes; the decision itself is tested in tests/office/test_decision_views.py.
OFFICE_DECISION_REFUSED = the(OFFICE_REQUEST_PAGE, agent=REFUSED_FORM, supervisor=REFUSED_FORM)


@dataclass(frozen=True)
class Row:
    get: Profile
    post: Profile
    data: dict[str, Any] | Callable[[Surface], dict[str, Any]] = field(default_factory=dict)

    def post_data(self, surface: Surface) -> dict[str, Any]:
        return self.data(surface) if callable(self.data) else self.data


# Page 1 of the worker part as Sophie posts it.
DOMICILE_OF_SOPHIE = {
    "zone": "belgium",
    "street": "Rue du Moulin 15",
    "postal_code": "1301",
    "city": "Bierges",
    "country": "",
}
NOTICE_FROM_SOPHIE = {
    "enterprise": BOULANGERIE_DUBOIS_NUMBER,
    "leave_type": "PARENTAL",
    "form": "1/5",
    "start_date_0": "1",
    "start_date_1": "3",
    "start_date_2": "2027",
    "months": "4",
}

# Every route of config.urls. Admin routes: see ADMIN_ROW.
TABLE: dict[str, Row] = {
    # Health checks: no login, no personal data, the same for everyone (core/health.py).
    "healthz": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "readyz": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "portal:home": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "portal:enterprise_services": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "portal:switch_language": Row(
        get=everyone(NOT_ALLOWED), post=everyone(DONE), data={"language": "nl", "next": "/"}
    ),
    # The public verification of issued documents: no login, the same page for everyone (the form; the
    # upload without a file is the form again with its message).
    "portal:verify": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "portal:verify_file": Row(get=everyone(OK), post=everyone(OK)),
    "portal:keepalive": Row(
        get=everyone(NOT_ALLOWED), post=the(everyone(Expect(204, entitled=True)), anonymous=Expect(401))
    ),
    "identity:login": Row(get=everyone(Expect(302, to="devidp:authorize")), post=everyone(NOT_ALLOWED)),
    "identity:callback": Row(get=everyone(Expect(400)), post=everyone(NOT_ALLOWED)),
    # GET asks "Log out?" (nothing changes); POST logs out.
    "identity:logout": Row(
        get=the(everyone(OK), anonymous=Expect(302, to="portal:home")),
        post=everyone(Expect(302, to="portal:home")),
    ),
    # Says that the session ended; someone logged in (again, in another tab) goes on.
    "identity:session_ended": Row(
        get=the(everyone(Expect(302, to="portal:home")), anonymous=OK), post=everyone(NOT_ALLOWED)
    ),
    "employer:start": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "employer:logged_in": Row(get=the(everyone(OK), anonymous=LOGIN), post=everyone(NOT_ALLOWED)),
    "employer:choose_enterprise": Row(
        get=the(
            ENTERPRISE_PAGE,
            employer=Expect(302, to="employer:company", entitled=True),  # one enterprise: chosen at once
            other_employer=Expect(302, to="employer:company", entitled=True),
            ended_secretariat=Expect(302, to="employer:company", entitled=True),  # its own enterprise
        ),
        post=the(
            ENTERPRISE_PAGE,
            employer=DONE,
            other_employer=REFUSED_FORM,
            secretariat=DONE,
            ended_secretariat=REFUSED_FORM,
        ),
        data={"enterprise": BOULANGERIE_DUBOIS_NUMBER},
    ),
    "employer:no_access": Row(
        get=the(
            everyone(CHOOSE),
            anonymous=LOGIN,
            nobody=OK,
            worker=OK,
            other_worker=OK,
            admin=OK,
            agent=OK,
            other_office_agent=OK,
            supervisor=OK,
        ),
        # The access managers only of an enterprise the person is tied to (Sophie works there).
        post=the(
            everyone(CHOOSE),
            anonymous=LOGIN,
            nobody=REFUSED_FORM,
            worker=OK,
            other_worker=REFUSED_FORM,
            admin=REFUSED_FORM,
            agent=REFUSED_FORM,
            other_office_agent=REFUSED_FORM,
            supervisor=REFUSED_FORM,
        ),
        data={"enterprise_number": BOULANGERIE_DUBOIS_NUMBER},
    ),
    "employer:company": Row(get=ENTERPRISE_PAGE, post=ENTERPRISE_ACTION),
    "employer:corrections": Row(get=ENTERPRISE_PAGE, post=everyone(NOT_ALLOWED)),
    "employer:draft_new": Row(get=everyone(NOT_ALLOWED), post=ENTERPRISE_ACTION),
    "employer:step_worker": Row(
        get=OWN_DRAFT,
        post=the(OWN_DRAFT, employer=DONE),
        data={
            "action": "select",
            "niss": SOPHIE_LAMBERT_NISS,
            "status": "PRIVATE_WHITE_COLLAR",
            "joint_committee": "118",
        },
    ),
    "employer:step_type": Row(
        get=OWN_DRAFT, post=the(OWN_DRAFT, employer=DONE), data={"leave_type": "PARENTAL"}
    ),
    "employer:step_leave": Row(get=OWN_DRAFT, post=the(OWN_DRAFT, employer=AGAIN), data={"form": "1/5"}),
    # The draft repeats the filed request's dates: the rules refuse it (overlap), Jean is told why.
    "employer:step_confirm": Row(
        get=OWN_DRAFT, post=the(OWN_DRAFT, employer=AGAIN), data={"certified": "on"}
    ),
    # GET asks first (which draft); POST deletes.
    "employer:draft_delete": Row(get=OWN_DRAFT, post=the(OWN_DRAFT, employer=DONE)),
    "employer:confirmation": Row(get=REQUEST_PAGE, post=everyone(NOT_ALLOWED)),
    # A search is posted (numbers stay out of addresses) and redirects to its results.
    "employer:consultation": Row(
        get=ENTERPRISE_PAGE, post=ENTERPRISE_ACTION, data={"q": SOPHIE_LAMBERT_NISS}
    ),
    "employer:request_detail": Row(get=REQUEST_PAGE, post=everyone(NOT_ALLOWED)),
    "employer:request_modify": Row(get=everyone(NOT_ALLOWED), post=REQUEST_ACTION),
    "employer:request_cancel": Row(
        get=REQUEST_PAGE, post=REQUEST_ACTION, data={"reason": "The worker changed their mind."}
    ),
    "employer:request_pdf": Row(get=REQUEST_PAGE, post=everyone(NOT_ALLOWED)),
    "employer:notices": Row(get=ENTERPRISE_PAGE, post=everyone(NOT_ALLOWED)),
    # (A parental leave 1/5: the law lets the employer accept or postpone it, not refuse it.)
    "employer:notice_answer": Row(get=REQUEST_PAGE, post=REQUEST_ACTION, data={"decision": "accepted"}),
    "employer:notice_settings": Row(get=everyone(NOT_ALLOWED), post=MANAGERS_ACTION, data={"accepts": "no"}),
    "employer:access": Row(
        get=MANAGERS_PAGE,
        post=MANAGERS_ACTION,
        data={"niss": NOBODY_NISS, "last_name": "Nobody", "role": "user"},
    ),
    # GET asks first (whose access); POST revokes.
    "employer:access_revoke": Row(get=MANAGERS_PAGE, post=MANAGERS_ACTION),
    # The API clients: the main access manager only (Jean); a secret client's secret is the POST's answer.
    "employer:api_clients": Row(get=MANAGERS_PAGE, post=everyone(NOT_ALLOWED)),
    "employer:api_client_new": Row(
        get=MANAGERS_PAGE,
        post=the(MANAGERS_PAGE, employer=OK),
        data={"name": "Payroll", "auth_method": "client_secret_basic", "scopes": ["requests:read"]},
    ),
    "employer:api_client_rotate": Row(get=MANAGERS_PAGE, post=the(MANAGERS_PAGE, employer=OK)),
    "employer:api_client_revoke": Row(get=everyone(NOT_ALLOWED), post=MANAGERS_ACTION),
    # The API: a browser's session is no token; the document and its docs are public.
    "api:token": Row(get=everyone(NOT_ALLOWED), post=everyone(Expect(400))),
    "api:openapi-json": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "api:openapi-view": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "api:whoami": Row(get=everyone(Expect(401)), post=everyone(NOT_ALLOWED)),
    "api:api-root": Row(get=everyone(NOT_FOUND), post=everyone(NOT_FOUND)),
    "worker:home": Row(get=CITIZEN_PAGE, post=everyone(NOT_ALLOWED)),
    "worker:ebox": Row(get=CITIZEN_PAGE, post=everyone(NOT_ALLOWED)),
    "worker:ebox_message": Row(get=WORKER_OWN, post=everyone(NOT_ALLOWED)),
    "worker:ebox_attachment": Row(get=WORKER_OWN, post=everyone(NOT_ALLOWED)),
    # Sophie's employer takes notices online; for everyone else the page says none of theirs does.
    "worker:notice_new": Row(
        get=CITIZEN_PAGE,
        post=the(everyone(Expect(200)), anonymous=LOGIN, worker=DONE),
        data=NOTICE_FROM_SOPHIE,
    ),
    # The check page of a notice: the notice waits in the worker's own session; without one, the form.
    "worker:notice_check": Row(
        get=the(everyone(Expect(302, to="worker:notice_new")), anonymous=LOGIN),
        post=the(everyone(Expect(302, to="worker:notice_new")), anonymous=LOGIN),
    ),
    # The worker part of Sophie's request: hers alone. Before she answers the pages, the summary and the
    # "sent" page send her back to the page to answer (nothing changes).
    "worker:part_request": Row(get=WORKER_OWN, post=everyone(NOT_ALLOWED)),
    "worker:part_page": Row(get=WORKER_OWN, post=the(WORKER_OWN, worker=DONE), data=DOMICILE_OF_SOPHIE),
    "worker:part_check": Row(
        get=the(WORKER_OWN, worker=Expect(302)),
        post=the(WORKER_OWN, worker=Expect(302)),
        data={"certified": "on"},
    ),
    "worker:part_sent": Row(get=the(WORKER_OWN, worker=Expect(302)), post=everyone(NOT_ALLOWED)),
    # "Mes droits" and its attestation: every citizen sees their own periods (none of Sophie's to others).
    "worker:rights": Row(get=CITIZEN_PAGE, post=everyone(NOT_ALLOWED)),
    "worker:rights_attestation": Row(get=CITIZEN_PAGE, post=everyone(NOT_ALLOWED)),
    # Her attachments: the page sends her back to the pages to answer first (nothing changes); the file
    # she attached is hers alone to download or remove (never the employer's).
    "worker:part_attachments": Row(
        get=the(WORKER_OWN, worker=Expect(302)),
        post=the(WORKER_OWN, worker=Expect(302)),
        data={"kind": "other"},
    ),
    "worker:part_attachment": Row(get=WORKER_OWN, post=everyone(NOT_ALLOWED)),
    "worker:part_attachment_remove": Row(get=everyone(NOT_ALLOWED), post=the(WORKER_OWN, worker=DONE)),
    # The employment office. The work queue's search is posted and kept in the session (302 to ?s=…).
    "office:queue": Row(
        get=OFFICE_PAGE,
        post=the(OFFICE_PAGE, agent=DONE, other_office_agent=DONE, supervisor=DONE),
        data={"q": SOPHIE_LAMBERT_NISS},
    ),
    "office:review": Row(get=OFFICE_REQUEST, post=everyone(NOT_ALLOWED)),
    # Sophie's request awaits her part: taking it is refused (back to the queue, nothing changes).
    "office:take": Row(
        get=everyone(NOT_ALLOWED),
        post=the(
            OFFICE_REQUEST, agent=Expect(302, to="office:queue"), supervisor=Expect(302, to="office:queue")
        ),
    ),
    # Supervisors only; a request awaiting the worker is not given to an agent (the form says why).
    "office:reassign": Row(
        get=the(OFFICE_PAGE, agent=DENIED, other_office_agent=DENIED),
        post=the(OFFICE_PAGE, agent=DENIED, other_office_agent=DENIED, supervisor=INVALID),
        data={"agent": AGENT_NISS},
    ),
    # Her attachment belongs to a part she has not sent: not the office's to read yet.
    "office:attachment": Row(
        get=the(OFFICE_REQUEST, agent=NOT_FOUND, supervisor=NOT_FOUND), post=everyone(NOT_ALLOWED)
    ),
    # The answer to the office's question: no question is open on the surface's request, so Sophie is sent
    # back to her request (nothing changes); everyone else finds nothing.
    "worker:information_answer": Row(
        get=the(WORKER_OWN, worker=Expect(302)),
        post=the(WORKER_OWN, worker=Expect(302)),
        data={"answer": "x"},
    ),
    "worker:information_attachment_remove": Row(
        get=everyone(NOT_ALLOWED), post=the(WORKER_OWN, worker=Expect(302))
    ),
    "worker:information_check": Row(
        get=the(WORKER_OWN, worker=Expect(302)), post=the(WORKER_OWN, worker=Expect(302))
    ),
    "worker:information_sent": Row(get=the(WORKER_OWN, worker=Expect(302)), post=everyone(NOT_ALLOWED)),
    # The office: without an office role, every logged-in actor is refused .
    "office:information_ask": Row(get=OFFICE_REQUEST, post=OFFICE_REQUEST, data={"question": "?"}),
    # Nothing asked yet in this session: back to the question.
    "office:information_check": Row(
        get=the(OFFICE_REQUEST, agent=Expect(302), supervisor=Expect(302)),
        post=the(OFFICE_REQUEST, agent=Expect(302), supervisor=Expect(302)),
    ),
    "office:dashboard": Row(
        get=the(OFFICE_PAGE, agent=DENIED, other_office_agent=DENIED), post=everyone(NOT_ALLOWED)
    ),
    # The office's decisions (office/decision_views.py).
    "office:decision": Row(get=OFFICE_REQUEST_PAGE, post=everyone(NOT_ALLOWED)),
    "office:approve": Row(
        get=OFFICE_REQUEST_PAGE,
        post=OFFICE_DECISION_REFUSED,
        data={"with_allowance": "no", "no_allowance_reason": "domicile_outside", "confirm": "1"},
    ),
    "office:refuse": Row(
        get=OFFICE_REQUEST_PAGE, post=OFFICE_DECISION_REFUSED, data={"reasons": ["child_age"], "confirm": "1"}
    ),
    "office:refusal_confirm": Row(
        get=OFFICE_REQUEST_PAGE, post=OFFICE_DECISION_REFUSED, data={"action": "confirm"}
    ),
    # The identity provider, mounted in the site in tests only: a public protocol, the same for all.
    "devidp:index": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "devidp:discovery": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "devidp:jwks": Row(get=everyone(OK), post=everyone(NOT_ALLOWED)),
    "devidp:authorize": Row(get=everyone(Expect(400)), post=everyone(Expect(400))),
    "devidp:token": Row(get=everyone(NOT_ALLOWED), post=everyone(Expect(401))),
    "devidp:userinfo": Row(get=everyone(Expect(401)), post=everyone(Expect(401))),
    # The API (bearer tokens only): a browser's session is no credential, whoever is logged in. Each
    # client's own, other enterprises' and ended mandates' answers are in tests/api/.
    "api:notices": Row(get=everyone(UNAUTHENTICATED), post=everyone(NOT_ALLOWED)),
    "api:notice": Row(get=everyone(UNAUTHENTICATED), post=everyone(NOT_ALLOWED)),
    "api:notice_acceptance": Row(get=everyone(NOT_ALLOWED), post=everyone(UNAUTHENTICATED)),
    "api:notice_refusal": Row(get=everyone(NOT_ALLOWED), post=everyone(UNAUTHENTICATED)),
    "api:notice_postponement": Row(get=everyone(NOT_ALLOWED), post=everyone(UNAUTHENTICATED)),
    "api:events": Row(get=everyone(UNAUTHENTICATED), post=everyone(NOT_ALLOWED)),
    "api:webhooks": Row(get=everyone(UNAUTHENTICATED), post=everyone(UNAUTHENTICATED)),
    "api:webhook": Row(get=everyone(NOT_ALLOWED), post=everyone(NOT_ALLOWED)),
    # Django's admin: a non-staff user is sent to the admin's index (to log in there), not logged out.
    "admin:logout": Row(
        get=the(everyone(Expect(302, to="admin:index")), admin=NOT_ALLOWED),
        post=the(everyone(Expect(302, to="admin:index")), admin=OK),
    ),
    # The API (api/requests.py, api/batches.py): a browser's session is no bearer token, whoever holds
    # it; a method the route does not have is 405 before anything else. Tokens: tests/api.
    "api:requests": Row(get=everyone(NO_TOKEN), post=everyone(NO_TOKEN)),
    "api:requests_list": Row(get=everyone(NO_TOKEN), post=everyone(NO_TOKEN)),
    "api:requests_validate": Row(get=everyone(NOT_ALLOWED), post=everyone(NO_TOKEN)),
    "api:request_detail": Row(get=everyone(NO_TOKEN), post=everyone(NOT_ALLOWED)),
    "api:request_modifications": Row(get=everyone(NOT_ALLOWED), post=everyone(NO_TOKEN)),
    "api:request_cancellation": Row(get=everyone(NOT_ALLOWED), post=everyone(NO_TOKEN)),
    "api:request_extensions": Row(get=everyone(NOT_ALLOWED), post=everyone(NO_TOKEN)),
    "api:request_version_pdf": Row(get=everyone(NO_TOKEN), post=everyone(NOT_ALLOWED)),
    "api:batches": Row(get=everyone(NOT_ALLOWED), post=everyone(NO_TOKEN)),
    "api:batch_detail": Row(get=everyone(NO_TOKEN), post=everyone(NOT_ALLOWED)),
}

# The administration: one rule for all its routes (Django's admin_view wraps each of them): only the admin
# gets in (any answer but a server error); everyone else is sent to log in, refused or not found.
ADMIN_REFUSED = Expect((302, 403, 404, 405), to=("admin:login", "identity:login"))
ADMIN_ROW = Row(
    get=the(everyone(ADMIN_REFUSED), admin=Expect((200, 302, 403, 404, 405), entitled=True)),
    post=the(everyone(ADMIN_REFUSED), admin=Expect((200, 302, 400, 403, 404, 405), entitled=True)),
)

# The identity provider's own process (config.urls_devidp, `make run` on :8001).
DEVIDP_TABLE: dict[str, Row] = {
    **{key: row for key, row in TABLE.items() if key.startswith("devidp:")},
    # Django's set_language: a GET only sends back (nothing is set), a POST sets the cookie.
    "set_language": Row(get=everyone(Expect(302)), post=everyone(Expect(302)), data={"language": "nl"}),
}


def row_for(route: Route, table: dict[str, Row]) -> Row | None:
    if route.key in table:
        return table[route.key]
    return ADMIN_ROW if route.namespace == "admin" else None


def _missing_rows(table: dict[str, Row], urlconf: str | None) -> tuple[list[str], list[str]]:
    found = routes(urlconf)
    missing = [route.key for route in found if row_for(route, table) is None]
    stale = sorted(set(table) - {route.key for route in found})
    return missing, stale


def test_every_route_of_the_site_has_its_row() -> None:
    missing, stale = _missing_rows(TABLE, None)
    assert not missing, f"Routes without a row in TABLE (tests/security/test_authorization.py): {missing}"
    assert not stale, f"Rows of TABLE for routes that no longer exist: {stale}"


def test_every_route_of_the_identity_provider_process_has_its_row() -> None:
    missing, stale = _missing_rows(DEVIDP_TABLE, "config.urls_devidp")
    assert not missing, f"Routes without a row in DEVIDP_TABLE: {missing}"
    assert not stale, f"Rows of DEVIDP_TABLE for routes that no longer exist: {stale}"


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    content = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        # JSON escapes non-ASCII characters; compare what a reader would see.
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            return content
    return content


def _check(
    surface: Surface, route: Route, row: Row, method: str, actor: str, *, admin_area: bool
) -> list[str]:
    expect = (row.get if method == "GET" else row.post)[actor]
    if method == "POST" and expect == LOGIN:
        expect = SESSION_ENDED
    client = surface.clients[actor]
    url = url_for(route, surface.path_values(route))

    def send() -> Any:
        if method == "GET":
            return client.get(url)
        return client.post(url, row.post_data(surface))

    # A logout, or a login, gives the browser a new session cookie: the next request has the old one again.
    cookies = copy.deepcopy(client.cookies)
    try:
        response, changed = isolated(send)
    finally:
        client.cookies = cookies
    where = f"{method} {url} ({route.key}) as {actor}"
    problems = []
    if response.status_code not in expect.statuses():
        problems.append(f"{where}: {response.status_code}, expected {expect.statuses()}")
    elif response.status_code in (301, 302) and expect.targets():
        location = urlsplit(response["Location"]).path
        if not any(location == reverse(name) for name in expect.targets()):
            problems.append(f"{where}: sent to {response['Location']}, expected {expect.targets()}")
    if changed and not expect.entitled:
        problems.append(f"{where}: changed {changed} though not entitled")
    may_see = actor in ACTOR_SEES_THE_REQUEST or (admin_area and actor == ADMIN)
    if not may_see:
        body = _body(response)
        # What the actor put in the address is theirs already (a 404 page echoes its path, for instance).
        leaked = [secret for secret in surface.secrets if secret in body and secret not in url]
        if leaked:
            problems.append(f"{where}: shows {leaked}")
    return problems


def _walk_table(surface: Surface, table: dict[str, Row], urlconf: str | None) -> list[str]:
    problems: list[str] = []
    for route in routes(urlconf):
        row = row_for(route, table)
        assert row is not None, route.key
        for method in ("GET", "POST"):
            for actor in ACTORS:
                problems += _check(surface, route, row, method, actor, admin_area=route.namespace == "admin")
    return problems


def test_every_route_answers_every_actor_as_the_table_says(surface: Surface) -> None:
    problems = _walk_table(surface, TABLE, None)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_identity_provider_process_answers_every_actor_as_its_table_says(surface: Surface) -> None:
    with override_settings(ROOT_URLCONF="config.urls_devidp"):
        clear_url_caches()
        try:
            problems = _walk_table(surface, DEVIDP_TABLE, "config.urls_devidp")
        finally:
            clear_url_caches()
    assert not problems, "\n".join(problems)
