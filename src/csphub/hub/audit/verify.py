"""Walking the stored trail for ``csphub audit verify``: one streamed query in ``seq``
order, every row checked against its hash and the row before it (:func:`.chain.verify`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.db import connections
from django.db.migrations.loader import MigrationLoader

from csphub.hub.audit.chain import HASHED, Break, Walk, verify
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
        .values("id", "row_hash", *HASHED)
        .iterator(chunk_size=CHUNK)
    )
    return verify(rows, walk, anchors)
