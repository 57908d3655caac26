"""Reading back what the store holds about its inputs: quarantined rows and lineage."""

from __future__ import annotations

from csphub.store import Store


def list_quarantine(store: Store, *, include_superseded: bool = False) -> list[dict[str, object]]:
    """Quarantined rows in file and row order; by default only those of current files."""
    status = "" if include_superseded else "WHERE f.status = 'current'"
    cur = store.con.execute(
        "SELECT q.file_name AS file, q.row_number AS row, q.field, q.value, q.reason, "
        "q.record FROM quarantine q JOIN source_file f USING (file_id) "
        f"{status} ORDER BY q.file_id, q.row_number, q.field"
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def list_files(store: Store) -> list[dict[str, object]]:
    cur = store.con.execute(
        "SELECT file_id, name, kind, sha256, rows_read, rows_loaded, rows_quarantined, "
        "loaded_at, status FROM source_file ORDER BY file_id"
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
