"""Read the hub's casework for a product: cases open in a period, their parties and places.

Why plain SQL and not Django (nor a hub-side exporter the CLI runs first): the products
are a pure library, store in and report out, that never import Django (the rule the
import-linter contract states for ``analysis``, ``ingest`` and ``store``). Setting Django
up inside ``csphub tasking`` would pin one settings module for the whole process (the demo
builds its hub in a child process for that reason) and load the whole hub to read four
tables. An exporter would add a file to keep in step and to protect. A product only needs
aggregates and places, so it reads ``casework_case``, ``casework_caseparty``,
``casework_place`` and ``access_agency`` read-only, through ``sqlite3`` (a file opened
``mode=ro``) or ``psycopg``, and never a person's row: the ``casework_person`` table is not
queried at all, so no name can reach a product. The price is that these queries restate
the schema: the tests run them against a hub migrated by Django, so a migration that
renames a column fails a test rather than a report.

A case counts for a period when it was opened before the period ended and not closed
before it began (``closed_at`` is set when a case reaches its type's final state).
Times are stored in UTC; the period's days are the partnership's (Europe/London).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tomllib
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

#: The hub's time zone (``TIME_ZONE`` of ``csphub.hub.settings``).
LONDON = ZoneInfo("Europe/London")
SQLITE_FILE = "hub.sqlite3"


class HubUnreadable(ValueError):
    """The hub database named by ``--hub-dir`` or ``--hub-database`` cannot be read; the
    message says which option and what to check (never a password)."""


@dataclass(frozen=True)
class HubSource:
    """Where the hub database is: a SQLite file (``--hub-dir``) or a PostgreSQL URL
    (``--hub-database``)."""

    sqlite: Path | None = None
    url: str | None = None

    @classmethod
    def of(cls, hub_dir: Path | None, hub_database: str | None) -> HubSource | None:
        """The source the options name; None when neither is given (no casework)."""
        if hub_dir is not None and hub_database:
            raise HubUnreadable("give --hub-dir or --hub-database, not both")
        if hub_dir is not None:
            return cls(sqlite=Path(hub_dir) / SQLITE_FILE)
        if hub_database:
            if hub_database.startswith("sqlite:///"):
                return cls(sqlite=Path(hub_database.removeprefix("sqlite:///")))
            if not hub_database.startswith(("postgres://", "postgresql://")):
                raise HubUnreadable("--hub-database: give a postgresql://... or sqlite:///... URL")
            return cls(url=hub_database)
        return None

    @property
    def label(self) -> str:
        """The database in words for the method section (a PostgreSQL URL without its
        user and password)."""
        if self.sqlite is not None:
            return f"the hub's SQLite database ({self.sqlite.name})"
        host = (self.url or "").split("@")[-1].split("?")[0]
        return f"the hub's PostgreSQL database ({host.split('/')[-1] or 'default'})"


@dataclass(frozen=True)
class CaseRow:
    id: int
    reference: str
    case_type: str
    state: str
    lead_agency: str
    restricted: bool
    opened: dt.date
    closed: dt.date | None


@dataclass(frozen=True)
class PartyRow:
    case_id: int
    role: str
    person_id: int | None
    place_id: int | None


@dataclass(frozen=True)
class PlaceRow:
    id: int
    name: str
    address: str
    postcode: str
    lsoa_code: str
    lsoa_name: str
    ward_code: str
    ward_name: str

    @property
    def label(self) -> str:
        """The place as the hub shows it: its name, address and postcode."""
        where = ", ".join(p for p in (self.address, self.postcode) if p)
        return f"{self.name}, {where}" if self.name else where


@dataclass(frozen=True)
class Casework:
    """The cases open at some time from ``start`` to ``end`` (inclusive days), with their
    parties and the places they name."""

    source: str
    start: dt.date
    end: dt.date
    cases: tuple[CaseRow, ...]
    parties: tuple[PartyRow, ...]
    places: dict[int, PlaceRow]


def type_names() -> dict[str, str]:
    """Case type code to its name, from the hub's data file (read as data, not imported)."""
    path = files("csphub").joinpath("hub", "casework", "data", "case_types.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {code: spec["name"] for code, spec in data["types"].items()}


CASES_SQL = """
SELECT c.id, c.reference, c.case_type, c.state, a.name, c.restricted, c.opened_at,
       c.closed_at
FROM casework_case c JOIN access_agency a ON a.id = c.lead_agency_id
WHERE c.opened_at < {p} AND (c.closed_at IS NULL OR c.closed_at >= {p})
ORDER BY c.reference
"""
PARTIES_SQL = """
SELECT p.case_id, p.role, p.person_id, p.place_id
FROM casework_caseparty p JOIN casework_case c ON c.id = p.case_id
WHERE c.opened_at < {p} AND (c.closed_at IS NULL OR c.closed_at >= {p})
ORDER BY p.case_id, p.id
"""
PLACES_SQL = """
SELECT DISTINCT pl.id, pl.name, pl.address, pl.postcode, pl.lsoa_code, pl.lsoa_name,
       pl.ward_code, pl.ward_name
FROM casework_place pl
JOIN casework_caseparty p ON p.place_id = pl.id
JOIN casework_case c ON c.id = p.case_id
WHERE c.opened_at < {p} AND (c.closed_at IS NULL OR c.closed_at >= {p})
"""

QUERIES = (CASES_SQL, PARTIES_SQL, PLACES_SQL)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """(end of the period, start of the period) in UTC, in the order the queries ask."""
    begin = dt.datetime.combine(start, dt.time(), LONDON).astimezone(dt.UTC)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), LONDON)
    return after.astimezone(dt.UTC), begin


def _day(value: Any) -> dt.date | None:
    """A stored timestamp (SQLite text in UTC, or an aware datetime) as a London day."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LONDON).date()


def _query(source: HubSource, params: Sequence[Any]) -> tuple[list, list, list]:
    if source.sqlite is not None:
        if not source.sqlite.is_file():
            raise HubUnreadable(
                f"no hub database at {source.sqlite}: give the hub folder with --hub-dir "
                "(the folder csphub serve uses), or --hub-database URL"
            )
        # SQLite keeps Django's datetimes as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
        text = [p.strftime("%Y-%m-%d %H:%M:%S") for p in params]
        uri = f"{source.sqlite.resolve().as_uri()}?mode=ro"
        try:
            with closing(sqlite3.connect(uri, uri=True)) as db:
                a, b, c = (db.execute(q.format(p="?"), text).fetchall() for q in QUERIES)
                return a, b, c
        except sqlite3.Error as exc:
            raise HubUnreadable(f"the hub database could not be read ({exc})") from None
    import psycopg

    try:
        with psycopg.connect(source.url or "", connect_timeout=10) as db:
            db.read_only = True
            a, b, c = (db.execute(q.format(p="%s"), params).fetchall() for q in QUERIES)
            return a, b, c
    except psycopg.Error as exc:
        reason = type(exc).__name__
        raise HubUnreadable(
            f"--hub-database: the hub database could not be read ({reason})"
        ) from None


def read_casework(source: HubSource, start: dt.date, end: dt.date) -> Casework:
    """The cases open at some time from ``start`` to ``end``, their parties and places.

    Raises :class:`HubUnreadable` when the database is missing, not migrated or refused.
    """
    cases, parties, places = _query(source, _bounds(start, end))
    return Casework(
        source=source.label,
        start=start,
        end=end,
        cases=tuple(
            CaseRow(int(i), ref, kind, state, lead, bool(r), _day(o) or start, _day(c))
            for i, ref, kind, state, lead, r, o, c in cases
        ),
        parties=tuple(PartyRow(int(c), role, person, place) for c, role, person, place in parties),
        places={
            int(row[0]): PlaceRow(int(row[0]), *(str(v or "") for v in row[1:])) for row in places
        },
    )
