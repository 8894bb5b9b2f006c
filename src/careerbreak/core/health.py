"""Health checks for the process manager and the load balancer (docs/deployment.md).

`/healthz` (liveness): the process answers; touches nothing else, so a database outage does not get
every web process restarted. `/readyz` (readiness): the database answers a query, the document
storage can be listed, and each check named in settings.READINESS_CHECKS passes (the login's
configuration against the provider's discovery: identity.oidc.check_configuration); 503 otherwise, so that
the load balancer stops sending requests here.

Both answer a small JSON body without personal data or error details (those go to the log), are never
cached, need no login and write no session.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Where the documents live in the storage (documents/services.py files every document under it).
DOCUMENTS_PREFIX = "documents"


def check_database() -> None:
    """Raises when the default database does not answer a trivial query."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage(storage: Storage | None = None) -> None:
    """Raises when the document storage cannot be read.

    Object storage: lists the documents prefix (one request; fails on a wrong bucket, key or endpoint).
    File system: the folder, or the nearest folder above it before the first document is stored, must be
    a writable directory.
    """
    storage = storage or default_storage
    if isinstance(storage, FileSystemStorage):
        folder = Path(storage.location)
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise OSError(f"the document folder {storage.location} is not a writable directory")
        return
    storage.listdir(DOCUMENTS_PREFIX)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    # The other apps' checks come by dotted path: core imports nothing of ours.
    extra = [(name, import_string(path)) for name, path in settings.READINESS_CHECKS.items()]
    for name, check in [("database", check_database), ("storage", check_storage), *extra]:
        try:
            check()
        except Exception:
            # The details (host names, bucket, driver message) are for the log, not for the caller.
            logger.exception("readiness check failed: %s", name)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
