"""No input gives a server error: every route of the resolver, as each actor, GET and POST, with hostile
values in every query parameter and form field its view reads (Hypothesis).

For each route and each actor, Hypothesis draws a method, hostile but type-valid values for the path's
converters (the owners' real objects among them, so that the forms behind them are reached) and hostile
values for a random subset of the route's parameters (``PARAMS``) and of the ``GENERIC`` ones. A status
of 500 or more, an exception, or a record at ERROR in the log (``django.request`` and the others) fails.
Each request runs in a savepoint that is rolled back, so that every example meets the same objects.

Random values seldom hit the one value that breaks a view in the one field that reads it, so two sweeps
come before the search: each parameter read by name (``next``, ``after``…) alone with each of ``SWEEP``,
and each field of an owner's valid form (``BASELINES``) with each of ``FORM_SWEEP`` while the others
stay valid. A ``django.security`` record (a suspicious request refused with a 400) is not a failure.

The routes come from the resolver: a route without its entry in ``PARAMS`` (or ``DEVIDP_PARAMS``) fails
``test_every_route_has_its_parameters``. Adding a route is one line, its key the route's name as
``reverse()`` takes it (an unnamed route: its pattern from the root, e.g. ``"/healthz"``), its value the
names its view reads (strings, or a form whose field names are read, multi-value fields as ``name_0``,
``name_1``…)::

    "healthz": (),
    "employer:consultation": ("after", "token", ConsultationFilterForm),

and, for a form worth reaching past its first checks, a valid submission in ``BASELINES``::

    "employer:consultation_search": (EMPLOYER, "POST", {"q": SOPHIE_LAMBERT_NISS}),

``EXAMPLES`` (per route and actor) bounds the time (under a minute for both URLconfs on SQLite); raise it
locally to search harder (``FUZZ_EXAMPLES=50 pytest tests/security/test_fuzz.py``).
"""

from __future__ import annotations

import copy
import datetime
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
from django import forms
from django.test import Client, override_settings
from django.urls import clear_url_caches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerbreak.demo.data import BOULANGERIE_DUBOIS_NUMBER, OFFICE_AGENT_NISS, SOPHIE_LAMBERT_NISS
from careerbreak.devidp.forms import CitizenLoginForm
from careerbreak.devidp.protocol import AUTHORIZATION_PARAMS, Means
from careerbreak.employer.consultation_views import CancelForm, ConsultationFilterForm
from careerbreak.employer.forms import (
    ApiClientForm,
    ApiClientKeysForm,
    ChooseEnterpriseForm,
    FindAccessManagersForm,
    GrantAccessForm,
)
from careerbreak.employer.notices_views import ANSWER_LABELS, AnswerForm
from careerbreak.employer.request_forms import (
    ConfirmForm,
    LeaveDataForm,
    TypeForm,
    WorkerSearchForm,
    WorkerSelectForm,
)
from careerbreak.interruptions.types import LeaveType
from careerbreak.office.decision_forms import ApproveForm, RefuseForm, SendBackForm
from careerbreak.office.information_views import QuestionForm
from careerbreak.office.queue_views import QueueFilterForm, ReassignForm
from careerbreak.registries.models import Sector
from careerbreak.worker.information_views import AnswerForm as InformationAnswerForm
from careerbreak.worker.part_forms import (
    ActivitiesForm,
    AttachmentForm,
    HouseholdForm,
    IdentityForm,
    NeedsForm,
    PaymentForm,
    WorkerConfirmForm,
)
from careerbreak.worker.views import NoticeForm
from tests.request_fixtures import date_parts, parental_fifth
from tests.security.surface import (
    ACTORS,
    AGENT,
    ANONYMOUS,
    EMPLOYER,
    NOBODY_NISS,
    SECRETARIAT,
    SUPERVISOR,
    WORKER,
    Route,
    Surface,
    isolated,
    routes,
    url_for,
)

# Per route and actor (the owners get twice as many).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
ADMIN_EXAMPLES = max(1, EXAMPLES // 2)  # Django's own admin: a few, for our admin classes and login

FormFactory = Callable[[], forms.Form | list[forms.Form]]
Params = tuple[str | FormFactory, ...]


def _leave_forms() -> list[forms.Form]:
    return [
        LeaveDataForm(leave_type=leave_type, sector=sector, reference_headcount=headcount)
        for leave_type in LeaveType
        for sector in Sector.values
        for headcount in (8, 60)
    ]


# What each view reads besides its path (read from its forms and its request.GET / request.POST).
PARAMS: dict[str, Params] = {
    "healthz": (),
    "readyz": (),
    "portal:home": (),
    "portal:enterprise_services": (),
    "portal:switch_language": ("language", "next"),
    "portal:keepalive": (),
    "portal:verify": ("code",),
    "portal:verify_file": ("file",),
    "identity:login": ("next",),
    "identity:callback": ("state", "code", "error", "error_description"),
    "identity:logout": ("next",),
    "identity:session_ended": ("next",),
    "employer:start": (),
    "employer:logged_in": (),
    "employer:choose_enterprise": ("q", "next", lambda: ChooseEnterpriseForm(accesses=[])),
    "employer:no_access": (FindAccessManagersForm,),
    "employer:company": (),
    "employer:corrections": (),
    "employer:draft_new": (),
    "employer:step_worker": (
        "action",
        lambda: WorkerSearchForm(prefix="search"),
        lambda: WorkerSelectForm(sector=Sector.PRIVATE),
    ),
    "employer:step_type": ("action", "ticket", lambda: TypeForm(offered=[])),
    "employer:step_leave": (_leave_forms,),  # every type of the catalogue
    "employer:step_confirm": (ConfirmForm,),
    "employer:draft_delete": (),
    "employer:confirmation": (),
    "employer:consultation": ("after", "s", ConsultationFilterForm),
    "employer:request_detail": (),
    "employer:request_modify": (),
    "employer:request_cancel": (CancelForm,),
    "employer:request_pdf": (),
    "employer:notices": (),
    "employer:notice_answer": (lambda: AnswerForm(allowed=tuple(ANSWER_LABELS)),),
    "employer:notice_settings": ("accepts",),
    "employer:access": (lambda: GrantAccessForm(roles=[]),),
    "employer:access_revoke": (),
    "employer:api_clients": (),
    "employer:api_client_new": (ApiClientForm,),
    "employer:api_client_rotate": (ApiClientKeysForm,),
    "employer:api_client_revoke": (),
    # The token endpoint reads its form and the client's credentials (HTTP Basic is a header).
    "api:token": (
        "grant_type",
        "scope",
        "client_id",
        "client_secret",
        "client_assertion_type",
        "client_assertion",
    ),
    "api:openapi-json": (),
    "api:openapi-view": (),
    "api:whoami": (),
    "api:api-root": (),
    "worker:home": (),
    "worker:ebox": (),
    "worker:ebox_message": (),
    "worker:ebox_attachment": (),
    "worker:notice_new": (lambda: NoticeForm(employers=[], types=[]),),
    "worker:notice_check": (),
    "worker:part_request": (),
    # Every page's form (the page in the path says which one reads the post).
    "worker:part_page": (
        IdentityForm,
        HouseholdForm,
        lambda: NeedsForm(kind="child", children=[]),
        lambda: NeedsForm(kind="patient", children=[]),
        lambda: NeedsForm(kind="training", children=[]),
        ActivitiesForm,
        PaymentForm,
    ),
    "worker:part_check": (WorkerConfirmForm,),
    "worker:part_sent": (),
    "worker:rights": (),
    "worker:rights_attestation": (),
    "worker:part_attachments": (lambda: AttachmentForm(kinds=[("other", "Other document")]),),
    "worker:part_attachment": (),
    "worker:part_attachment_remove": (),
    "office:queue": ("after", "s", QueueFilterForm),
    "office:review": (),
    "office:take": (),
    "office:reassign": (lambda: ReassignForm(agents=[]),),
    "office:attachment": (),
    "worker:information_answer": ("action", InformationAnswerForm),
    "worker:information_attachment_remove": (),
    "worker:information_check": (),
    "worker:information_sent": (),
    "office:information_ask": (QuestionForm,),
    "office:information_check": (),
    "office:dashboard": (),
    "office:decision": (),
    "office:approve": (ApproveForm, "confirm"),
    "office:refuse": (RefuseForm, "confirm"),
    "office:refusal_confirm": ("action", SendBackForm),
    "devidp:index": (),
    "devidp:discovery": (),
    "devidp:jwks": (),
    "devidp:authorize": (
        *AUTHORIZATION_PARAMS,
        "means",
        "action",
        "prompt",
        lambda: CitizenLoginForm(means=Means.EID),
    ),
    "devidp:token": ("grant_type", "code", "redirect_uri", "code_verifier", "client_id"),
    "devidp:userinfo": ("access_token",),
    # The API reads JSON bodies (refused without a token before they are read) and these queries.
    "api:requests": ("enterprise", "status", "type", "worker", "updated_since", "cursor", "limit"),
    "api:requests_list": ("enterprise", "status", "type", "worker", "updated_since", "cursor", "limit"),
    "api:requests_validate": (),
    "api:request_detail": (),
    "api:request_modifications": (),
    "api:request_cancellation": (),
    "api:request_extensions": (),
    "api:request_version_pdf": (),
    "api:batches": (),
    "api:batch_detail": (),
    # The API (JSON bodies, bearer tokens; a session gets 401): its hostile input with a token is in
    # tests/api/test_hostile_input.py.
    "api:notices": ("enterprise", "status", "cursor", "limit"),
    "api:notice": (),
    "api:notice_acceptance": (),
    "api:notice_refusal": ("reason",),
    "api:notice_postponement": ("proposed_start_date", "reason"),
    "api:events": ("after", "limit", "enterprise"),
    "api:webhooks": ("url",),
    "api:webhook": (),
}
DEVIDP_PARAMS: dict[str, Params] = {
    **{key: value for key, value in PARAMS.items() if key.startswith("devidp:")},
    "set_language": ("language", "next"),
}
# Every admin route: what Django's admin reads (search, ordering, page, filters, actions, popups).
ADMIN_PARAMS: Params = (
    "q", "o", "p", "e", "all", "_changelist_filters", "action", "_selected_action", "select_across",
    "index", "_popup", "_to_field", "app_label", "model_name", "field_name", "term", "status__exact",
    "channel__exact", "created_at__gte", "id__exact",
)  # fmt: skip
# Read by no view today, sent everywhere: a parameter a view starts reading is fuzzed from its first day.
GENERIC = ("next", "cursor", "after", "page", "q", "niss", "lang", "language", "ticket", "id", "format")


def _expand(params: Params) -> tuple[str, ...]:
    names: list[str] = []
    for item in params:
        if isinstance(item, str):
            names.append(item)
            continue
        made = item()
        for form in made if isinstance(made, list) else [made]:
            for name, form_field in form.fields.items():
                html_name = form.add_prefix(name)
                widget = form_field.widget
                if isinstance(widget, forms.MultiWidget):
                    names += [f"{html_name}{suffix}" for suffix in widget.widgets_names]
                else:
                    names.append(html_name)
    return tuple(dict.fromkeys([*names, *GENERIC]))


def params_for(route: Route, table: dict[str, Params]) -> Params | None:
    if route.key in table:
        return table[route.key]
    return ADMIN_PARAMS if route.namespace == "admin" else None


def test_every_baseline_is_a_route() -> None:
    known = {route.key for route in routes()}
    assert set(BASELINES) <= known, set(BASELINES) - known


def test_every_route_has_its_parameters() -> None:
    for table, urlconf in ((PARAMS, None), (DEVIDP_PARAMS, "config.urls_devidp")):
        found = routes(urlconf)
        missing = [route.key for route in found if params_for(route, table) is None]
        assert not missing, f"Routes of {urlconf or 'config.urls'} without their entry in PARAMS: {missing}"
        stale = sorted(set(table) - {route.key for route in found})
        assert not stale, f"Entries for routes that no longer exist: {stale}"


# --- Hostile values ------------------------------------------------------------------------------

HOSTILE = (
    "-1", "0", "NaN", "nan", "inf", "-Infinity", "1e309", "-1e309", "9" * 400, str(2**63), str(-(2**63) - 1),
    "", " ", "\x00", "a\x00b", "%00", "\r\nSet-Cookie: x=1", "\u202e\u200b", "\ufeff", "𝕏" * 50, "é" * 300,
    "x" * 10_000, "../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "..\\..\\windows\\win.ini",
    "//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:alert(1)", "employer:company",
    "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% debug %}",
    "' OR '1'='1", "1; DROP TABLE identity_user;--", "0000-00-00", "0001-01-01", "9999-12-31",
    "2026-02-30", "31/12/9999", "99/99/99999", "9999-12-31T23:59:59|1", "0001-01-01T00:00:00+14:00|1",
    "2026-01-01T00:00:00+00:00|99999999999999999999", "00000000-0000-0000-0000-000000000000",
    "2026/00000001/51", "2026-00000001-51", "90061512202", "90.06.15-122.02", "0812345603", "true", "on",
    "yes", "no", "[]", "{}", "²", "³²", "①", "٣", "١٢٣٤",
    "search", "select", "extend", "cancel", "login", "PARENTAL", "1/5", "full",
)  # fmt: skip
HOSTILE = list(HOSTILE)

_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    _TEXT,
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats().map(repr),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
        lambda day: day.isoformat()
    ),
)
# Shapes our own pages write back (a Consultation cursor, a date), with any offset and any year.
_OFFSETS = st.one_of(
    st.none(),
    st.just(datetime.UTC),
    st.timedeltas(min_value=datetime.timedelta(hours=-23), max_value=datetime.timedelta(hours=23)).map(
        datetime.timezone
    ),
)
SHAPED = st.one_of(
    st.builds(
        lambda moment, pk: f"{moment.isoformat()}|{pk}",
        st.datetimes(timezones=_OFFSETS),
        st.integers(min_value=-(2**70), max_value=2**70),
    ),
    st.datetimes(timezones=_OFFSETS).map(lambda moment: moment.isoformat()),
)
# Several values for one name (a list in the query string or the form).
PARAM_VALUES = st.one_of(VALUES, SHAPED, st.lists(VALUES, min_size=2, max_size=3))

# A path segment (str) has no "/"; a path may have any.
_SEGMENTS = [value for value in HOSTILE if value and "/" not in value and "\x00" not in value]


def converter_values(converter: str, real: Any) -> st.SearchStrategy[Any]:
    """Hostile but type-valid values for a path converter, the owner's real object among them."""
    if converter == "int":
        return st.one_of(
            st.just(real), st.sampled_from([0, 1, 2**31, 2**63 - 1, 2**63, 10**30]), st.integers(0, 10**25)
        )
    if converter == "uuid":
        return st.one_of(st.just(real), st.uuids())
    text = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=60)
    if converter == "path":
        return st.one_of(st.just(real), st.sampled_from([v for v in HOSTILE if v.strip()]), text)
    return st.one_of(st.just(real), st.sampled_from(_SEGMENTS), text.filter(lambda v: "/" not in v))


def _quoted(route: Route, kwargs: dict[str, Any]) -> dict[str, str]:
    return {
        name: quote(str(value), safe="/" if route.converters[name] == "path" else "")
        for name, value in kwargs.items()
    }


# --- The log ---------------------------------------------------------------------------------------


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # django.security reports a suspicious request that was refused with a 400 (a forged admin
        # field, a bad host): the answer we want to hostile input, not a fault.
        if record.name.startswith("django.security"):
            return
        if record not in self.records:
            self.records.append(record)


@contextmanager
def errors_logged() -> Iterator[_Errors]:
    """Every record at ERROR: django.request's "Internal Server Error", any logger.exception()."""
    handler = _Errors()
    loggers = [logging.getLogger(), logging.getLogger("django.request"), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


# --- The walk --------------------------------------------------------------------------------------


def _fuzz_route(surface: Surface, route: Route, names: tuple[str, ...], actor: str, examples: int) -> None:
    real = surface.path_values(route)
    path_strategy = st.fixed_dictionaries(
        {name: converter_values(converter, real[name]) for name, converter in route.converters.items()}
    )
    # A few parameters at a time: the others keep the form valid, so that a value reaches the code behind
    # it (a cursor is only read when the filters are valid); now and then all of them.
    shapes = [
        st.dictionaries(st.sampled_from(names), PARAM_VALUES, max_size=3),
        st.fixed_dictionaries({}, optional=dict.fromkeys(names, PARAM_VALUES)),
    ]
    if route.key in BASELINES:
        # A valid form with one or two fields changed.
        baseline = BASELINES[route.key][2]
        shapes.append(
            st.dictionaries(st.sampled_from(sorted(baseline)), PARAM_VALUES, min_size=1, max_size=2).map(
                lambda changed: {**baseline, **changed}
            )
        )
    params_strategy = st.one_of(*shapes)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(
        method=st.sampled_from(["GET", "POST"]),
        csrf=st.booleans(),
        kwargs=path_strategy,
        params=params_strategy,
    )
    def one_request(method: str, csrf: bool, kwargs: dict[str, Any], params: dict[str, Any]) -> None:
        url = url_for(route, _quoted(route, kwargs))
        where = (
            f"{method} {url} ({route.key}) as {actor}{'' if csrf else ' without CSRF token'} with {params!r}"
        )
        send(surface, actor, method, url, params, csrf=csrf, where=where, route=route)

    one_request()


ACTOR_CHOICE = st.sampled_from(ACTORS)
# The owners reach deepest (their drafts, their requests, their messages): twice the examples.
OWNERS = (EMPLOYER, SECRETARIAT, WORKER)


# A status of 500 or more that is what a route means, not a fault (a readiness check answering 503 when
# a dependency is down): route key → those statuses. Nothing today.
DELIBERATE_5XX: dict[str, set[int]] = {}


def send(
    surface: Surface,
    actor: str,
    method: str,
    url: str,
    params: dict[str, Any],
    *,
    csrf: bool,
    where: str,
    route: Route | None = None,
) -> None:
    """One request, rolled back; fails on a 5xx, an exception or an error in the log.

    Without ``csrf`` the request goes through CSRF checks (the test client skips them otherwise) and
    carries no token: the failure page must be served without error too.
    """
    client = surface.clients[actor]
    if not csrf:
        strict = Client(enforce_csrf_checks=True)
        strict.cookies = copy.deepcopy(client.cookies)
        client = strict
    cookies = copy.deepcopy(client.cookies)
    with errors_logged() as logged:
        try:
            response, _changed = isolated(
                lambda: client.get(url, params) if method == "GET" else client.post(url, params),
                watch=False,
            )
        except Exception as exc:  # the test client re-raises what the view raised: a 500
            raise AssertionError(f"{where}: raised {exc!r}") from exc
        finally:
            client.cookies = cookies
    allowed = DELIBERATE_5XX.get(route.key, set()) if route else set()
    assert response.status_code < 500 or response.status_code in allowed, f"{where}: {response.status_code}"
    assert not logged.records, f"{where}: logged {[r.getMessage() for r in logged.records]}"


def _fuzz_unknown_addresses(surface: Surface, examples: int) -> None:
    """Addresses no route matches: the URLconf's 404 page (the provider's own process has its own)."""

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        actor=ACTOR_CHOICE,
        method=st.sampled_from(["GET", "POST"]),
        csrf=st.booleans(),
        path=st.one_of(st.sampled_from(HOSTILE), _TEXT),
    )
    def one_request(actor: str, method: str, csrf: bool, path: str) -> None:
        url = "/" + quote(path.lstrip("/"), safe="/")
        send(surface, actor, method, url, {}, csrf=csrf, where=f"{method} {url} as {actor}")

    one_request()


# Besides the random search, each parameter a view reads by name (not through a form) gets each of
# these alone, from the owners, by GET and POST: a random search seldom puts the one value that breaks a
# view into the one parameter that reads it (a "next" of "-1", a cursor in the year 9999).
SWEEP = (
    "-1", "NaN", "1e309", "abc", "9999-12-31T23:59:59|1", "0001-01-01T00:00:00+14:00|1",
    "2026-01-01T00:00:00+00:00|99999999999999999999", "//evil.example/", "x" * 5000, "\x00", "²",
)  # fmt: skip
SWEEP_ACTORS = (ANONYMOUS, EMPLOYER, SECRETARIAT, WORKER, AGENT, SUPERVISOR)


def _sweep_route(surface: Surface, route: Route, params: Params) -> None:
    url = url_for(route, surface.path_values(route))
    for name in (item for item in params if isinstance(item, str)):
        for value in SWEEP:
            for actor in SWEEP_ACTORS:
                for method in ("GET", "POST"):
                    where = f"{method} {url} ({route.key}) as {actor} with {name}={value[:40]!r}"
                    send(surface, actor, method, url, {name: value}, csrf=True, where=where, route=route)


# What an owner sends when all is well. Each field in turn gets each of FORM_SWEEP while the others stay
# valid, so that the value reaches the code behind the form's first checks (a date whose day is "²"
# passed the "digits only" check and broke int()).
BASELINES: dict[str, tuple[str, str, dict[str, str]]] = {
    "portal:verify": (EMPLOYER, "GET", {"code": "7KQ2-M9XD-4TRB-W1HE"}),
    "employer:consultation": (
        EMPLOYER,
        "POST",
        {
            "q": "",
            "status": "",
            "leave_type": "",
            **date_parts("period_from", datetime.date(2027, 3, 1)),
            **date_parts("period_to", datetime.date(2027, 6, 30)),
            "after": "",
        },
    ),
    "employer:choose_enterprise": (
        SECRETARIAT,
        "POST",
        {"enterprise": BOULANGERIE_DUBOIS_NUMBER, "next": "/"},
    ),
    "employer:step_worker": (EMPLOYER, "POST", {"action": "search", "search-niss": SOPHIE_LAMBERT_NISS}),
    "employer:step_type": (EMPLOYER, "POST", {"leave_type": "PARENTAL"}),
    "employer:step_leave": (
        EMPLOYER,
        "POST",
        parental_fifth(
            **date_parts("start", datetime.date(2027, 7, 1)), **date_parts("end", datetime.date(2027, 11, 30))
        ),
    ),
    "employer:request_cancel": (EMPLOYER, "POST", {"reason": "The worker changed their mind."}),
    "employer:notice_answer": (
        EMPLOYER,
        "POST",
        {
            "decision": "postponement_proposed",
            "reason": "Later.",
            **date_parts("proposed_start_date", datetime.date(2027, 6, 1)),
        },
    ),
    "employer:access": (EMPLOYER, "POST", {"niss": NOBODY_NISS, "last_name": "Nobody", "role": "user"}),
    "employer:api_client_new": (
        EMPLOYER,
        "POST",
        {
            "name": "Payroll",
            "auth_method": "private_key_jwt",
            "scopes": ["requests:read"],
            "jwks": '{"keys": []}',
        },
    ),
    "api:token": (
        ANONYMOUS,
        "POST",
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": "a.b.c",
        },
    ),
    "employer:no_access": (WORKER, "POST", {"enterprise_number": BOULANGERIE_DUBOIS_NUMBER}),
    "worker:notice_new": (
        WORKER,
        "POST",
        {
            "enterprise": BOULANGERIE_DUBOIS_NUMBER,
            "leave_type": "PARENTAL",
            "form": "1/5",
            **date_parts("start_date", datetime.date(2027, 3, 1)),
            "months": "4",
            "message": "Pour ma fille Louise.",
        },
    ),
    "worker:part_attachments": (WORKER, "POST", {"kind": "other"}),
    "office:queue": (AGENT, "POST", {"q": "", "status": "", "leave_type": "", "held_by": "", "late": ""}),
    "office:reassign": (SUPERVISOR, "POST", {"agent": OFFICE_AGENT_NISS}),
    "office:approve": (AGENT, "POST", {"with_allowance": "yes", "no_allowance_reason": "", "note": "Vu."}),
    "office:refuse": (AGENT, "POST", {"reasons": "child_age", "note": "Vu."}),
    "office:refusal_confirm": (AGENT, "POST", {"action": "send_back", "sent_back_reason": "Non."}),
    "worker:part_page": (
        WORKER,
        "POST",
        {
            "zone": "belgium",
            "street": "Rue du Moulin 15",
            "postal_code": "1301",
            "city": "Bierges",
            "country": "",
        },
    ),
}
FORM_SWEEP = ("-1", "NaN", "1e309", "²", "9" * 400, "x" * 5000, "\x00")


def _sweep_baseline(surface: Surface, route: Route) -> None:
    if route.key not in BASELINES:
        return
    actor, method, baseline = BASELINES[route.key]
    url = url_for(route, surface.path_values(route))
    for name in baseline:
        for value in FORM_SWEEP:
            where = f"{method} {url} ({route.key}) as {actor} with {name}={value[:40]!r} in a valid form"
            send(surface, actor, method, url, {**baseline, name: value}, csrf=True, where=where, route=route)


def _fuzz(surface: Surface, table: dict[str, Params], urlconf: str | None) -> None:
    for route in routes(urlconf):
        params = params_for(route, table)
        assert params is not None, route.key
        if route.namespace != "admin":
            _sweep_route(surface, route, params)
            _sweep_baseline(surface, route)
        names = _expand(params)
        for actor in ACTORS:
            if route.namespace == "admin":
                examples = ADMIN_EXAMPLES
            else:
                examples = EXAMPLES * 2 if actor in OWNERS else EXAMPLES
            _fuzz_route(surface, route, names, actor, examples)
    _fuzz_unknown_addresses(surface, EXAMPLES * len(ACTORS))


def test_no_route_of_the_site_answers_hostile_input_with_a_server_error(surface: Surface) -> None:
    _fuzz(surface, PARAMS, None)


@pytest.mark.django_db
def test_no_route_of_the_identity_provider_process_answers_hostile_input_with_a_server_error(
    surface: Surface,
) -> None:
    with override_settings(ROOT_URLCONF="config.urls_devidp"):
        clear_url_caches()
        try:
            _fuzz(surface, DEVIDP_PARAMS, "config.urls_devidp")
        finally:
            clear_url_caches()
