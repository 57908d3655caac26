"""The audit trail's hash chain: every row links to the one before, hashes the values the
database gives back, and concurrent writers queue instead of forking the chain. Expected
hashes come from tests/audit_chain_expect.py (the documented form), not from csphub."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connections, transaction

from audit_chain_expect import KEYS, KEYS_2, ZEROS, assert_chained, expected_hash
from csphub.hub.audit.context import for_user, system
from csphub.hub.audit.events import Event
from csphub.hub.audit.models import AppendOnlyError, AuditEvent
from csphub.hub.audit.service import record

FIELDS = ["id", "row_hash", *KEYS, *KEYS_2]


def trail() -> list[dict]:
    return list(AuditEvent.objects.order_by("seq").values(*FIELDS))


def test_each_row_links_to_the_one_before(partnership):
    rows = trail()
    assert len(rows) >= partnership.created > 40
    assert rows[0]["prev_hash"] == ZEROS
    assert_chained(rows)


def test_a_new_row_follows_the_last(partnership, users):
    last = AuditEvent.objects.order_by("-seq").first()
    event = record(Event.VIEW, users["sam"], ctx=for_user(users["sam"]))
    assert (event.seq, event.prev_hash) == (last.seq + 1, last.row_hash)
    assert event.at is not None
    stored = AuditEvent.objects.values(*FIELDS).get(pk=event.pk)
    assert stored["row_hash"] == event.row_hash == expected_hash(stored)


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),  # no microseconds
        dt.datetime(2026, 7, 1, 9, 30, 0, 5, tzinfo=ZoneInfo("Europe/London")),  # BST
    ],
)
def test_the_hash_is_of_the_values_as_stored(partnership, at):
    """Values the database normalises (an IPv6 address, JSON keys, tuples, a whole float,
    a non-UTC time, an int id) hash as they read back."""
    event = AuditEvent.objects.create(
        at=at,
        system_run="chain test",
        action="update",
        object_type="test.thing",
        object_id=42,
        object_repr="Zoë's café — ✓",
        before={"b": 1, "a": (1, 2.5), "z": None, 3: "three"},
        after={"big": 1e20, "whole": 2.0, "nested": {"y": [True, "x"]}},
        address="2001:DB8:0:0::1",
    )
    stored = AuditEvent.objects.values(*FIELDS).get(pk=event.pk)
    assert stored["at"] == at
    assert stored["object_id"] == "42"
    assert stored["row_hash"] == event.row_hash == expected_hash(stored)
    assert_chained(trail())


def test_rows_are_written_only_one_at_a_time(partnership):
    count = AuditEvent.objects.count()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(action="view", system_run="x")])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(action="view").update(justification="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(action="view").delete()
    assert AuditEvent.objects.count() == count


def test_a_failed_transaction_leaves_no_gap(partnership, users):
    last = AuditEvent.objects.order_by("-seq").first()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(Event.VIEW, users["sam"], ctx=for_user(users["sam"]))
        raise RuntimeError("the change failed")
    event = record(Event.VIEW, users["sam"], ctx=for_user(users["sam"]))
    assert event.seq == last.seq + 1


WRITERS, EACH = 8, 15


def _writer(start: threading.Barrier, number: int, errors: list) -> None:
    try:
        start.wait()
        for i in range(EACH):
            with transaction.atomic():
                record(Event.VIEW, ctx=system(f"writer {number}"), object_id=str(i))
                # More work in the same transaction, holding the chain's lock meanwhile.
                AuditEvent.objects.filter(system_run=f"writer {number}").count()
    except Exception as exc:  # reported by the test, in the test's thread
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.slow
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="threads need a server database (SQLite: tests/cli/test_audit_verify.py)",
)  # a mark, not pytest.skip: the transactional test would still empty the database
def test_concurrent_writers_do_not_fork_the_chain(audit_triggers_lifted, transactional_db):
    before = AuditEvent.objects.count()
    start, errors = threading.Barrier(WRITERS), []
    threads = [threading.Thread(target=_writer, args=(start, n, errors)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    rows = trail()
    assert len(rows) == before + WRITERS * EACH
    assert_chained(rows)
    assert len({r["prev_hash"] for r in rows}) == len(rows)  # no two rows share a parent
