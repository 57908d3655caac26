"""The crime mix and how each crime type behaves in the simulation.

Shares are Blackpool's police.uk totals for 2018-11..2022-10 (shared/data SOURCES.md 1b).
The other numbers are plausible settings, not measurements: seasonal amplitude and peak
month, yearly trend, where events happen (at a home, in the street, in the night-time
economy, at shops), how often a suspect or a personal victim is recorded, and how strongly
the rate follows deprivation and the estates.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

MONTHLY_VOLUME = 2_700  # police.uk rows per month, Blackpool scale
SOURCES = ("home", "street", "nte", "retail")


@dataclass(frozen=True)
class CrimeSpec:
    name: str
    count: int  # Blackpool 2018-22 rows: the target share
    season_amp: float  # relative amplitude of the yearly cycle
    peak_month: int  # 1..12
    trend: float  # relative change per year
    mix: tuple[float, float, float, float]  # share by SOURCES
    suspect: float  # P(a suspect is identified)
    victim: float  # P(a personal victim is recorded)
    dep_beta: float  # log-rate per standard deviation of deprivation
    estate: float  # extra rate next to the estates
    centre: float  # extra street rate in the town centre
    acquisitive: bool  # suspects often prolific offenders


# fmt: off
# name, count, season_amp, peak_month, trend, mix (home, street, nte, retail),
#     suspect, victim, dep_beta, estate, centre, acquisitive
SPECS = (
    CrimeSpec("Anti-social behaviour", 33_492, 0.22, 7, -0.05, (0.42, 0.41, 0.12, 0.05),
              0.35, 0.6, 0.6, 2.0, 1.0, False),
    CrimeSpec("Violence and sexual offences", 31_085, 0.10, 7, 0.01, (0.44, 0.25, 0.28, 0.03),
              0.75, 0.97, 0.5, 0.6, 1.0, False),
    CrimeSpec("Criminal damage and arson", 7_108, 0.08, 5, -0.02, (0.5, 0.35, 0.05, 0.1),
              0.18, 0.75, 0.7, 2.0, 0.5, False),
    CrimeSpec("Other theft", 5_588, 0.08, 8, 0.0, (0.25, 0.35, 0.15, 0.25),
              0.12, 0.85, 0.3, 0.2, 2.0, True),
    CrimeSpec("Public order", 5_295, 0.10, 7, 0.0, (0.2, 0.3, 0.45, 0.05),
              0.6, 0.55, 0.6, 0.5, 1.5, False),
    CrimeSpec("Burglary", 3_337, 0.15, 12, -0.04, (0.85, 0.0, 0.0, 0.15),
              0.15, 1.0, 0.6, 0.5, 0.0, True),
    CrimeSpec("Shoplifting", 3_179, 0.05, 12, 0.12, (0.0, 0.0, 0.0, 1.0),
              0.55, 0.0, 0.0, 0.0, 0.0, True),
    CrimeSpec("Vehicle crime", 3_021, 0.08, 11, -0.02, (0.0, 0.8, 0.0, 0.2),
              0.07, 0.95, 0.5, 0.5, 0.5, True),
    CrimeSpec("Drugs", 1_515, 0.05, 5, 0.0, (0.2, 0.5, 0.3, 0.0),
              1.0, 0.0, 0.8, 1.0, 1.5, False),
    CrimeSpec("Other crime", 1_472, 0.03, 3, 0.0, (0.6, 0.4, 0.0, 0.0),
              0.55, 0.6, 0.5, 0.5, 0.5, False),
    CrimeSpec("Possession of weapons", 717, 0.08, 7, 0.02, (0.1, 0.45, 0.45, 0.0),
              1.0, 0.0, 0.7, 1.0, 1.5, False),
    CrimeSpec("Theft from the person", 651, 0.10, 8, 0.0, (0.0, 0.3, 0.4, 0.3),
              0.1, 1.0, 0.2, 0.0, 2.5, True),
    CrimeSpec("Robbery", 629, 0.08, 11, 0.0, (0.0, 0.55, 0.25, 0.2),
              0.3, 1.0, 0.6, 0.5, 2.0, True),
    CrimeSpec("Bicycle theft", 540, 0.35, 7, -0.03, (0.5, 0.3, 0.0, 0.2),
              0.05, 0.95, 0.2, 0.2, 1.0, True),
)
# fmt: on

# Finer offence descriptions for the police extract, by crime type and, where it matters,
# by where it happened ("*" = anywhere else). Domestic abuse has its own list.
OFFENCES: dict[str, dict[str, tuple[tuple[str, float], ...]]] = {
    "Anti-social behaviour": {
        "home": (("ASB - personal", 0.45), ("ASB - nuisance", 0.5), ("ASB - environmental", 0.05)),
        "*": (("ASB - nuisance", 0.7), ("ASB - personal", 0.15), ("ASB - environmental", 0.15)),
    },
    "Violence and sexual offences": {
        "home": (
            ("Harassment", 0.35),
            ("Malicious communications", 0.25),
            ("Assault without injury", 0.2),
            ("Stalking", 0.1),
            ("Threats to kill", 0.05),
            ("Sexual assault", 0.05),
        ),
        "nte": (
            ("Assault with injury", 0.45),
            ("Assault without injury", 0.4),
            ("Sexual assault", 0.08),
            ("Grievous bodily harm", 0.04),
            ("Rape", 0.03),
        ),
        "*": (
            ("Assault without injury", 0.45),
            ("Assault with injury", 0.3),
            ("Harassment", 0.15),
            ("Sexual assault", 0.05),
            ("Grievous bodily harm", 0.03),
            ("Rape", 0.02),
        ),
    },
    "Criminal damage and arson": {
        "home": (
            ("Criminal damage to a dwelling", 0.6),
            ("Criminal damage to a vehicle", 0.3),
            ("Arson", 0.1),
        ),
        "street": (
            ("Criminal damage to a vehicle", 0.55),
            ("Criminal damage - other", 0.35),
            ("Arson", 0.1),
        ),
        "*": (
            ("Criminal damage to other building", 0.8),
            ("Criminal damage - other", 0.15),
            ("Arson", 0.05),
        ),
    },
    "Other theft": {
        "home": (("Theft from a dwelling", 0.7), ("Theft - other", 0.3)),
        "retail": (
            ("Making off without payment", 0.45),
            ("Theft - other", 0.45),
            ("Theft by employee", 0.1),
        ),
        "*": (("Theft - other", 1.0),),
    },
    "Public order": {
        "*": (
            ("Public fear, alarm or distress", 0.85),
            ("Racially or religiously aggravated public fear, alarm or distress", 0.1),
            ("Violent disorder", 0.05),
        ),
    },
    "Burglary": {
        "home": (("Burglary - residential", 1.0),),
        "*": (("Burglary - business and community", 1.0),),
    },
    "Shoplifting": {"*": (("Shoplifting", 1.0),)},
    "Vehicle crime": {
        "*": (
            ("Theft from a vehicle", 0.6),
            ("Theft of a motor vehicle", 0.25),
            ("Vehicle interference", 0.15),
        ),
    },
    "Drugs": {
        "*": (
            ("Possession of cannabis", 0.6),
            ("Possession of other drugs", 0.25),
            ("Trafficking in controlled drugs", 0.15),
        ),
    },
    "Other crime": {
        "*": (
            ("Breach of a court order", 0.45),
            ("Other offence", 0.35),
            ("Perverting the course of justice", 0.1),
            ("Obscene publications", 0.1),
        ),
    },
    "Possession of weapons": {
        "*": (
            ("Possession of article with blade or point", 0.6),
            ("Possession of offensive weapon", 0.35),
            ("Possession of firearm", 0.05),
        ),
    },
    "Theft from the person": {"*": (("Theft from the person", 0.85), ("Snatch theft", 0.15))},
    "Robbery": {
        "retail": (("Robbery of business property", 1.0),),
        "*": (("Robbery of personal property", 1.0),),
    },
    "Bicycle theft": {"*": (("Theft of a pedal cycle", 1.0),)},
}
DOMESTIC_OFFENCES = (
    ("Domestic abuse - assault", 0.55),
    ("Domestic abuse - harassment", 0.3),
    ("Domestic abuse - coercive control", 0.15),
)
DOMESTIC_SHARE = 0.7  # of violence at a home address


def current_crime_types() -> tuple[str, ...]:
    """The 14 current police.uk crime types, spelled as in ``csphub/data/crime_types.csv``."""
    text = resources.files("csphub.data").joinpath("crime_types.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(r["crime_type"] for r in rows if r["current"] == "1")


def check_specs() -> None:
    """Fail loudly if the table drifts from the reference list of crime types."""
    names = {s.name for s in SPECS}
    if names != set(current_crime_types()) or names != set(OFFENCES):
        raise ValueError("demo crime specs do not match csphub/data/crime_types.csv")
