"""Vectorised checks of text columns, and the issue log of one file.

Every check works on a whole pyarrow column at once and returns a numpy mask; only the
failing rows are turned into :class:`Problem` records, so a clean file costs no Python
loop per row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csphub.ingest.geography.files import CsvRows
from csphub.ingest.geography.results import Problem

LSOA = re.compile(r"[EW]01\d{6}")
MSOA = re.compile(r"[EW]02\d{6}")
WARD = re.compile(r"[EW]05\d{6}|S13\d{6}|N08\d{6}")  # Scotland S13, N. Ireland N08
GSS = re.compile(r"[EWSN]\d{8}")

CODE_KINDS = {
    LSOA.pattern: "an LSOA code (E01 or W01 and six digits)",
    MSOA.pattern: "an MSOA code (E02 or W02 and six digits)",
    WARD.pattern: "a ward code (E05, W05, S13 or N08 and six digits)",
    GSS.pattern: "a GSS code (a letter and eight digits, e.g. E06000009)",
}

_INT_MAX = 2**31 - 1


def text(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Trim whitespace; an empty cell becomes null."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    trimmed = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def present(values: pa.Array) -> np.ndarray:
    return pc.is_valid(values).to_numpy(zero_copy_only=False)


def matches(values: pa.Array, pattern: re.Pattern[str]) -> np.ndarray:
    """True where the value matches the whole pattern (null is False)."""
    found = pc.match_substring_regex(values, f"^(?:{pattern.pattern})$")
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def whole_numbers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Parse non-negative whole numbers (``1954``, ``1,954``, ``1954.0``).

    Returns the values (0 where invalid) and the mask of valid ones (0..2**31-1).
    """
    ok = matches(values, re.compile(r"\d{1,10}(?:\.0*)?|\d{1,3}(?:,\d{3}){1,3}"))
    digits = pc.replace_substring_regex(values, r"\.0*$", "")
    digits = pc.replace_substring(digits, ",", "")
    kept = pc.if_else(pa.array(ok), digits, pa.scalar(None, pa.string()))
    numbers = pc.fill_null(pc.cast(kept, pa.int64()), 0).to_numpy(zero_copy_only=False)
    ok &= numbers <= _INT_MAX
    return np.where(ok, numbers, 0), ok


@dataclass
class IssueLog:
    """The problems found in one file, with the quarantine record of each rejected row."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    records: list[str | None] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        """Source rows (or features) with at least one value that was not loaded."""
        return len({(p.row, p.feature) for p in self.problems if not p.repaired})

    def add(self, problem: Problem, record: str | None = None) -> None:
        self.problems.append(problem)
        self.records.append(None if problem.repaired else record)

    def feature(self, index: int, field_name: str, reason: str, **extra: object) -> None:
        """A GeoJSON feature problem; ``extra`` may hold value, repaired and properties."""
        properties = extra.get("properties")
        value = extra.get("value")
        record = json.dumps({"feature": index, "properties": properties}, default=str)
        self.add(
            Problem(
                file=self.file,
                field=field_name,
                reason=reason,
                value=None if value is None else str(value),
                feature=index,
                repaired=bool(extra.get("repaired", False)),
            ),
            record,
        )

    def rows(
        self,
        csv_rows: CsvRows,
        bad: np.ndarray,
        field_name: str,
        values: pa.Array,
        reason: Callable[[str | None], str],
    ) -> None:
        """Reject every row where ``bad`` is True, naming the field and the reason."""
        indices = np.flatnonzero(bad)
        if not len(indices):
            return
        taken = values.take(pa.array(indices, type=pa.int64())).to_pylist()
        records = csv_rows.records(indices)
        for index, value, record in zip(indices, taken, records, strict=True):
            problem = Problem(
                file=self.file,
                field=field_name,
                reason=reason(value),
                value=value,
                row=int(csv_rows.row_numbers[index]),
            )
            self.add(problem, record)

    def malformed(self, csv_rows: CsvRows) -> None:
        for number, line, reason in csv_rows.malformed:
            self.add(
                Problem(file=self.file, field="(row)", reason=reason, value=line, row=number),
                json.dumps({"text": line}, ensure_ascii=False),
            )

    def quarantine_table(self, file_id: int) -> pa.Table:
        """The rejected rows as rows of the ``quarantine`` table."""
        kept = [(p, r) for p, r in zip(self.problems, self.records, strict=True) if not p.repaired]
        return pa.table(
            {
                "file_id": pa.array([file_id] * len(kept), pa.int32()),
                "file_name": pa.array([p.file for p, _ in kept], pa.string()),
                "row_number": pa.array([p.row for p, _ in kept], pa.int32()),
                "field": pa.array([p.field for p, _ in kept], pa.string()),
                "value": pa.array([p.value for p, _ in kept], pa.string()),
                "reason": pa.array([p.reason for p, _ in kept], pa.string()),
                "record": pa.array([r for _, r in kept], pa.string()),
            }
        )


def check_code(
    issues: IssueLog,
    csv_rows: CsvRows,
    column: str,
    pattern: re.Pattern[str],
    *,
    required: bool = True,
) -> tuple[pa.Array, np.ndarray]:
    """Check a code column; returns the trimmed values and the mask of acceptable rows."""
    values = text(csv_rows.table.column(column))
    has = present(values)
    ok = matches(values, pattern)
    kind = CODE_KINDS.get(pattern.pattern, f"a code matching {pattern.pattern}")
    if required:
        issues.rows(csv_rows, ~has, column, values, lambda _v: "empty; a code is required")
    issues.rows(csv_rows, has & ~ok, column, values, lambda v: f"{v!r} is not {kind}")
    return values, ok | (~has & (not required))


def repeated_keys(keys: pa.Array, usable: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
    """Rows whose key already appeared in an earlier usable row.

    Returns the mask of those repeats and, for each repeated key, the index of its first row.
    """
    series = pd.Series(keys.to_numpy(zero_copy_only=False), dtype="object").where(usable)
    repeated = series.duplicated(keep="first").to_numpy() & usable
    if not repeated.any():
        return repeated, {}
    again = set(series[repeated])
    firsts = series[usable & series.isin(again).to_numpy()].drop_duplicates(keep="first")
    return repeated, {key: int(index) for index, key in firsts.items()}


def reject_repeats(
    issues: IssueLog,
    csv_rows: CsvRows,
    column: str,
    keys: pa.Array,
    usable: np.ndarray,
    *,
    quiet: np.ndarray | None = None,
) -> np.ndarray:
    """Keep the first usable row of each key and drop the later ones (``usable`` in place).

    Each dropped row is a problem, except where ``quiet`` is True (an expected repeat the
    caller reports in a note). Returns the mask of dropped rows.
    """
    repeated, firsts = repeated_keys(keys, usable)
    if not repeated.any():
        return repeated
    loud = repeated if quiet is None else repeated & ~quiet

    def reason(value: str | None) -> str:
        first = int(csv_rows.row_numbers[firsts[value or ""]])
        return f"repeats the code of row {first}, which was loaded"

    issues.rows(csv_rows, loud, column, keys, reason)
    usable &= ~repeated
    return repeated
