"""Every audit code, defined once: ``careerbreak.<object>.<event>``, with the label the admin and
``audit_person`` show. A code is written in the audit table, so it never changes without a data migration
(``core.0003`` renamed the codes of before this module).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Identity: logins, access to an enterprise, the administration.
    LOGIN_SUCCEEDED = "careerbreak.login.succeeded", _("Login")
    LOGIN_REFUSED = "careerbreak.login.refused", _("Login refused")
    ACCESS_GRANTED = "careerbreak.access.granted", _("Access granted")
    ACCESS_REVOKED = "careerbreak.access.revoked", _("Access revoked")
    ADMIN_GRANTED = "careerbreak.admin.granted", _("Administration granted")
    ADMIN_REVOKED = "careerbreak.admin.revoked", _("Administration revoked")
    # Reads of a person's data.
    PERSON_LOOKED_UP = "careerbreak.person.looked_up", _("National number looked up")
    PERSON_AUDIT_LISTED = "careerbreak.person.audit_listed", _("Audit trail of a person listed")
    COMPANY_DATA_CHECKED = "careerbreak.company_data.checked", _("Company data checked")
    # The request: its transitions (interruptions/states.py), its modification and its reads.
    REQUEST_CONFIRMED = "careerbreak.request.confirmed", _("Request confirmed")
    REQUEST_MODIFIED = "careerbreak.request.modified", _("Request modified")
    REQUEST_CANCELLED = "careerbreak.request.cancelled", _("Request cancelled")
    REQUEST_COMPLETED = "careerbreak.request.completed", _("Request completed by the worker")
    WORKER_PART_SAVED = "careerbreak.worker_part.saved", _("Worker part saved (a page)")
    REMINDER_SENT = "careerbreak.request.reminder_sent", _("Reminder of the missing worker part sent")
    ATTACHMENT_ADDED = "careerbreak.attachment.added", _("Attachment added to the worker part")
    ATTACHMENT_REMOVED = "careerbreak.attachment.removed", _("Attachment removed from the worker part")
    ATTACHMENT_DOWNLOADED = "careerbreak.attachment.downloaded", _("Attachment downloaded")
    REQUEST_REVIEW_STARTED = "careerbreak.request.review_started", _("Review of the request started")
    REQUEST_INFORMATION_REQUESTED = (
        "careerbreak.request.information_requested",
        _("Information requested about the request"),
    )
    REQUEST_INFORMATION_SUPPLIED = (
        "careerbreak.request.information_supplied",
        _("Information supplied for the request"),
    )
    REQUEST_REVIEW_RESUMED = "careerbreak.request.review_resumed", _("Review of the request resumed")
    REQUEST_APPROVED = "careerbreak.request.approved", _("Request approved")
    REQUEST_REFUSED = "careerbreak.request.refused", _("Request refused")
    REFUSAL_PROPOSED = "careerbreak.decision.refusal_proposed", _("Refusal proposed")
    REFUSAL_SENT_BACK = "careerbreak.decision.refusal_sent_back", _("Proposed refusal sent back")
    ALLOWANCE_RATES_IMPORTED = "careerbreak.allowance_rates.imported", _("Allowance rates imported")
    REQUEST_VIEWED = "careerbreak.request.viewed", _("Request viewed")
    # The office's questions to the worker (interruptions/information.py).
    INFORMATION_ASKED = "careerbreak.information.asked", _("Question asked to the worker")
    INFORMATION_ANSWERED = "careerbreak.information.answered", _("Question answered by the worker")
    DOCUMENT_DOWNLOADED = "careerbreak.document.downloaded", _("Document downloaded")
    DOCUMENT_ORPHAN_DELETED = "careerbreak.document.orphan_deleted", _("Orphan document file deleted")
    DOCUMENT_VERIFIED = "careerbreak.document.verified", _("Document verified on the public page")
    DOCUMENT_SEALED_COPY = "careerbreak.document.sealed_copy", _("Sealed copy of an earlier document stored")
    # The worker's rights used and left ("Mes droits") and the attestation of the periods used.
    RIGHTS_VIEWED = "careerbreak.rights.viewed", _("Rights used and left viewed")
    RIGHTS_ATTESTATION_DOWNLOADED = (
        "careerbreak.rights.attestation_downloaded",
        _("Attestation of the periods used downloaded"),
    )
    # Workers' notices and the employer's choice to receive them.
    NOTICE_SETTINGS_OPTED_IN = "careerbreak.notice_settings.opted_in", _("Electronic notices accepted")
    NOTICE_SETTINGS_OPTED_OUT = "careerbreak.notice_settings.opted_out", _("Electronic notices declined")
    NOTICE_SENT = "careerbreak.notice.sent", _("Notice sent")
    NOTICE_VIEWED = "careerbreak.notice.viewed", _("Notice viewed")
    NOTICE_ACCEPTED = "careerbreak.notice.accepted", _("Notice accepted")
    NOTICE_REFUSED = "careerbreak.notice.refused", _("Notice refused")
    NOTICE_POSTPONEMENT_PROPOSED = (
        "careerbreak.notice.postponement_proposed",
        _("Postponement of a notice proposed"),
    )
    # API clients' webhooks (docs/api.md).
    WEBHOOK_REGISTERED = "careerbreak.webhook.registered", _("Webhook registered")
    WEBHOOK_DELETED = "careerbreak.webhook.deleted", _("Webhook deleted")
    # eBox messages.
    MESSAGE_DELIVERED = "careerbreak.message.delivered", _("Message delivered")
    MESSAGE_FAILED = "careerbreak.message.failed", _("Message delivery failed")
    MESSAGE_RETRIED = "careerbreak.message.retried", _("Message sent again")
    MESSAGE_READ = "careerbreak.message.read", _("Message read")
    # The employment office: roles, its work queue, who holds a file, who read it.
    OFFICE_ROLE_GRANTED = "careerbreak.office_role.granted", _("Office role granted")
    OFFICE_ROLE_REVOKED = "careerbreak.office_role.revoked", _("Office role revoked")
    OFFICE_QUEUE_SEARCHED = "careerbreak.office_queue.searched", _("Office work queue searched")
    REQUEST_REASSIGNED = "careerbreak.request.reassigned", _("Request given to another agent")
    REQUEST_OPENED_BY_OFFICE = "careerbreak.request.opened_by_office", _("Request opened by the office")
    # The API: its clients, their tokens, every call.
    API_CLIENT_REGISTERED = "careerbreak.api_client.registered", _("API client registered")
    API_CLIENT_ROTATED = "careerbreak.api_client.rotated", _("API client's credentials replaced")
    API_CLIENT_REVOKED = "careerbreak.api_client.revoked", _("API client revoked")
    API_TOKEN_ISSUED = "careerbreak.api_token.issued", _("API access token issued")
    API_CALLED = "careerbreak.api.called", _("API called")
    API_PRUNED = "careerbreak.api.pruned", _("Old API records deleted")


def action_label(code: str) -> str:
    """The readable label of a code; a code this version does not know is shown as it is."""
    try:
        return str(AuditAction(code).label)
    except ValueError:
        return code
