"""Small police.uk-shaped files for tests."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
FORCE = "Testshire Police"


def street_row(
    month: str = "2022-01",
    crime_type: str = "Burglary",
    *,
    crime_id: str = "abc123",
    lon: str = "-3.05",
    lat: str = "53.81",
    lsoa: str = "E01012662",
    outcome: str = "Under investigation",
    force: str = FORCE,
) -> str:
    if crime_type == "Anti-social behaviour":
        crime_id, outcome = "", ""
    name = "Blackpool 002A" if lsoa else ""
    location = "On or near Test Street" if lon else "No location"
    return (
        f"{crime_id},{month},{force},{force},{lon},{lat},{location},{lsoa},{name},"
        f"{crime_type},{outcome},"
    )


def write_street(path: Path, rows: list[str], *, eol: str = "\r\n", gz: bool = False) -> Path:
    text = eol.join([STREET_HEADER, *rows]) + eol
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def month_rows(month: str, n: int, *, no_location_every: int = 0) -> list[str]:
    """n rows of several crime types for one month; every k-th row has no location."""
    types = ["Burglary", "Anti-social behaviour", "Violence and sexual offences", "Drugs"]
    rows = []
    for i in range(n):
        located = not (no_location_every and i % no_location_every == 0)
        rows.append(
            street_row(
                month,
                types[i % len(types)],
                crime_id=f"id{month}{i}",
                lon="-3.05" if located else "",
                lat="53.81" if located else "",
                lsoa="E01012662" if located else "",
            )
        )
    return rows


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path
