"""``POST /requests/{ticket}/extensions``: extend a request, as *Prolonger* does on the web's step 5.

Through the same services and rules (``interruptions.extending``: a draft of kind *extension* related to
the ticket, step 6's form, the rules, ``request_confirm``), for a request of an enterprise the client
acts for today (the same 404 for another's request and an unknown ticket), with the scope
``requests:write`` and an ``Idempotency-Key``. The answer is the new request (201, its own ticket), whose
filing is an event of the feed (``request.filed``, with ``extends``).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from careerbreak.api.idempotency import idempotent
from careerbreak.api.requests import file_on_ticket
from careerbreak.api.schemas import ExtensionIn
from careerbreak.interruptions.extending import request_extend

router = Router(tags=["requests"])


@router.post("/{ticket}/extensions", url_name="request_extensions", response={201: dict[str, Any]})
@idempotent
def extend_request(request: HttpRequest, ticket: str, body: ExtensionIn) -> HttpResponse:
    """A new request extending this one (the same worker and type, from the day after it ends): the
    leave values start from the request's and ``leave`` enters its own over them (at least the end
    and, where the type needs one, the notice date). 201 with the new request's ticket."""
    return file_on_ticket(request, ticket, body, request_extend)
