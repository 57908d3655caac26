"""The demo A&E's assault attendances, one ISTV extract a month (ISB1594 fields).

Realistic in the ways the products test: night-time-economy peaks on Friday and Saturday
nights, mostly men aged 18-34, mostly hit with a body part (some knife and glass),
assailants mostly strangers and acquaintances, located in the town-centre LSOAs. About a
third of attendances are police-recorded assaults with injury (the same date and place),
the rest never reported to the police: the share a linkage can estimate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from csphub.demo.csvtext import write_csv
from csphub.demo.events import Events
from csphub.demo.geography import Geography
from csphub.demo.hotspots import Hotspots
from csphub.demo.timing import sample_times

SITE = "Brackwater General Hospital ED"
TRUST = "Brackwater Hospitals NHS Trust"
HEADER = (
    "site",
    "trust",
    "arrival_date",
    "arrival_time",
    "incident_date",
    "incident_time",
    "incident_location",
    "location_type",
    "incident_postcode",
    "incident_lsoa",
    "primary_means_of_assault",
    "assailant_type",
    "age_band",
    "sex",
)
_AGES = ("0-15", "16-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown")
_AGE_P = (0.02, 0.05, 0.36, 0.29, 0.14, 0.08, 0.03, 0.01, 0.02)
_WEAPONS = (
    "body part",
    "glass/bottle",
    "knife/sharp object",
    "blunt object",
    "other",
    "firearm",
    "unknown",
)
_WEAPON_P = (0.70, 0.08, 0.07, 0.07, 0.04, 0.002, 0.038)
_NTE_ASSAILANT = ("stranger", "acquaintance", "police/security", "other", "unknown")
_NTE_ASSAILANT_P = (0.55, 0.29, 0.05, 0.04, 0.07)
_HOME_ASSAILANT = ("partner/ex-partner", "family", "acquaintance")
_HOME_ASSAILANT_P = (0.6, 0.3, 0.1)
UNREPORTED_PER_MONTH = 26  # attendances the police never hear of (mean per month)
HOME_SHARE = 0.15


def simulate_attendances(
    police: Events,
    injury: np.ndarray,
    window: np.ndarray,
    geo: Geography,
    spots: Hotspots,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Attendance records as columns: police-recorded assaults with injury near the
    night-time economy (40% go to A&E) and unreported ones around it. Assaults at home are
    not geocoded (an A&E does not pass on a home address): no LSOA or postcode."""
    xy = np.column_stack([police.x, police.y])
    near = spots.proximity(xy, "nte", 400.0) > 0.25
    seen = np.flatnonzero(injury & near & (rng.uniform(size=len(police)) < 0.4))
    n_new = rng.poisson(UNREPORTED_PER_MONTH, len(window))
    months = np.repeat(window, n_new)
    t_new = sample_times(months, "nte", rng)
    x_new = spots.nte[0] + rng.normal(0, 220, len(t_new))
    y_new = spots.nte[1] + rng.normal(0, 220, len(t_new))
    t = np.concatenate([police.t[seen], t_new])
    x = np.concatenate([police.x[seen], x_new])
    y = np.concatenate([police.y[seen], y_new])
    home = rng.uniform(size=len(t)) < HOME_SHARE
    order = np.argsort(t, kind="stable")
    t, x, y, home = t[order], x[order], y[order], home[order]
    n = len(t)
    delay = rng.gamma(2.0, 35.0, n).astype(int) + 10  # minutes from assault to arrival
    known = rng.uniform(size=n) < 0.8  # 20% of records leave the incident time blank
    sex = np.where(rng.uniform(size=n) < np.where(home, 0.3, 0.8), "M", "F")
    assailant = np.where(
        home,
        rng.choice(_HOME_ASSAILANT, n, p=_HOME_ASSAILANT_P),
        rng.choice(_NTE_ASSAILANT, n, p=_NTE_ASSAILANT_P),
    )
    lsoa = np.array(geo.lsoa_code, dtype=object)[geo.lsoa_at(x, y, nearest=True)]
    return {
        "incident": t,
        "arrival": t + delay.astype("timedelta64[m]"),
        "known": known,
        "home": home,
        "lsoa": lsoa,
        "sex": sex,
        "age": rng.choice(_AGES, n, p=_AGE_P),
        "weapon": rng.choice(_WEAPONS, n, p=np.asarray(_WEAPON_P) / sum(_WEAPON_P)),
        "assailant": assailant,
    }


def write_monthly_extracts(folder: Path, rec: dict[str, np.ndarray]) -> list[Path]:
    """One extract per month of arrival: ``istv/ae-assaults-YYYY-MM.csv``."""
    arrival = rec["arrival"]
    month = arrival.astype("datetime64[M]")
    paths = []
    for m in np.unique(month):
        idx = np.flatnonzero(month == m)
        paths.append(folder / f"ae-assaults-{m.astype(str)}.csv")
        write_csv(paths[-1], HEADER, _columns(rec, idx))
    return paths


def _columns(rec: dict[str, np.ndarray], idx: np.ndarray) -> list[list[str]]:
    arrival = np.datetime_as_string(rec["arrival"][idx], unit="m").tolist()
    incident = np.datetime_as_string(rec["incident"][idx], unit="m").tolist()
    known = rec["known"][idx].tolist()
    home = rec["home"][idx].tolist()
    n = len(idx)
    return [
        [SITE] * n,
        [TRUST] * n,
        [a[:10] for a in arrival],
        [a[11:16] for a in arrival],
        [i[:10] if k else "" for i, k in zip(incident, known, strict=True)],
        [i[11:16] if k else "" for i, k in zip(incident, known, strict=True)],
        ["at home" if h else "town centre, outside licensed premises" for h in home],
        ["home" if h else "street/public place" for h in home],
        ["" if h else "BW1" for h in home],
        ["" if h else code for h, code in zip(home, rec["lsoa"][idx].tolist(), strict=True)],
        rec["weapon"][idx].tolist(),
        rec["assailant"][idx].tolist(),
        rec["age"][idx].tolist(),
        rec["sex"][idx].tolist(),
    ]
