"""The source files behind a report: every current file with its SHA-256 checksum."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from csphub.analysis.store_inputs import month_range, shift_month
from csphub.ingest.quarantine import list_files
from csphub.reports.document.model import Table
from csphub.store import Store


def month_span(months: Sequence[str]) -> str:
    """``2023-01 to 2025-12 (36 months)``, or ``none``; where calendar months inside the span
    are not loaded, says how many and names them: ``2018-11 to 2022-10 (39 of 48 calendar
    months; not loaded: 2019-03 to 2019-11, 2020-06)``."""
    if not months:
        return "none"
    ordered = sorted(months)
    gaps = calendar_gaps(ordered)
    span = len(month_range(ordered[0], ordered[-1]))
    if not gaps:
        return f"{ordered[0]} to {ordered[-1]} ({len(ordered)} months)"
    return (
        f"{ordered[0]} to {ordered[-1]} ({len(set(ordered))} of {span} calendar months; "
        f"not loaded: {runs(gaps)})"
    )


def window_text(window: Sequence[str], loaded: Sequence[str]) -> str:
    """A calendar window and the months of it not loaded, in words."""
    if not window:
        return "none"
    have = set(loaded)
    gaps = [m for m in window if m not in have]
    text = f"{window[0]} to {window[-1]} ({len(window)} calendar months"
    return text + (f"; not loaded: {runs(gaps)})" if gaps else "; all loaded)")


def calendar_gaps(months: Sequence[str]) -> list[str]:
    """Calendar months between the first and last of ``months`` that are not among them."""
    if not months:
        return []
    have = set(months)
    return [m for m in month_range(min(have), max(have)) if m not in have]


def runs(months: Sequence[str]) -> str:
    """``2019-03 to 2019-11, 2020-06``: consecutive months joined into runs."""
    out: list[list[str]] = []
    for m in sorted(months):
        if out and shift_month(out[-1][-1], 1) == m:
            out[-1].append(m)
        else:
            out.append([m])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in out)


def sources_table(store: Store, id: str = "sources") -> Table:
    """Current source files (lineage): name, kind, rows loaded, the SHA-256 of the file as
    downloaded (what ``sha256sum`` of the ``.gz`` or ``.zip`` gives, read from the path it
    was ingested from while it is still there) and of the CSV loaded from it. A reference
    table: in tables.xlsx and data/, not printed page after page."""
    files = {f["file_id"]: f for f in list_files(store) if f["status"] == "current"}
    paths = dict(
        store.con.execute(
            "SELECT file_id, path FROM source_file WHERE status = 'current'"
        ).fetchall()
    )
    digests: dict[str, str | None] = {}
    rows = []
    for file_id, f in files.items():
        path = paths.get(file_id)
        if path not in digests:
            digests[path] = downloaded_sha256(path)
        rows.append(
            {
                "File": f["name"],
                "Kind": f["kind"],
                "Rows loaded": f["rows_loaded"],
                "SHA-256 of the file as downloaded": digests[path]
                or "file no longer at its ingest path",
                "SHA-256 of the CSV loaded": f["sha256"],
            }
        )
    return Table.of(
        id,
        "Source files (current) with their SHA-256 checksums",
        rows,
        reference=True,
    )


def downloaded_sha256(path: str | None) -> str | None:
    """SHA-256 of the file at ``path`` as it is on disk, or None when it is not there."""
    if not path:
        return None
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
