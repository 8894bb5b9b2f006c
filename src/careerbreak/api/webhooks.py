"""``/webhooks``: the HTTPS addresses where a client receives its events, each signed with a secret
shown once, at registration (docs/api.md). Scope ``requests:read``, as the events feed."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from careerbreak.api.auth import ApiCaller
from careerbreak.api.following import (
    Strict,
    caller_of,
    is_row_id,
    missing_scope,
    private_no_store,
    refused,
)
from careerbreak.api.problems import not_found
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import ApiScope, Webhook
from careerbreak.identity.webhooks import webhook_delete, webhook_register, webhooks_of

router = Router(tags=["webhooks"])
router.add_decorator(private_no_store, mode="view")


class WebhookIn(Strict):
    url: str


class WebhookOut(Schema):
    id: int
    url: str
    created_at: datetime.datetime


class WebhookCreated(WebhookOut):
    # Shown once: keep it to verify the signatures; it cannot be read again.
    secret: str


def _own(caller: ApiCaller) -> Acting:
    acting = caller.acting_for(caller.client.enterprise.number)
    assert acting is not None  # a client always acts for its own enterprise
    return acting


def _out(webhook: Webhook) -> WebhookOut:
    return WebhookOut(id=webhook.pk, url=webhook.url, created_at=webhook.created_at)


@router.post("", response={201: WebhookCreated}, url_name="webhooks")
def register_webhook(request: HttpRequest, body: WebhookIn) -> Status[WebhookCreated] | HttpResponse:
    """Register an HTTPS address for your events; the answer holds the signing secret, once."""
    caller = caller_of(request)
    if denied := missing_scope(caller, ApiScope.REQUESTS_READ):
        return denied
    try:
        webhook, secret = webhook_register(acting=_own(caller), client=caller.client, url=body.url)
    except DomainError as error:
        return refused(error)
    return Status(201, WebhookCreated(**_out(webhook).model_dump(), secret=secret))


@router.get("", response=list[WebhookOut], url_name="webhooks")
def list_webhooks(request: HttpRequest) -> list[WebhookOut] | HttpResponse:
    """Your client's webhooks (without their secrets)."""
    caller = caller_of(request)
    if denied := missing_scope(caller, ApiScope.REQUESTS_READ):
        return denied
    return [_out(webhook) for webhook in webhooks_of(client=caller.client)]


# (``api_operation``: the layer test reads a ``.delete(`` as an ORM write.)
@router.api_operation(["DELETE"], "/{int:webhook_id}", response={204: None}, url_name="webhook")
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status[None] | HttpResponse:
    """Stop delivering to this webhook; what is still queued for it is dropped."""
    caller = caller_of(request)
    if denied := missing_scope(caller, ApiScope.REQUESTS_READ):
        return denied
    if not is_row_id(webhook_id):
        return not_found(_("No webhook with this id for your client."))
    try:
        webhook_delete(acting=_own(caller), client=caller.client, webhook_id=webhook_id)
    except NotFound:
        return not_found(_("No webhook with this id for your client."))
    return Status(204, None)
