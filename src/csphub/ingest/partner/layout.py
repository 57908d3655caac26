"""Match a partner file's header to a layout kept as data (``csphub/data/partner``).

A layout row maps one published column name to a csphub field; several names may give one
field (DfT renamed its columns in 2024). The file's kind is the first table of the layout
whose required fields all appear. Columns no layout row names are not read, and said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from csphub.datafiles import read_data_csv
from csphub.ingest.kinds import Kind
from csphub.ingest.limits import Limits
from csphub.ingest.parse import read_header
from csphub.ingest.problems import FileProblem


@dataclass(frozen=True)
class Layout:
    """One table of a format: field by published column name, required fields, codes."""

    table: str
    field_of: dict[str, str]
    required: frozenset[str]
    codes: dict[str, str]  # field -> code list variable


def _key(column: str) -> str:
    """A header name compared without case, outer spaces, or inner space/underscore difference."""
    return "_".join(column.strip().lower().replace("_", " ").split())


@cache
def layouts(name: str) -> tuple[Layout, ...]:
    """The tables of a format's layout file ``partner/<name>_layout.csv``, in file order."""
    rows = read_data_csv(f"partner/{name}_layout.csv")
    out = []
    for table in dict.fromkeys(r["table"] for r in rows):
        mine = [r for r in rows if r["table"] == table]
        out.append(
            Layout(
                table=table,
                field_of={_key(r["column"]): r["field"] for r in mine},
                required=frozenset(r["field"] for r in mine if r["required"] == "1"),
                codes={r["field"]: r["codes"] for r in mine if r.get("codes")},
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Matched:
    """The kind to parse a file with, its layout, and the columns left unread."""

    kind: Kind
    layout: Layout
    unread: tuple[str, ...]


def match_header(name: str, data: bytes, limits: Limits, what: str) -> Matched:
    """The layout table a file's header fits, or :class:`FileProblem` saying what is missing."""
    header = [h.strip() for h in read_header(data, limits)]
    best: tuple[tuple[int, int], Layout, list[str]] | None = None
    for layout in layouts(name):
        present = {layout.field_of[_key(h)] for h in header if _key(h) in layout.field_of}
        missing = sorted(layout.required - present)
        if not missing:
            return _matched(layout, header)
        score = (len(missing), -len(present))  # fewest missing, then most recognised
        if best is None or score < best[0]:
            best = (score, layout, missing)
    assert best is not None
    _, layout, missing = best
    raise FileProblem(
        f"not a {what} file: the header has no column for {', '.join(missing)} "
        f"(closest: the {layout.table} table; see docs/formats/{name}.md)"
    )


def _matched(layout: Layout, header: list[str]) -> Matched:
    fields: list[str] = []
    unread: list[str] = []
    for i, column in enumerate(header):
        field = layout.field_of.get(_key(column))
        if field is None or field in fields:
            fields.append(f"_unread_{i}")
            unread.append(column)
        else:
            fields.append(field)
    kind = Kind(
        name=layout.table,
        columns=tuple(header),
        fields=tuple(fields),
        required=layout.required & set(fields),
    )
    return Matched(kind, layout, tuple(unread))
