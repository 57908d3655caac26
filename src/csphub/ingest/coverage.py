"""What a file is *for*: the force-months it may replace, declared by its kind and name.

- A data.police.uk file named ``YYYY-MM-<force>-<kind>.csv`` is for that force and month:
  rows of another month or force are quarantined, never stored as a part that would
  replace another file's month.
- A police.uk-shaped file with another name (an extract, e.g. one district over several
  years) is its own source: it replaces only an earlier file of the same name, and is
  shown only where no force file covers the force-month.
- A partner extract (kind ``events``) is for the agency-months its rows cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.ingest.checks import Checks, np_mask, per_value, single
from csphub.ingest.kinds import force_names, parse_file_name

POLICE_KINDS = ("street", "outcomes", "stop-and-search")


@dataclass(frozen=True)
class Coverage:
    """``month`` and ``force`` the file is for (None: taken from its rows); ``scope`` is
    '' for a force file or partner extract, else the extract's own name."""

    month: str | None
    force: str | None
    scope: str

    @property
    def is_extract(self) -> bool:
        return bool(self.scope)


#: No expectation: rows are taken for whatever force and month they name.
ANY = Coverage(None, None, "(any)")


def coverage_of(kind: str, basename: str) -> Coverage:
    """The coverage of a file of ``kind`` named ``basename`` (see the module docstring)."""
    if kind not in POLICE_KINDS:
        return Coverage(None, None, "")
    name = parse_file_name(basename)
    if name is None or name.kind != kind:
        return Coverage(None, None, basename.lower())
    return Coverage(name.month, force_names().get(name.force_slug), "")


def check_coverage(checks: Checks, month: pa.Array, force: pa.Array, coverage: Coverage) -> None:
    """Quarantine the rows a file is not for: another month, or another force."""
    if coverage.month is not None:
        want = pa.scalar(date.fromisoformat(coverage.month + "-01"), pa.date32())
        differs = np_mask(pc.not_equal(month, want)) & ~checks.bad
        checks.add("month", differs, f"month differs from the file ({coverage.month})")
    if coverage.is_extract:
        return
    file_force = coverage.force or _most_common(force, ~checks.bad)
    if file_force is None:
        return
    differs = np_mask(per_value(force, lambda v: pc.not_equal(v, file_force))) & ~checks.bad
    checks.add("reported_by", differs, f"force differs from the file ({file_force})")


def _most_common(col: pa.Array, good: np.ndarray) -> str | None:
    values = single(col).filter(pa.array(good))
    if len(values) == 0:
        return None
    counts = pc.value_counts(values.cast(pa.string()))
    top = int(np.argmax(counts.field("counts").to_numpy()))
    return counts.field("values")[top].as_py()
