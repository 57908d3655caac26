"""Pseudonymous residents and the small groups that drive repeat victimisation and offending.

Every person has one id (``P-000123``) whatever role they play, so an analyst can find
the people who are both victims and offenders. Three groups matter most:

- prolific offenders, a few dozen people behind a large share of shoplifting and burglary;
- domestic-abuse households, where the same victim suffers the same perpetrator again;
- a "street" population of young adults who are both the victims and the suspects of
  night-time violence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csphub.demo.places import RESIDENTIAL, Addresses


@dataclass(frozen=True, eq=False)
class People:
    home: np.ndarray  # address index per person
    first: np.ndarray  # per address: index of its first resident (-1 where none)
    count: np.ndarray  # per address: number of residents
    weight: np.ndarray  # per person: relative chance of being drawn as a suspect
    ids: np.ndarray  # "P-000123" per person
    prolific: np.ndarray  # person indices of prolific offenders
    prolific_weight: np.ndarray
    street: np.ndarray  # person indices of the night-time street population
    street_weight: np.ndarray
    da_address: np.ndarray  # domestic-abuse households: address, victim, perpetrator
    da_victim: np.ndarray
    da_perpetrator: np.ndarray
    da_weight: np.ndarray

    def residents_of(self, address: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One resident of each address; -1 for an address nobody lives at."""
        pick = np.floor(rng.uniform(size=len(address)) * self.count[address]).astype(int)
        return self.first[address] + pick

    def anyone(self, n: int, rng: np.random.Generator, suspect: bool = False) -> np.ndarray:
        """``n`` residents at random; suspects lean to the more deprived neighbourhoods."""
        if not suspect:
            return rng.integers(0, len(self.home), n)
        return rng.choice(len(self.home), size=n, p=self.weight)


def _draw(pool: np.ndarray, weight: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    return pool[rng.choice(len(pool), size=n, p=weight)]


def draw_prolific(people: People, n: int, rng: np.random.Generator) -> np.ndarray:
    return _draw(people.prolific, people.prolific_weight, n, rng)


def draw_street(people: People, n: int, rng: np.random.Generator) -> np.ndarray:
    return _draw(people.street, people.street_weight, n, rng)


def build_people(addr: Addresses, dep_score: np.ndarray, rng: np.random.Generator) -> People:
    """Residents of every home, then the prolific, street and domestic-abuse groups."""
    homes = np.flatnonzero(addr.kind == RESIDENTIAL)
    count = np.zeros(len(addr), dtype=int)
    count[homes] = 1 + rng.binomial(3, 0.42, homes.size)
    first = np.where(count > 0, np.concatenate([[0], np.cumsum(count)[:-1]]), -1)
    home = np.repeat(np.arange(len(addr)), count)
    n = home.size
    dep = dep_score[addr.lsoa[home]]
    weight = np.exp(0.9 * dep)
    weight /= weight.sum()
    ids = np.char.add("P-", np.char.zfill((rng.permutation(n) + 1).astype(str), 6))

    prolific = rng.choice(n, size=35, replace=False, p=weight)
    prolific_w = 1.0 / np.arange(1, prolific.size + 1) ** 0.8
    street = np.unique(np.concatenate([rng.choice(n, size=2_500, p=weight), prolific]))
    street_w = rng.gamma(0.5, 2.0, street.size)

    da_address = rng.choice(
        homes, size=900, replace=False, p=_norm(_da_risk(addr, homes, dep_score))
    )
    da_victim = first[da_address]
    partner_at_home = count[da_address] >= 2
    da_perp = np.where(partner_at_home, first[da_address] + 1, rng.choice(n, size=da_address.size))
    da_perp = np.where(da_perp == da_victim, (da_perp + 1) % n, da_perp)  # never oneself
    da_w = rng.gamma(0.8, 1.0, da_address.size)
    return People(
        home=home,
        first=first,
        count=count,
        weight=weight,
        ids=ids,
        prolific=prolific,
        prolific_weight=_norm(prolific_w),
        street=street,
        street_weight=_norm(street_w),
        da_address=da_address,
        da_victim=da_victim,
        da_perpetrator=da_perp,
        da_weight=_norm(da_w),
    )


def _da_risk(addr: Addresses, homes: np.ndarray, dep_score: np.ndarray) -> np.ndarray:
    """Domestic abuse is recorded more in social housing and the deprived parts of town."""
    social = np.where(addr.social[homes], 2.0, 1.0)
    return social * np.exp(0.6 * dep_score[addr.lsoa[homes]])


def _norm(w: np.ndarray) -> np.ndarray:
    return w / w.sum()
