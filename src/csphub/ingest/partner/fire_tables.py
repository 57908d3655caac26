"""Read published fire tables (``fire_tables.csv``) as aggregates, never as incidents.

A table is recognised by its exact header; each row gives one value per measure column
for one area, stored long (area, measure, value) in ``fire_aggregates``. A row without an
area code (the published files end with an ``NA`` row) or with a value that is not a
number is quarantined with its line and reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from csphub.datafiles import read_data_csv
from csphub.ingest.checks import GSS, Checks, Validated, np_mask, single, to_float
from csphub.ingest.kinds import Kind
from csphub.ingest.limits import Limits
from csphub.ingest.parse import Parsed, parse, read_header

KIND = "fire-aggregates"


@dataclass(frozen=True)
class Table:
    name: str
    area_column: str
    area_level: str
    period: str
    period_start: date
    measures: tuple[tuple[str, str], ...]  # (column, measure)

    @property
    def header(self) -> tuple[str, ...]:
        return (self.area_column, *(c for c, _ in self.measures))


@cache
def tables() -> tuple[Table, ...]:
    rows = read_data_csv("partner/fire_tables.csv")
    out = []
    for name in dict.fromkeys(r["table"] for r in rows):
        mine = [r for r in rows if r["table"] == name]
        first = mine[0]
        out.append(
            Table(
                name,
                first["area_column"],
                first["area_level"],
                first["period"],
                date.fromisoformat(first["period_start"]),
                tuple((r["column"], r["measure"]) for r in mine),
            )
        )
    return tuple(out)


def match_table(data: bytes, limits: Limits) -> Table | None:
    """The published table whose header this file has, else None."""
    header = tuple(h.strip() for h in read_header(data, limits))
    return next((t for t in tables() if t.header == header), None)


def read_table(table: Table, data: bytes, limits: Limits) -> tuple[Parsed, Validated]:
    """Parse a published table and turn it long: one row per area and measure."""
    fields = ("area_code", *(f"m{i}" for i in range(len(table.measures))))
    kind = Kind(KIND, table.header, fields, frozenset({"area_code"}))
    parsed = parse(data, limits, kind=kind)
    t = parsed.table
    checks = Checks(parsed)
    area = pc.utf8_trim_whitespace(pc.cast(single(t["area_code"]), pa.string()))
    checks.add(
        "area_code",
        np_mask(pc.invert(pc.match_substring_regex(area, GSS))),
        "no area code (a letter and 8 digits)",
    )
    values = []
    for i in range(len(table.measures)):
        col = pc.cast(single(t[f"m{i}"]), pa.string())
        v = to_float(col)
        checks.add(f"m{i}", np_mask(pc.is_null(v)), "not a number")
        values.append(v)
    n = t.num_rows
    pieces = []
    for (_, measure), v in zip(table.measures, values, strict=True):
        pieces.append(
            pa.table(
                {
                    "row_number": parsed.row_numbers,
                    "table": pa.array([table.name] * n, pa.string()),
                    "table_name": pa.array([table.name] * n, pa.string()),
                    "area_code": area,
                    "area_level": pa.array([table.area_level] * n, pa.string()),
                    "period": pa.array([table.period] * n, pa.string()),
                    "measure": pa.array([measure] * n, pa.string()),
                    "value": v,
                    "period_start": pa.array([table.period_start] * n, pa.date32()),
                }
            )
        )
    bad = np.tile(checks.bad, len(pieces))
    long = pa.concat_tables(pieces).filter(pa.array(~bad))
    return parsed, Validated(long, checks.problems(), 0)
