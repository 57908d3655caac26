"""The hub's foundation: the audit trail is append-only, the demo partnership seeds once,
and the scope rules give each agency what it needs to know."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from csphub.hub.access.policy import policy
from csphub.hub.access.scope import has_permission
from csphub.hub.actions.models import Action
from csphub.hub.audit.models import AppendOnlyError, AuditEvent
from csphub.hub.demo.seed import seed_partnership
from csphub.hub.groups.models import Group


def test_seed_is_idempotent_and_audited(partnership):
    assert partnership.created > 40
    rows = AuditEvent.objects.filter(system_run="csphub demo").count()
    assert rows == partnership.created
    again = seed_partnership()
    assert again.created == 0
    assert AuditEvent.objects.filter(system_run="csphub demo").count() == rows


def test_audit_rows_cannot_be_changed_or_deleted(partnership):
    event = AuditEvent.objects.first()
    event.justification = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    for sql in ("UPDATE audit_auditevent SET justification = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(Exception, match="audit rows cannot be"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.filter(justification="x").count() == 0


def test_need_to_know_scope(users):
    burglary = Group.objects.get(code="burglary")
    cascaded = Action.objects.get(group=burglary)
    assert burglary in policy("group").visible(users["dave"])  # housing sits on the group
    assert burglary not in policy("group").visible(users["fiona"])  # fire does not
    # Fire sits on the board that raised it.
    assert cascaded in policy("action").visible(users["fiona"])
    assert cascaded not in policy("action").visible(users["jo"])  # youth: neither group
    assert policy("action").can(users["inspector"], "action.update", cascaded)
    assert not policy("action").can(
        users["dave"], "action.update", cascaded
    )  # visible, not his to change
    assert has_permission(users["morgan"], "audit.view")
    assert not has_permission(users["dave"], "audit.view")
