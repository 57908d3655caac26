"""What an ingest did, file by file, for people (text) and programs (JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field

from csphub.ingest.problems import Problem


@dataclass(frozen=True)
class Replacement:
    """A force-month of one kind that a newer file replaced."""

    kind: str
    force: str
    month: str
    previous_file: str
    previous_rows: int
    new_file: str
    new_rows: int

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "force": self.force,
            "month": self.month,
            "previous_file": self.previous_file,
            "previous_rows": self.previous_rows,
            "new_file": self.new_file,
            "new_rows": self.new_rows,
        }


@dataclass
class FileResult:
    name: str
    kind: str | None
    status: str  # loaded | unchanged | failed | refused | skipped
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_without_location: int = 0
    replaced: list[Replacement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    same_as: str | None = None
    notes: list[str] = field(default_factory=list)
    scope: str = ""  # an extract's own name: it is its own source (see coverage.py)
    reason: str | None = None  # why a skipped file was not taken

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "file": self.name,
            "kind": self.kind,
            "status": self.status,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rows_without_location": self.rows_without_location,
        }
        if self.error:
            out["error"] = self.error
        if self.same_as:
            out["same_as"] = self.same_as
        if self.notes:
            out["notes"] = self.notes
        if self.scope:
            out["own_source"] = True
        if self.reason:
            out["reason"] = self.reason
        return out

    def line(self) -> str:
        """One line for people: status, file, and what came of it or why."""
        if self.status == "loaded":
            q = f", {self.rows_quarantined:,} quarantined" if self.rows_quarantined else ""
            own = " (an extract: kept as its own source)" if self.scope else ""
            return f"{self.status:<10} {self.name}: {self.rows_loaded:,} rows{q}{own}"
        if self.status == "unchanged":
            same = f" (same bytes as {self.same_as})" if self.same_as else ""
            return f"{self.status:<10} {self.name}{same}"
        if self.status == "skipped":
            return f"{self.status:<10} {self.name}: {self.reason}"
        return f"{self.status:<10} {self.error}"


@dataclass
class IngestSummary:
    results: list[FileResult]
    seconds: float

    def _count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def _sum(self, attr: str) -> int:
        return sum(getattr(r, attr) for r in self.results)

    @property
    def replacements(self) -> list[Replacement]:
        return [x for r in self.results for x in r.replaced]

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.results if r.error]

    @property
    def failed(self) -> int:
        """Files that could not be loaded: unreadable, refused or not stored."""
        return self._count("failed") + self._count("refused")

    def to_dict(self) -> dict[str, object]:
        rows = self._sum("rows_read")
        return {
            "files": len(self.results),
            "files_loaded": self._count("loaded"),
            "files_unchanged": self._count("unchanged"),
            "files_failed": self.failed,
            "files_refused": self._count("refused"),
            "files_skipped": self._count("skipped"),
            "rows_read": rows,
            "rows_loaded": self._sum("rows_loaded"),
            "rows_quarantined": self._sum("rows_quarantined"),
            "rows_without_location": self._sum("rows_without_location"),
            "replaced_months": [r.to_dict() for r in self.replacements],
            "errors": self.errors,
            "notes": [f"{r.name}: {n}" for r in self.results for n in r.notes],
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(rows / self.seconds) if self.seconds > 0 else None,
            "by_file": [r.to_dict() for r in self.results],
        }
