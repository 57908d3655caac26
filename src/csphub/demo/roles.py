"""Who is involved: victims, suspects and the finer offence description.

Suspects of acquisitive crime are often one of the prolific offenders; suspects of street
and night-time violence come from the same street population that supplies its victims,
which is how victim-offender overlap arises; neighbour disputes pit next-door residents
against each other. Most burglaries and thefts have no known suspect.
"""

from __future__ import annotations

import numpy as np

from csphub.demo.locate import Setting
from csphub.demo.params import OFFENCES, CrimeSpec
from csphub.demo.people import People, draw_prolific, draw_street

PROLIFIC_SHARE = 0.6  # of acquisitive crimes with a suspect
STREET_SHARE = {"street": 0.5, "nte": 0.6}  # of other crimes with a suspect, by setting


def offences(table: tuple[tuple[str, float], ...], n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` offence descriptions drawn from a (name, probability) table."""
    names = np.array([name for name, _ in table], dtype=object)
    p = np.array([w for _, w in table])
    return names[rng.choice(len(names), size=n, p=p / p.sum())]


def offence_table(spec: CrimeSpec, source: str) -> tuple[tuple[str, float], ...]:
    by_source = OFFENCES[spec.name]
    return by_source.get(source, by_source["*"])


def suspects(
    spec: CrimeSpec,
    source: str,
    address: np.ndarray,
    people: People,
    setting: Setting,
    rng: np.random.Generator,
) -> np.ndarray:
    """Suspect person per event, -1 where no suspect was identified."""
    n = address.size
    out = np.full(n, -1)
    known = rng.uniform(size=n) < spec.suspect
    k = int(known.sum())
    if k == 0:
        return out
    who = people.anyone(k, rng, suspect=True)
    if spec.acquisitive:
        prolific = rng.uniform(size=k) < PROLIFIC_SHARE
        who = np.where(prolific, draw_prolific(people, k, rng), who)
    else:
        street = rng.uniform(size=k) < STREET_SHARE.get(source, 0.15)
        who = np.where(street, draw_street(people, k, rng), who)
    if source == "home" and spec.name == "Anti-social behaviour":
        who = people.residents_of(setting.neighbour[address[known]], rng)
    out[known] = who
    return out


def victims(
    spec: CrimeSpec,
    source: str,
    address: np.ndarray,
    people: People,
    rng: np.random.Generator,
) -> np.ndarray:
    """Victim (or complainant) per event, -1 where there is no personal victim."""
    n = address.size
    out = np.full(n, -1)
    has = rng.uniform(size=n) < spec.victim
    k = int(has.sum())
    if k == 0:
        return out
    if source == "home":
        out[has] = people.residents_of(address[has], rng)
        return out
    who = people.anyone(k, rng)
    if source in STREET_SHARE:
        street = rng.uniform(size=k) < 0.45
        who = np.where(street, draw_street(people, k, rng), who)
    out[has] = who
    return out


def not_self(
    victim: np.ndarray, offender: np.ndarray, people: People, rng: np.random.Generator
) -> np.ndarray:
    """Victims, with anyone drawn as their own suspect replaced by another resident."""
    same = (victim >= 0) & (victim == offender)
    victim = victim.copy()
    victim[same] = people.anyone(int(same.sum()), rng)
    return victim
