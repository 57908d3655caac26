"""The source files behind a report: every current file with its SHA-256 checksum."""

from __future__ import annotations

from collections.abc import Sequence

from csphub.ingest.quarantine import list_files
from csphub.reports.document.model import Table
from csphub.store import Store


def month_span(months: Sequence[str]) -> str:
    """``2023-01 to 2025-12 (36 months)``, or ``none``."""
    return f"{months[0]} to {months[-1]} ({len(months)} months)" if months else "none"


def sources_table(store: Store, id: str = "sources") -> Table:
    """Current source files (lineage): name, kind, rows loaded and SHA-256."""
    files = [f for f in list_files(store) if f["status"] == "current"]
    return Table.of(
        id,
        "Source files (current) with their SHA-256 checksums",
        [
            {
                "File": f["name"],
                "Kind": f["kind"],
                "Rows loaded": f["rows_loaded"],
                "SHA-256": f["sha256"],
            }
            for f in files
        ],
    )
