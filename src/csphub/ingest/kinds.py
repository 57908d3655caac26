"""The three data.police.uk file kinds, recognised by their header row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from csphub.datafiles import read_data_csv

_NAME = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)\.csv$"
)


@dataclass(frozen=True)
class Kind:
    """A file kind: its header columns in order, their field names, which are required."""

    name: str
    columns: tuple[str, ...]
    fields: tuple[str, ...]
    required: frozenset[str]


@cache
def kinds() -> dict[str, Kind]:
    """Every file kind csphub reads: the three police.uk kinds and the partner extract."""
    rows = read_data_csv("policeuk_files.csv") + read_data_csv("partner_files.csv")
    out: dict[str, Kind] = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind]
        out[kind] = Kind(
            name=kind,
            columns=tuple(r["column"] for r in mine),
            fields=tuple(r["field"] for r in mine),
            required=frozenset(r["field"] for r in mine if r["required"] == "1"),
        )
    return out


def detect_kind(header: list[str]) -> Kind | None:
    """The kind whose columns are exactly this header (after trimming spaces), else None."""
    cleaned = tuple(h.strip() for h in header)
    for kind in kinds().values():
        if cleaned == kind.columns:
            return kind
    return None


def describe_header_mismatch(header: list[str]) -> str:
    """Why a header is not a police.uk one: the closest kind and what differs."""
    cleaned = [h.strip() for h in header]
    best = max(kinds().values(), key=lambda k: len(set(k.columns) & set(cleaned)) / len(k.columns))
    missing = [c for c in best.columns if c not in cleaned]
    extra = [c for c in cleaned if c not in best.columns]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(repr(c) for c in missing))
    if extra:
        parts.append("unexpected " + ", ".join(repr(c) for c in extra))
    if not parts:
        parts.append("columns in a different order")
    what = "csphub partner extract" if best.name == "events" else f"data.police.uk {best.name} file"
    return f"not a {what} ({'; '.join(parts)})"


@dataclass(frozen=True)
class FileName:
    month: str
    force_slug: str
    kind: str


def parse_file_name(basename: str) -> FileName | None:
    """``2022-01-thames-valley-street.csv`` -> month, force slug and kind."""
    m = _NAME.match(basename.lower())
    if not m:
        return None
    return FileName(m["month"], m["force"], m["kind"])


@cache
def force_names() -> dict[str, str]:
    """Force name by data.police.uk file-name slug."""
    return {r["slug"]: r["name"] for r in read_data_csv("forces.csv")}


@cache
def crime_types() -> frozenset[str]:
    return frozenset(r["crime_type"] for r in read_data_csv("crime_types.csv"))
