"""Boundaries: LSOA, ward and MSOA polygons into the ``boundary`` table.

Rows are replaced by (level, code): a later file replaces the polygons of the codes it
holds and leaves the others, so per-authority files can be loaded one after another. A
file stays ``current`` in lineage while any of its rows remain; an earlier file whose rows
have all been replaced is marked superseded.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from csphub.ingest.geography import columns as col
from csphub.ingest.geography.checks import LSOA, MSOA, WARD
from csphub.ingest.geography.files import SourceFile
from csphub.ingest.geography.geojson import BoundaryLevel, read_boundaries
from csphub.ingest.geography.loading import (
    Prepared,
    Written,
    no_rows_error,
    supersede_unused,
    upsert_rows,
)
from csphub.store.lineage import FileRecord
from csphub.store.store import Store

LEVELS: dict[str, BoundaryLevel] = {
    "lsoa": BoundaryLevel(
        "lsoa", "LSOA", col.LSOA_ANY_CODE, col.LSOA_ANY_NAME, LSOA, "an LSOA code (E01/W01...)"
    ),
    "ward": BoundaryLevel(
        "ward", "ward", col.WARD_CODE, col.WARD_NAME, WARD, "a ward code (E05/W05/S13/N08...)"
    ),
    "msoa": BoundaryLevel(
        "msoa", "MSOA", col.MSOA_CODE, col.MSOA_NAME, MSOA, "an MSOA code (E02/W02...)"
    ),
}


class BoundaryLoader:
    """Loads a GeoJSON file of one boundary level (``lsoa``, ``ward`` or ``msoa``)."""

    def __init__(self, level: str) -> None:
        self.level = LEVELS[level]
        self.kind = f"boundaries-{level}"

    def unchanged(self, store: Store, source: SourceFile, previous: FileRecord) -> bool:
        """Unchanged while every row that file loaded is still in the table."""
        loaded, held = store.con.execute(
            "SELECT rows_loaded, (SELECT count(*) FROM boundary WHERE file_id = ?) "
            "FROM source_file WHERE file_id = ?",
            [previous.file_id, previous.file_id],
        ).fetchone()
        return loaded == held

    def prepare(self, source: SourceFile) -> Prepared:
        prepared = read_boundaries(source, self.level)
        if prepared.table.num_rows == 0:
            raise no_rows_error(prepared, f"{self.level.label} polygons")
        return prepared

    def write(self, store: Store, prepared: Prepared, file_id: int) -> Written:
        level = self.level.name
        table = prepared.table
        store.con.register("_csphub_boundary_codes", table.select(["code"]))
        try:
            replaced = store.con.execute(
                "SELECT count(*) FROM boundary WHERE level = ? "
                "AND code IN (SELECT code FROM _csphub_boundary_codes)",
                [level],
            ).fetchone()[0]
        finally:
            store.con.unregister("_csphub_boundary_codes")
        rows = table.append_column(
            "level", pa.array([level] * table.num_rows, pa.string())
        ).append_column("file_id", pa.array(np.full(table.num_rows, file_id), pa.int32()))
        upsert_rows(store, "boundary", rows, ("level", "code"))
        notes = supersede_unused(store, self.kind, "boundary", file_id)
        if replaced:
            notes.insert(0, f"replaced {replaced} {self.level.label} polygons loaded before")
        return Written(table.num_rows, bool(replaced or notes), tuple(notes))
