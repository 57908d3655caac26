"""A small STATS19 collision and casualty file pair for the demo borough, in DfT's 2024
published layout, written with the csv module from seeded random draws. The test counts
its expectations from the same rows (``Stats19Files.collisions`` and ``.casualties``)
with plain Python, never from csphub."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

COLLISION_HEADER = [
    "collision_index",
    "collision_year",
    "police_force",
    "collision_severity",
    "date",
    "time",
    "number_of_vehicles",
    "number_of_casualties",
    "local_authority_ons_district",
    "lsoa_of_collision_location",
    "collision_adjusted_severity_serious",
    "collision_adjusted_severity_slight",
]
CASUALTY_HEADER = [
    "collision_index",
    "collision_year",
    "vehicle_reference",
    "casualty_reference",
    "casualty_class",
    "sex_of_casualty",
    "age_of_casualty",
    "casualty_severity",
    "casualty_type",
    "casualty_adjusted_severity_serious",
    "casualty_adjusted_severity_slight",
]
#: casualty_type code -> label in DfT's code list
ROAD_USERS = {
    "0": "Pedestrian",
    "1": "Cyclist",
    "9": "Car occupant",
    "5": "Motorcycle over 500cc rider or passenger",
}


@dataclass
class Stats19Files:
    collision_file: Path
    casualty_file: Path
    collisions: list[dict[str, str]]
    casualties: list[dict[str, str]]


def _adjusted(rng: random.Random, severity: str) -> tuple[str, str]:
    if severity == "1":
        return "", ""
    serious = rng.uniform(0.6, 1.0) if severity == "2" else rng.uniform(0.0, 0.3)
    return f"{serious:.6f}", f"{1 - serious:.6f}"


def write_stats19(
    folder: Path, lsoas: list[str], district: str, per_year: dict[int, int], seed: int = 7
) -> Stats19Files:
    rng = random.Random(seed)
    collisions, casualties = [], []
    for year, n in per_year.items():
        for i in range(n):
            index = f"{year}99{i:07d}"
            people = [rng.choices("123", weights=[2, 20, 78])[0] for _ in range(rng.randint(1, 3))]
            severity = min(people)  # the worst-injured casualty: 1 fatal < 2 < 3
            serious, slight = _adjusted(rng, severity)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            collisions.append(
                {
                    "collision_index": index,
                    "collision_year": str(year),
                    "police_force": "4",
                    "collision_severity": severity,
                    "date": f"{day:02d}/{month:02d}/{year}",
                    "time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                    "number_of_vehicles": str(rng.randint(1, 3)),
                    "number_of_casualties": str(len(people)),
                    "local_authority_ons_district": district,
                    "lsoa_of_collision_location": rng.choice(lsoas),
                    "collision_adjusted_severity_serious": serious,
                    "collision_adjusted_severity_slight": slight,
                }
            )
            for k, sev in enumerate(people, start=1):
                c_serious, c_slight = _adjusted(rng, sev)
                casualties.append(
                    {
                        "collision_index": index,
                        "collision_year": str(year),
                        "vehicle_reference": "1",
                        "casualty_reference": str(k),
                        "casualty_class": rng.choice("123"),
                        "sex_of_casualty": rng.choice("12"),
                        "age_of_casualty": str(rng.randint(5, 90)),
                        "casualty_severity": sev,
                        "casualty_type": rng.choice(list(ROAD_USERS)),
                        "casualty_adjusted_severity_serious": c_serious,
                        "casualty_adjusted_severity_slight": c_slight,
                    }
                )
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "demo-collisions.csv", folder / "demo-casualties.csv"
    for path, header, rows in zip(
        paths, (COLLISION_HEADER, CASUALTY_HEADER), (collisions, casualties), strict=True
    ):
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return Stats19Files(paths[0], paths[1], collisions, casualties)
