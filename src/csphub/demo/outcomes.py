"""Investigation and court outcomes for crimes, month by month.

Each crime gets a first outcome some months after it is recorded (sooner when there is no
suspect); charged suspects later get a court result. The street file shows the latest
outcome known at the end of the window, data.police.uk's "Last outcome category": a crime
whose outcome is not due yet is "Under investigation", a charge without a court result
is "Awaiting court outcome" (or "Court result unavailable" when no result ever arrives
and the charge is months old).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csphub.demo.params import SPECS

CHARGED = "Suspect charged"
STATUS_UNAVAILABLE = "Status update unavailable"

NO_SUSPECT = (
    ("Investigation complete; no suspect identified", 0.70),
    ("Unable to prosecute suspect", 0.12),
    ("Further investigation is not in the public interest", 0.05),
    (STATUS_UNAVAILABLE, 0.13),
)
WITH_SUSPECT = (
    ("Unable to prosecute suspect", 0.42),
    ("Local resolution", 0.06),
    ("Offender given a caution", 0.05),
    ("Further investigation is not in the public interest", 0.07),
    ("Action to be taken by another organisation", 0.03),
    ("Formal action is not in the public interest", 0.02),
    ("Offender given penalty notice", 0.01),
    ("Investigation complete; no suspect identified", 0.04),
    (STATUS_UNAVAILABLE, 0.12),
)
CHARGE_RATE = {
    "Drugs": 0.3,
    "Possession of weapons": 0.35,
    "Shoplifting": 0.25,
    "Burglary": 0.3,
    "Robbery": 0.3,
}
DEFAULT_CHARGE_RATE = 0.14
COURT = (
    ("Offender sent to prison", 0.10),
    ("Offender given suspended prison sentence", 0.09),
    ("Offender given community sentence", 0.14),
    ("Offender fined", 0.18),
    ("Offender given conditional discharge", 0.07),
    ("Defendant found not guilty", 0.07),
    ("Court case unable to proceed", 0.04),
    ("Offender otherwise dealt with", 0.03),
    ("Offender ordered to pay compensation", 0.02),
    ("", 0.26),  # no court result ever reaches the police record
)
COURT_OVERDUE_MONTHS = 6


@dataclass(frozen=True, eq=False)
class Outcomes:
    """Outcome events (crime index, month index, outcome type) and each crime's last category.

    ``last`` is empty for ASB, which has no outcomes on data.police.uk.
    """

    crime: np.ndarray
    month: np.ndarray
    kind: np.ndarray  # object array of outcome types
    last: np.ndarray  # object array, one per event


def _draw(table: tuple[tuple[str, float], ...], n: int, rng: np.random.Generator) -> np.ndarray:
    names = np.array([name for name, _ in table], dtype=object)
    p = np.array([w for _, w in table])
    return names[rng.choice(len(names), size=n, p=p / p.sum())]


def _first_outcomes(ctype: np.ndarray, suspect: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = _draw(NO_SUSPECT, ctype.size, rng)
    with_suspect = _draw(WITH_SUSPECT, ctype.size, rng)
    rate = np.array([CHARGE_RATE.get(s.name, DEFAULT_CHARGE_RATE) for s in SPECS])[ctype]
    charged = rng.uniform(size=ctype.size) < rate
    with_suspect = np.where(charged, CHARGED, with_suspect)
    return np.where(suspect, with_suspect, out)


def simulate_outcomes(
    ctype: np.ndarray,
    month: np.ndarray,
    suspect: np.ndarray,
    n_months: int,
    asb: int,
    rng: np.random.Generator,
) -> Outcomes:
    """Outcomes for events of type ``ctype`` recorded in month index ``month``.

    ``suspect`` marks events with an identified suspect; ``asb`` is the ASB type index.
    Outcome events after the last month of the window are not published yet.
    """
    n = ctype.size
    first = _first_outcomes(ctype, suspect, rng)
    lag = rng.geometric(np.where(suspect, 0.3, 0.55)) - 1
    first_month = month + lag
    court = _draw(COURT, n, rng)
    court_month = first_month + rng.geometric(0.25, n)
    crime = ctype != asb
    charged = first == CHARGED
    published = crime & (first != STATUS_UNAVAILABLE) & (first_month < n_months)
    court_published = published & charged & (court != "") & (court_month < n_months)

    last = np.where(first_month < n_months, first, "Under investigation").astype(object)
    last[first == STATUS_UNAVAILABLE] = STATUS_UNAVAILABLE
    overdue = (court == "") & (first_month + COURT_OVERDUE_MONTHS < n_months)
    last[published & charged] = np.where(
        overdue, "Court result unavailable", "Awaiting court outcome"
    )[published & charged]
    last[court_published] = court[court_published]
    last[~crime] = ""

    idx = np.concatenate([np.flatnonzero(published), np.flatnonzero(court_published)])
    months = np.concatenate([first_month[published], court_month[court_published]])
    kinds = np.concatenate([first[published], court[court_published]])
    order = np.lexsort((idx, months))
    return Outcomes(idx[order], months[order], kinds[order], last)
