"""Walking the stored trail for ``csphub audit verify``: one streamed query in ``seq``
order, every row checked against its hash and the row before it (:func:`.chain.verify`),
then the index of data subjects checked against the rows' hashed ``subjects``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.db import connections
from django.db.migrations.loader import MigrationLoader

from csphub.hub.audit.chain import ALL_HASHED, Break, Walk, verify
from csphub.hub.audit.models import AuditEvent

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


#: Each row's subjects, one per line, read with the database's own JSON functions.
_NAMED = {
    "postgresql": "SELECT e.id AS event_id, s.value AS subject FROM audit_auditevent e "
    "CROSS JOIN LATERAL jsonb_array_elements_text(e.subjects) AS s(value)",
    "sqlite": "SELECT e.id AS event_id, s.value AS subject "
    "FROM audit_auditevent e, json_each(e.subjects) AS s",
}
_INDEXED = "SELECT event_id, subject_type || ':' || subject_id AS subject FROM audit_auditsubject"


def check_subject_index(using: str = "default") -> Iterator[Break]:
    """Rows whose entries in the subject index differ from their hashed ``subjects``: an
    entry added, removed or changed by hand would hide a row from a subject access request
    or attach it to the wrong person. The database compares the two (``EXCEPT`` both ways),
    so nothing is held in memory however long the trail."""
    connection = connections[using]
    named = _NAMED[connection.vendor]
    query = (
        "SELECT d.event_id, e.seq, e.subjects FROM ("
        f"SELECT event_id FROM ({named} EXCEPT {_INDEXED}) AS a "
        f"UNION SELECT event_id FROM ({_INDEXED} EXCEPT {named}) AS b"
        ") AS d LEFT JOIN audit_auditevent e ON e.id = d.event_id ORDER BY e.seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        for event_id, seq, subjects in cursor.fetchall():
            if subjects in (None, [], "[]"):
                what = "subject index entries for a row that names none"
            else:
                what = "its subject index entries differ from its subjects"
            yield Break(event_id, seq or 0, "index", what)
