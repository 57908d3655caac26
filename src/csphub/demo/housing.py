"""Brackwater Homes' ASB case log: complaints about its tenancies.

Some complaints are the same incidents the police recorded at Brackwater Homes properties
(logged a few days apart, same complainant and alleged perpetrator), which is what a
partnership matches across agencies; most are reported only to the landlord, and a few
problem tenancies account for many of them.
"""

from __future__ import annotations

import numpy as np

from csphub.demo.events import Events, chronological, concat
from csphub.demo.locate import Setting
from csphub.demo.people import People
from csphub.demo.roles import offences
from csphub.demo.timing import sample_times

MONTHLY_OWN = 60.0  # complaints a month reported only to the landlord
SHARED_WITH_POLICE = 0.3  # share of police ASB at its homes the landlord also logs
HOUSING_OFFENCES = (
    ("Noise", 0.35),
    ("Verbal abuse or harassment", 0.2),
    ("Drugs or substance misuse", 0.1),
    ("Vandalism and damage to property", 0.1),
    ("Garden nuisance", 0.07),
    ("Pets and animal nuisance", 0.07),
    ("Rubbish and fly-tipping", 0.06),
    ("Alcohol related", 0.05),
)


def _shared(
    police: Events,
    asb: int,
    s: Setting,
    people: People,
    end: np.datetime64,
    rng: np.random.Generator,
) -> Events:
    at_home = (police.ctype == asb) & (police.address >= 0)
    idx = np.flatnonzero(at_home)
    idx = idx[s.addr.social[police.address[idx]]]
    idx = idx[rng.uniform(size=idx.size) < SHARED_WITH_POLICE]
    ev = police.take(idx)
    shift = rng.integers(0, 6, idx.size).astype("timedelta64[D]")
    t = np.minimum(ev.t + shift, end - np.timedelta64(1, "m"))
    victim = np.where(ev.victim >= 0, ev.victim, people.residents_of(ev.address, rng))
    return Events(
        ev.ctype,
        offences(HOUSING_OFFENCES, idx.size, rng),
        t,
        ev.x,
        ev.y,
        ev.address,
        victim,
        ev.offender,
    )


def _own(
    months: np.ndarray, asb: int, s: Setting, people: People, rng: np.random.Generator
) -> Events:
    starts = np.repeat(months, rng.poisson(MONTHLY_OWN, months.size))
    n = starts.size
    homes = np.flatnonzero(s.addr.social)
    w = s.addr.risk[homes] ** 1.5 * (1 + s.estate[homes])
    address = homes[rng.choice(homes.size, size=n, p=w / w.sum())]
    complainant = people.residents_of(address, rng)
    named = rng.uniform(size=n) < 0.8
    perpetrator = np.where(named, people.residents_of(s.neighbour[address], rng), -1)
    return Events(
        np.full(n, asb),
        offences(HOUSING_OFFENCES, n, rng),
        sample_times(starts, "home", rng),
        s.addr.x[address],
        s.addr.y[address],
        address,
        complainant,
        perpetrator,
    )


def simulate_housing_asb(
    police: Events,
    asb: int,
    months: np.ndarray,
    s: Setting,
    people: People,
    rng: np.random.Generator,
) -> Events:
    """The landlord's ASB complaints over the same window, in time order."""
    end = (months[-1] + 1).astype("datetime64[m]")
    return chronological(
        concat([_shared(police, asb, s, people, end, rng), _own(months, asb, s, people, rng)])
    )
