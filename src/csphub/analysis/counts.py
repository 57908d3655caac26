"""Counts of street-level crime and ASB, grouped and filtered, with rates per 1,000.

The basic question an analyst asks of the store ("how many, of what, where, when"), and
the check that nothing was lost: counts by month and crime type equal the raw rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from csphub.store import Store
from csphub.store.areas import Area

#: Fields to group or filter by, and their SQL over street s / lookup g.
FIELDS: dict[str, str] = {
    "month": "strftime(s.month, '%Y-%m')",
    "crime_type": "s.crime_type",
    "lsoa_code": "s.lsoa_code",
    "ward_code": "g.ward_code",
    "outcome": "s.outcome",
    "force": "s.reported_by",
}
#: Further fields that may be used in --where only.
FILTER_ONLY: dict[str, str] = {
    "lsoa_name": "s.lsoa_name",
    "lad_code": "g.lad_code",
    "has_location": "CAST(s.has_location AS VARCHAR)",
    "location": "s.location",
}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class QueryError(ValueError):
    """A query that cannot be run as asked; the message says which option is wrong."""


@dataclass(frozen=True)
class CountsResult:
    """Rows of counts. ``denominator`` says what rate_per_1000 is per (or why it is absent)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    denominator: str | None

    def records(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]

    @property
    def total(self) -> int:
        i = self.columns.index("count")
        return sum(int(r[i]) for r in self.rows)


def _month(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if not _MONTH.match(value):
        raise QueryError(f"{option} {value!r}: give a month as YYYY-MM")
    return value + "-01"


def street_filter(
    *,
    start: str | None = None,
    end: str | None = None,
    area: Area | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[str], list[object], bool]:
    """SQL conditions on street rows ``s`` (lookup ``g``) for a period, area and ``where``.

    Returns the conditions, their parameters, and whether the lookup must be joined. The one
    place the filter rules live, so every command filters the same way.
    """
    allowed = {**FIELDS, **FILTER_ONLY}
    for f in where or {}:
        if f not in allowed:
            raise QueryError(f"--where {f}=...: choose a field from {', '.join(allowed)}")
    clauses: list[str] = []
    params: list[object] = []
    if (m := _month(start, "--from")) is not None:
        clauses.append("s.month >= ?")
        params.append(m)
    if (m := _month(end, "--to")) is not None:
        clauses.append("s.month <= ?")
        params.append(m)
    if area is not None:
        clauses.append("s.lsoa_code IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(area.lsoa_codes))
    for f, values in (where or {}).items():
        clauses.append(f"{allowed[f]} IN (SELECT unnest(?::VARCHAR[]))")
        params.append([str(v) for v in values])
    lookup = any(f in (where or {}) for f in ("ward_code", "lad_code"))
    return clauses, params, lookup


def counts(
    store: Store,
    by: Sequence[str],
    *,
    start: str | None = None,
    end: str | None = None,
    area: Area | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
) -> CountsResult:
    """Count street-level rows (crime and ASB) grouped by ``by``.

    ``start``/``end`` are inclusive months (YYYY-MM). ``area`` keeps rows located in its
    LSOAs (rows with no location cannot be placed, so an area excludes them). ``where``
    maps a field to the values to keep. A ``rate_per_1000`` column is added when
    population is loaded and there is a denominator: the LSOA or ward of the row when
    grouping by ``lsoa_code`` or ``ward_code``, else the whole area.
    """
    unknown = [f for f in by if f not in FIELDS]
    if unknown or not by:
        raise QueryError(f"--by {','.join(by) or '(nothing)'}: choose from {', '.join(FIELDS)}")
    clauses, params, lookup = street_filter(start=start, end=end, area=area, where=where)
    needs_lookup = lookup or "ward_code" in by
    join = "LEFT JOIN geo_lookup g ON g.lsoa_code = s.lsoa_code" if needs_lookup else ""
    where_sql = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    select = ", ".join(f"{FIELDS[f]} AS {f}" for f in by)
    group = ", ".join(str(i + 1) for i in range(len(by)))
    sql = f"SELECT {select}, count(*) AS count FROM street s {join} {where_sql} GROUP BY {group}"
    denominator, rate_sql = _rate(store, by, area)
    if rate_sql:
        sql = f"WITH c AS ({sql}) {rate_sql}"
    sql += f" ORDER BY {group}"
    cur = store.con.execute(sql, params)
    columns = tuple(d[0] for d in cur.description)
    return CountsResult(columns, tuple(cur.fetchall()), denominator)


def _rate(store: Store, by: Sequence[str], area: Area | None) -> tuple[str | None, str | None]:
    """What the rate is per, and the SQL that adds it to the counts ``c``."""
    if not store.has_rows("population"):
        return "population not loaded", None
    rate = "round(1000.0 * c.count / nullif(p.population, 0), 3) AS rate_per_1000"
    if "lsoa_code" in by:
        return "residents of the LSOA", (
            f"SELECT c.*, {rate} FROM c LEFT JOIN population p ON p.lsoa_code = c.lsoa_code"
        )
    if "ward_code" in by:
        scope = ""
        if area is not None:
            codes = ", ".join("'" + c.replace("'", "''") + "'" for c in area.lsoa_codes)
            scope = f"WHERE g.lsoa_code IN ({codes})"
        return "residents of the ward", (
            "SELECT c.*, " + rate + " FROM c LEFT JOIN (SELECT g.ward_code, "
            "sum(pp.population) AS population FROM geo_lookup g JOIN population pp "
            f"ON pp.lsoa_code = g.lsoa_code {scope} GROUP BY 1) p ON p.ward_code = c.ward_code"
        )
    if area is not None:
        codes = ", ".join("'" + c.replace("'", "''") + "'" for c in area.lsoa_codes)
        return f"residents of {area.name}", (
            f"SELECT c.*, {rate} FROM c, (SELECT sum(population) AS population "
            f"FROM population WHERE lsoa_code IN ({codes})) p"
        )
    return "no denominator without --area or a geographic grouping", (
        "SELECT c.*, NULL::DOUBLE AS rate_per_1000 FROM c"
    )
