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
    status: str  # loaded | unchanged | failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_without_location: int = 0
    replaced: list[Replacement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    same_as: str | None = None

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
        return out


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

    def to_dict(self) -> dict[str, object]:
        rows = self._sum("rows_read")
        return {
            "files": len(self.results),
            "files_loaded": self._count("loaded"),
            "files_unchanged": self._count("unchanged"),
            "files_failed": self._count("failed"),
            "rows_read": rows,
            "rows_loaded": self._sum("rows_loaded"),
            "rows_quarantined": self._sum("rows_quarantined"),
            "rows_without_location": self._sum("rows_without_location"),
            "replaced_months": [r.to_dict() for r in self.replacements],
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(rows / self.seconds) if self.seconds > 0 else None,
            "by_file": [r.to_dict() for r in self.results],
        }
