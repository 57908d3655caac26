"""The pandemic as context: which months were under COVID-19 restrictions, and the same
calendar months before the pandemic to compare a period with.

The months come from a data file that names its source (``csphub/data/context/
pandemic.csv``); a partnership can pass its own file or its own comparison years. Pure: no
store, no Django; the reports pass the months the store holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from csphub.analysis.harm import WeightTableError, read_commented_csv

PANDEMIC_FILE = Path(__file__).resolve().parents[1] / "data" / "context" / "pandemic.csv"
_KEYS = ("restrictions_from", "restrictions_to", "pre_pandemic_from", "pre_pandemic_to")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class PandemicFileError(ValueError):
    """A pandemic file that cannot be used; names the file and the key."""


@dataclass(frozen=True)
class Pandemic:
    """Months under restrictions (``start`` to ``end``) and the pre-pandemic comparison years
    (``pre_from`` to ``pre_to``), all ``YYYY-MM``; ``source`` and ``name`` from the file."""

    start: str
    end: str
    pre_from: str
    pre_to: str
    name: str
    source: str

    def overlap(self, months: Sequence[str]) -> list[str]:
        """The months of ``months`` under restrictions."""
        return [m for m in months if self.start <= m <= self.end]

    def label(self) -> str:
        return f"{_words(self.start)} to {_words(self.end)}"

    def pre_label(self) -> str:
        return f"{_words(self.pre_from)} to {_words(self.pre_to)}"

    def comparison(
        self, months: Sequence[str], loaded: Sequence[str]
    ) -> tuple[list[str], list[str]]:
        """The pre-pandemic comparison of a period: (pre-pandemic months, period months).

        The pre-pandemic side holds the loaded months of the comparison years whose calendar
        month occurs in the period; the period side holds the period's months whose calendar
        month has at least one of them, so both sides cover the same seasons. Empty lists
        when the store holds no such month.
        """
        pre = [m for m in sorted(set(loaded)) if self.pre_from <= m <= self.pre_to]
        wanted = {m[5:] for m in months}
        pre = [m for m in pre if m[5:] in wanted]
        have = {m[5:] for m in pre}
        return pre, [m for m in months if m[5:] in have]


def _words(month: str) -> str:
    return dt.date.fromisoformat(month + "-01").strftime("%B %Y")


def load_pandemic(
    path: Path | None = None, *, pre_from: str | None = None, pre_to: str | None = None
) -> Pandemic:
    """The pandemic file (default: csphub's, England), with comparison years overridable."""
    path = path or PANDEMIC_FILE
    try:
        meta, rows = read_commented_csv(path.read_text(encoding="utf-8-sig"), str(path))
    except (OSError, WeightTableError) as exc:
        raise PandemicFileError(f"cannot read {path}: {exc}") from None
    values = {(r.get("key") or "").strip(): (r.get("value") or "").strip() for r in rows}
    if pre_from:
        values["pre_pandemic_from"] = pre_from
    if pre_to:
        values["pre_pandemic_to"] = pre_to
    for key in _KEYS:
        if not _MONTH.fullmatch(values.get(key, "")):
            raise PandemicFileError(f"{path}: {key} must be a month YYYY-MM")
    start, end = values["restrictions_from"], values["restrictions_to"]
    first, last = values["pre_pandemic_from"], values["pre_pandemic_to"]
    if not (start <= end and first <= last):
        raise PandemicFileError(f"{path}: each range must start before it ends")
    if last >= start:
        raise PandemicFileError(f"{path}: the pre-pandemic years must end before {start}")
    return Pandemic(start, end, first, last, meta.get("name", path.name), meta.get("source", ""))
