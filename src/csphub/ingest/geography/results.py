"""Typed results of a geography ingest: per-file outcomes, problems and file errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["loaded", "unchanged", "replaced"]


@dataclass(frozen=True)
class Problem:
    """One data problem in a file.

    ``row`` is the CSV record number (the header is 1, the first data row 2; it equals the
    line number unless the file has blank lines or quoted fields that span lines).
    ``feature`` is the 0-based index into a GeoJSON ``features`` array. ``repaired`` is
    True when the row was fixed and loaded (e.g. an invalid polygon made valid); otherwise
    the row, or for deprivation the one domain value, was not loaded and is in the
    ``quarantine`` table.
    """

    file: str
    field: str
    reason: str
    value: str | None = None
    row: int | None = None
    feature: int | None = None
    repaired: bool = False

    @property
    def where(self) -> str:
        if self.row is not None:
            return f"row {self.row}"
        if self.feature is not None:
            return f"feature {self.feature}"
        return "file"

    def __str__(self) -> str:
        return f"{self.file} {self.where} {self.field}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "feature": self.feature,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
            "repaired": self.repaired,
        }


@dataclass
class FileResult:
    """What came of one file that was read (loaded, replaced, or unchanged)."""

    file: str
    kind: str
    status: Status
    file_id: int
    rows_read: int = 0
    rows_loaded: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows_quarantined(self) -> int:
        """Source rows (or features) with at least one value that was not loaded."""
        return len({(p.row, p.feature) for p in self.problems if not p.repaired})

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "status": self.status,
            "file_id": self.file_id,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "columns": dict(self.columns),
            "problems": [p.to_dict() for p in self.problems],
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class FileError:
    """A file that could not be loaded at all. ``message`` is one line naming the file."""

    file: str
    kind: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "kind": self.kind, "message": self.message}


@dataclass
class GeographySummary:
    """The outcome of :func:`~csphub.ingest.geography.ingest_geography`."""

    files: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file was read (rows may still have been quarantined)."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": [f.to_dict() for f in self.files],
            "errors": [e.to_dict() for e in self.errors],
        }
