"""A report as data: sections holding paragraphs, tables and figures.

Each product (tasking pack, Strategic Assessment, ASB report) builds a :class:`Report`
from the store; :mod:`.html`, :mod:`.xlsx` and :mod:`.pdf` render it. Nothing here touches
either side, so a report can be checked (or rendered another way) without the HTML.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from csphub.reports.svg import Svg


@dataclass(frozen=True)
class Table:
    """A table of the page and its CSV (``data/{id}.csv``): one dict per row, in order.

    ``reference`` marks a table for checking rather than reading (checksums): folded on
    screen and, in print, named rather than printed; it is in tables.xlsx and data/*.csv.
    ``identifiers`` marks a table that lists person, address or event ids: a report holding
    one carries the protective marking."""

    id: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    reference: bool = False
    identifiers: bool = False

    @classmethod
    def of(
        cls,
        id: str,
        caption: str,
        rows: Sequence[dict[str, Any]],
        columns=None,
        *,
        reference: bool = False,
        identifiers: bool = False,
    ) -> Table:
        cols = tuple(columns) if columns is not None else tuple(rows[0]) if rows else ()
        rows_ = tuple({c: r.get(c) for c in cols} for r in rows)
        return cls(id, caption, cols, rows_, reference, identifiers)


@dataclass(frozen=True)
class Figure:
    """A chart or map with its data table (shown after it, inside ``<details>`` if long)."""

    svg: Svg
    table: Table


@dataclass(frozen=True)
class Section:
    """One ``h2`` section. ``unavailable`` says why it could not be produced (then it holds
    only that message and any paragraphs saying what to load)."""

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()
    unavailable: str | None = None
    subsections: tuple[Section, ...] = ()

    def all_tables(self) -> list[Table]:
        out = [f.table for f in self.figures] + list(self.tables)
        for sub in self.subsections:
            out += sub.all_tables()
        return out


#: The protective marking of a product that lists person, address or event ids, unless the
#: partnership sets its own (``--marking``): the Government Security Classifications'
#: OFFICIAL tier with the SENSITIVE handling caveat (Cabinet Office, Government Security
#: Classifications, May 2018).
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Report:
    """One product for one area and period. ``slug`` names its PDF (``{slug}.pdf``);
    ``marking`` the protective marking printed when a table lists identifiers."""

    title: str
    area_code: str
    area_name: str
    period: str
    sections: tuple[Section, ...]
    slug: str = "report"
    parameters: dict[str, Any] = field(default_factory=dict)
    marking: str = DEFAULT_MARKING

    def tables(self) -> list[Table]:
        """Every table in page order (each is one CSV)."""
        return [t for s in self.sections for t in s.all_tables()]

    @property
    def protective_marking(self) -> str | None:
        """The marking to print, or None when no table lists person, address or event ids
        (or the partnership set none: ``--marking ''``)."""
        if not self.marking:
            return None
        return self.marking if any(t.identifiers for t in self.tables()) else None


@dataclass
class Stopwatch:
    """Times named stages; ``report`` is called with each stage's name and seconds."""

    report: Callable[[str, float], None] | None = None
    times: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.times[name] = time.perf_counter() - start
        if self.report is not None:
            self.report(name, self.times[name])
