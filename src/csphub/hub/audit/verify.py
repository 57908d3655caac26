"""Walking the stored trail for ``csphub audit verify``: one streamed query in ``seq``
order, every row checked against its hash and the row before it (:func:`.chain.verify`),
then the index of data subjects checked against the rows' hashed ``subjects``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from django.db import connections
from django.db.migrations.loader import MigrationLoader

from csphub.hub.audit.chain import ALL_HASHED, Break, Walk, verify
from csphub.hub.audit.models import AuditEvent, AuditSubject

CHUNK = 5000


def migrated(using: str = "default") -> bool:
    """Whether every audit migration (so the chain's columns) is applied."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    return set(loader.graph.leaf_nodes("audit")) <= set(loader.applied_migrations)


def check_trail(
    walk: Walk, anchors: Mapping[int, str] | None = None, using: str = "default"
) -> Iterator[Break]:
    """The trail's breaks, as they are found; ``walk`` counts the rows and keeps the head."""
    rows = (
        AuditEvent.objects.using(using)
        .order_by("seq", "id")
        .values("id", "row_hash", *ALL_HASHED)
        .iterator(chunk_size=CHUNK)
    )
    yield from verify(rows, walk, anchors)
    yield from check_subject_index(using)


def check_subject_index(using: str = "default") -> Iterator[Break]:
    """Rows whose entries in the subject index differ from their hashed ``subjects``: an
    entry added, removed or changed by hand would hide a row from a subject access request
    or attach it to the wrong person. Only rows that name subjects or have entries are
    read (both streamed)."""
    indexed: dict[int, list[str]] = defaultdict(list)
    entries = (
        AuditSubject.objects.using(using)
        .values_list("event_id", "subject_type", "subject_id")
        .iterator(chunk_size=CHUNK)
    )
    for event_id, kind, key in entries:
        indexed[event_id].append(f"{kind}:{key}")
    named = (
        AuditEvent.objects.using(using)
        .exclude(subjects=[])
        .order_by("seq")
        .values_list("id", "seq", "subjects")
        .iterator(chunk_size=CHUNK)
    )
    seen = set()
    for event_id, seq, subjects in named:
        seen.add(event_id)
        if sorted(indexed.get(event_id, [])) != sorted(subjects or []):
            yield Break(
                event_id, seq, "index", "its subject index entries differ from its subjects"
            )
    for event_id in sorted(set(indexed) - seen):
        seq = AuditEvent.objects.using(using).filter(pk=event_id).values_list("seq", flat=True)
        yield Break(
            event_id, seq.first() or 0, "index", "subject index entries for a row that names none"
        )
