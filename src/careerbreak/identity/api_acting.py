"""Who acts when an API client calls for an employer: the same rule as the web (``identity.access``).

Used by the API's bearer auth and by the batch task, which rebuilds the acting context for each item on
the day it files it, from the mandate its run read for that employer and day (``batches._RunReads``: a
mandate that ended in between stops the remaining items; one ended by a write during a run, the next
run's)."""

from __future__ import annotations

from careerbreak.identity.access import EnterpriseAccess, organisation_access
from careerbreak.identity.acting import Acting, Via
from careerbreak.identity.models import ApiClient


def acting_for_client(
    *, client: ApiClient, enterprise_number: str, ip_address: str | None = None
) -> Acting | None:
    """The acting context of ``client`` for ``enterprise_number``, or None if it may not act for it today
    (another enterprise, no mandate, an ended mandate, a revoked client)."""
    if client.revoked_at is not None:
        return None
    access = organisation_access(organisation=client.enterprise, enterprise_number=enterprise_number)
    return acting_of_client(client=client, access=access, ip_address=ip_address)


def acting_of_client(
    *, client: ApiClient, access: EnterpriseAccess | None, ip_address: str | None = None
) -> Acting | None:
    """The acting context of ``client`` with ``access`` (``organisation_access``'s answer, read just now),
    or None without access or for a revoked client."""
    if access is None or client.revoked_at is not None:
        return None
    user = client.registered_by
    return Acting(
        niss=user.niss,
        assurance_level=None,
        via=Via.API,
        user=user,
        access=access,
        ip_address=ip_address,
        api_client_id=client.client_id,
    )
