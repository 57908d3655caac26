"""A small A&E assault extract (ISTV, the ISB1594 fields in csphub's layout, see
docs/formats/istv.md) for the demo borough, written with the csv module from seeded random
draws. Tests count their expectations from ``IstvFile.rows`` with plain Python."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

HEADER = [
    "site",
    "arrival_date",
    "arrival_time",
    "incident_date",
    "incident_time",
    "location_type",
    "incident_lsoa",
    "primary_means_of_assault",
    "assailant_type",
    "age_band",
    "sex",
]
LOCATIONS = ["street/public place", "licensed premises", "home", "workplace", "unknown"]
WEAPONS = ["body part", "blunt object", "knife/sharp object", "glass/bottle", "unknown"]
ASSAILANTS = ["stranger", "acquaintance", "family", "partner/ex-partner", "police/security"]
AGES = ["0-15", "16-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
SITE = "Brackwater General ED"


@dataclass
class IstvFile:
    path: Path
    rows: list[dict[str, str]]


def write_istv(
    folder: Path, lsoas: list[str], start: dt.date, days: int, n: int, seed: int = 11
) -> IstvFile:
    """``n`` attendances from ``start`` over ``days`` days; every 10th has no LSOA."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        incident = dt.datetime.combine(start, dt.time()) + dt.timedelta(
            days=rng.randrange(days), hours=rng.randrange(24), minutes=rng.randrange(60)
        )
        arrival = incident + dt.timedelta(minutes=rng.randint(20, 300))
        rows.append(
            {
                "site": SITE,
                "arrival_date": arrival.strftime("%d/%m/%Y"),
                "arrival_time": arrival.strftime("%H:%M"),
                "incident_date": incident.strftime("%d/%m/%Y"),
                "incident_time": incident.strftime("%H:%M"),
                "location_type": rng.choice(LOCATIONS),
                "incident_lsoa": "" if i % 10 == 9 else rng.choice(lsoas),
                "primary_means_of_assault": rng.choice(WEAPONS),
                "assailant_type": rng.choice(ASSAILANTS),
                "age_band": rng.choice(AGES),
                "sex": rng.choice(["male", "male", "female"]),
            }
        )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ae-assaults.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return IstvFile(path, rows)
