"""The API's one NinjaAPI under /api/v1/ (docs/api.md). Routers by topic are added in their modules.

Also here: the token endpoint (a plain Django view, ``api:token``), the OpenAPI 3.1 document
(``api:openapi-json``) and the interactive documentation (``api:openapi-view``), served from our own
static files (django-ninja's Swagger UI, no CDN; its start-up script is a static file, so the CSP holds).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Schema
from ninja.openapi.docs import Swagger

from careerbreak.api import batches, events, extensions, notices, requests, token, webhooks
from careerbreak.api.auth import ApiCaller, ClientToken, ParsedOnce
from careerbreak.api.frame import install_problem_handlers

DESCRIPTION = """\
The career break service's API for employers and payroll providers (social secretariats).

Get a token at `/api/v1/oauth/token` (OAuth 2.0 client credentials: `private_key_jwt` or
`client_secret_basic`) and send it as `Authorization: Bearer <token>`. Every error is an RFC 9457
problem (`application/problem+json`). See docs/api.md.
"""

api = NinjaAPI(
    title="careerbreak API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ClientToken(),
    # The body the token's check parsed for its enterprise is not parsed again.
    parser=ParsedOnce(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    # No request to swagger.io's validator (the CSP would refuse it anyway).
    docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": False}),
    # The document and the docs are read, never posted to.
    docs_decorator=require_safe,
)
install_problem_handlers(api)


api.add_router("/requests", requests.router)
api.add_router("/requests", extensions.router)
api.add_router("/batches", batches.router)
api.add_router("/notices", notices.router)
api.add_router("/events", events.router)
api.add_router("/webhooks", webhooks.router)


class EnterpriseOut(Schema):
    number: str
    name: str


class WhoAmIOut(Schema):
    client_id: str
    name: str
    enterprise: EnterpriseOut
    scopes: list[str]


@api.get("/whoami", response=WhoAmIOut, tags=["clients"], summary="The calling client and its token's scopes")
def whoami(request: HttpRequest) -> WhoAmIOut:
    """Which client the token belongs to, of which enterprise, with which scopes: to check a set-up."""
    caller: ApiCaller = request.auth  # type: ignore[attr-defined]
    enterprise = caller.client.enterprise
    return WhoAmIOut(
        client_id=caller.client.client_id,
        name=caller.client.name,
        enterprise=EnterpriseOut(number=enterprise.number, name=enterprise.name),
        scopes=sorted(caller.scopes),
    )


app_name = "api"
urlpatterns = [
    path("oauth/token", token.token, name="token"),
    *api.urls[0],
]
