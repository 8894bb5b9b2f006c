"""Migration core.0003 renames the audit codes of before to ``careerbreak.<object>.<event>``, and back."""

from __future__ import annotations

import pytest

from careerbreak.core.audit_actions import AuditAction
from tests.migration_fixtures import migrate, migrate_to_latest

BEFORE = [("core", "0002_auditevent_subject_niss")]
AFTER = [("core", "0003_namespaced_audit_codes")]
OLD = ["notices.opt_in", "ebox.message_read", "request.confirmed", "audit.person_listed", "test.other"]


@pytest.mark.django_db(transaction=True)
def test_old_codes_are_renamed_and_back() -> None:
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    for action in OLD:
        old.get_model("core", "AuditEvent").objects.create(action=action)
    try:
        new = migrate(AFTER).loader.project_state(AFTER).apps
        actions = new.get_model("core", "AuditEvent").objects.order_by("id").values_list("action", flat=True)
        assert list(actions) == [
            AuditAction.NOTICE_SETTINGS_OPTED_IN,
            AuditAction.MESSAGE_READ,
            AuditAction.REQUEST_CONFIRMED,
            AuditAction.PERSON_AUDIT_LISTED,
            "test.other",  # a code the migration does not know is left as it is
        ]
        back = migrate(BEFORE).loader.project_state(BEFORE).apps
        actions = back.get_model("core", "AuditEvent").objects.order_by("id").values_list("action", flat=True)
        assert list(actions) == OLD
    finally:
        migrate_to_latest()


def test_the_migration_knows_every_code_of_before_and_gives_a_defined_one() -> None:
    from importlib import import_module

    renamed = import_module("careerbreak.core.migrations.0003_namespaced_audit_codes").RENAMED
    assert set(renamed.values()) <= set(AuditAction.values)
    assert all(code.startswith("careerbreak.") and code.count(".") == 2 for code in AuditAction.values)
