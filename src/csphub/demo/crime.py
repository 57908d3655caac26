"""Simulate the police-recorded events (crimes and ASB) for the whole window.

Monthly counts per crime type follow Blackpool's mix, a yearly cycle and a mild trend.
Each type's events split between settings (home, street, night-time economy, shops);
domestic abuse comes from a fixed set of households and residential burglary from a
self-exciting process, so repeat and near-repeat patterns are there to be found.
"""

from __future__ import annotations

import numpy as np

from csphub.demo import locate, roles
from csphub.demo.burglary import KAPPA, simulate_burglaries
from csphub.demo.events import Events, chronological, concat
from csphub.demo.locate import Setting
from csphub.demo.params import (
    DOMESTIC_OFFENCES,
    DOMESTIC_SHARE,
    MONTHLY_VOLUME,
    SOURCES,
    SPECS,
    CrimeSpec,
)
from csphub.demo.people import People
from csphub.demo.timing import sample_times


def expected_counts(months: np.ndarray) -> np.ndarray:
    """Expected events per crime type (rows, SPECS order) and month (columns).

    The mean over the window of the monthly total is ``MONTHLY_VOLUME``.
    """
    month_no = months.astype(int) % 12 + 1
    years = (np.arange(months.size) - (months.size - 1) / 2) / 12
    shares = np.array([s.count for s in SPECS], dtype=float)
    shares /= shares.sum()
    rows = []
    for spec, share in zip(SPECS, shares, strict=True):
        season = 1 + spec.season_amp * np.cos(2 * np.pi * (month_no - spec.peak_month) / 12)
        rows.append(share * season * (1 + spec.trend) ** years)
    lam = np.array(rows)
    return lam * MONTHLY_VOLUME / lam.sum(axis=0).mean()


def _events(
    ctype: int,
    offence: np.ndarray,
    t: np.ndarray,
    xy: np.ndarray,
    address: np.ndarray,
    victim: np.ndarray,
    offender: np.ndarray,
) -> Events:
    return Events(np.full(t.size, ctype), offence, t, xy[:, 0], xy[:, 1], address, victim, offender)


def _place(
    s: Setting, spec: CrimeSpec, source: str, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates and address (-1 when not at an address) of ``n`` events."""
    if source == "home":
        address = locate.at_home(s, spec, n, rng)
        return locate.xy_of(s, address), address
    if source == "street":
        return locate.in_street(s, spec, n, rng), np.full(n, -1)
    if source == "nte":
        return locate.in_nte(s, n, rng)
    address = locate.at_shops(s, n, rng)
    return locate.xy_of(s, address), address


def _ordinary(
    ctype: int,
    source: str,
    starts: np.ndarray,
    s: Setting,
    people: People,
    rng: np.random.Generator,
) -> Events:
    """Events of one type in one setting, placed and timed independently."""
    spec = SPECS[ctype]
    xy, address = _place(s, spec, source, starts.size, rng)
    t = sample_times(starts, source, rng)  # each setting has a time profile of its name
    offender = roles.suspects(spec, source, address, people, s, rng)
    victim = roles.not_self(
        roles.victims(spec, source, address, people, rng), offender, people, rng
    )
    offence = roles.offences(roles.offence_table(spec, source), starts.size, rng)
    return _events(ctype, offence, t, xy, address, victim, offender)


def _domestic(
    ctype: int, starts: np.ndarray, s: Setting, people: People, rng: np.random.Generator
) -> Events:
    """Domestic abuse: the same households, victims and perpetrators, again and again."""
    dyad = rng.choice(people.da_address.size, size=starts.size, p=people.da_weight)
    address = people.da_address[dyad]
    t = sample_times(starts, "domestic", rng)
    offence = roles.offences(DOMESTIC_OFFENCES, starts.size, rng)
    return _events(
        ctype,
        offence,
        t,
        locate.xy_of(s, address),
        address,
        people.da_victim[dyad],
        people.da_perpetrator[dyad],
    )


def _burglary(
    ctype: int,
    starts: np.ndarray,
    end: np.datetime64,
    s: Setting,
    people: People,
    rng: np.random.Generator,
) -> Events:
    """Residential burglary; an offspring is often the same burglar returning."""
    spec = SPECS[ctype]
    homes = s.homes
    b = simulate_burglaries(
        starts,
        homes,
        locate.home_weight(s, spec, homes),
        np.column_stack([s.addr.x, s.addr.y]),
        end,
        rng,
    )
    offender = roles.suspects(spec, "home", b.address, people, s, rng)
    for g in range(1, int(b.generation.max(initial=0)) + 1):
        kids = np.flatnonzero(b.generation == g)
        returns = (offender[b.parent[kids]] >= 0) & (rng.uniform(size=kids.size) < 0.7)
        offender[kids[returns]] = offender[b.parent[kids[returns]]]
    victim = roles.not_self(
        roles.victims(spec, "home", b.address, people, rng), offender, people, rng
    )
    offence = roles.offences(roles.offence_table(spec, "home"), b.t.size, rng)
    return _events(ctype, offence, b.t, locate.xy_of(s, b.address), b.address, victim, offender)


def simulate_police_events(
    s: Setting, people: People, months: np.ndarray, rng: np.random.Generator
) -> Events:
    """Every police-recorded crime and ASB incident in ``months``, in time order."""
    lam = expected_counts(months)
    end = (months[-1] + 1).astype("datetime64[m]")
    parts = []
    for ctype, spec in enumerate(SPECS):
        mix = np.asarray(spec.mix)
        if spec.name == "Burglary":
            background = rng.poisson(lam[ctype] * mix[0] * (1 - KAPPA))
            parts.append(_burglary(ctype, np.repeat(months, background), end, s, people, rng))
            mix = mix * np.array([0, 1, 1, 1])
        split = rng.multinomial(rng.poisson(lam[ctype] * mix.sum()), mix / mix.sum())
        for j, source in enumerate(SOURCES):
            starts = np.repeat(months, split[:, j])
            if starts.size == 0:
                continue
            if source == "home" and spec.name == "Violence and sexual offences":
                domestic = rng.uniform(size=starts.size) < DOMESTIC_SHARE
                parts.append(_domestic(ctype, starts[domestic], s, people, rng))
                starts = starts[~domestic]
            parts.append(_ordinary(ctype, source, starts, s, people, rng))
    return chronological(concat(parts))
