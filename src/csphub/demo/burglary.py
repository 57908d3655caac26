"""Residential burglary as a self-exciting (Hawkes) process on the address set.

Each burglary raises the risk nearby for a short while: it triggers on average ``KAPPA``
further burglaries, a fifth of them at the same address (repeat victimisation) and the
rest at homes within about 200 m, mostly within two weeks (near repeats). This is the
pattern the near-repeat (Knox) test is meant to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from csphub.demo.timing import sample_times, time_of_day

KAPPA = 0.4  # expected offspring per burglary (branching ratio)
SAME_ADDRESS = 0.2  # share of offspring at the very same address
SPREAD_M = 90.0  # standard deviation of the offspring's offset, metres
DELAY_DAYS = 5.0  # mean delay to an offspring, days


@dataclass(frozen=True, eq=False)
class Burglaries:
    t: np.ndarray  # datetime64[m]
    address: np.ndarray
    parent: np.ndarray  # index of the triggering burglary, -1 for background ones
    generation: np.ndarray


def simulate_burglaries(
    background: np.ndarray,
    homes: np.ndarray,
    home_weight: np.ndarray,
    xy: np.ndarray,
    end: np.datetime64,
    rng: np.random.Generator,
) -> Burglaries:
    """Background burglaries (month starts, one per event) plus all their offspring.

    ``homes`` are address indices, ``home_weight`` their relative background risk and ``xy``
    the coordinates of every address; offspring later than ``end`` are dropped.
    """
    times = sample_times(background, "burglary", rng)
    addrs = homes[rng.choice(homes.size, size=background.size, p=home_weight / home_weight.sum())]
    t, a = [times], [addrs]
    parent, gen = [np.full(times.size, -1)], [np.zeros(times.size, dtype=int)]
    tree = cKDTree(xy[homes])
    offset, g = 0, 0
    while times.size:
        kids = rng.poisson(KAPPA, times.size)
        src = np.repeat(np.arange(times.size), kids)
        delay = 1 + np.floor(rng.exponential(DELAY_DAYS, src.size)).astype(int)
        child_t = time_of_day(times[src].astype("datetime64[D]") + delay, "burglary", rng)
        near = xy[addrs[src]] + rng.normal(0, SPREAD_M, (src.size, 2))
        child_a = homes[tree.query(near)[1]] if src.size else src
        same = rng.uniform(size=src.size) < SAME_ADDRESS
        child_a = np.where(same, addrs[src], child_a)
        keep = child_t < end
        g += 1
        parent.append((src + offset)[keep])
        gen.append(np.full(keep.sum(), g))
        offset += times.size
        times, addrs = child_t[keep], child_a[keep]
        t.append(times)
        a.append(addrs)
    return Burglaries(
        np.concatenate(t), np.concatenate(a), np.concatenate(parent), np.concatenate(gen)
    )
