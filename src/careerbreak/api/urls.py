"""The API's one NinjaAPI under /api/v1/ (docs/api.md). Routers by topic are added in their modules."""

from __future__ import annotations

from ninja import NinjaAPI

from careerbreak.api import events, notices, webhooks
from careerbreak.api.auth import ClientToken

api = NinjaAPI(
    title="careerbreak API",
    version="1",
    urls_namespace="api",
    auth=ClientToken(),
    # The interactive documentation and the OpenAPI document are served once the API has routes.
    openapi_url=None,
    docs_url=None,
)

api.add_router("/notices", notices.router)
api.add_router("/events", events.router)
api.add_router("/webhooks", webhooks.router)

urlpatterns = [*api.urls[0]]
