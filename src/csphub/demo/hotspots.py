"""Where the persistent hotspots are: the night-time economy, shopping centres and estates.

They are fixed once per seed and drive deprivation, premises and crime alike, so the same
places stay hot in every year of the simulation, as they do in real towns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csphub.demo.geography import Geography


@dataclass(frozen=True, eq=False)
class Hotspots:
    """Hotspot centres in BNG metres."""

    nte: np.ndarray  # (2,) night-time economy centre: bars and clubs
    retail: np.ndarray  # (r, 2) shopping centres; row 0 is the town centre
    retail_shops: np.ndarray  # (r,) number of shops at each centre
    retail_spread: np.ndarray  # (r,) spread of the shops around the centre, metres
    estates: np.ndarray  # (e, 2) deprived housing estates

    def proximity(self, xy: np.ndarray, kind: str, scale: float) -> np.ndarray:
        """Gaussian closeness (1 at a centre) of points ``xy`` to the nearest ``kind`` centre."""
        centres = {"nte": self.nte[None, :], "retail": self.retail, "estates": self.estates}[kind]
        d2 = ((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).min(axis=1)
        return np.exp(-d2 / (2 * scale**2))


def _pick_apart(
    cands: np.ndarray, k: int, min_gap: float, avoid: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """``k`` candidate points at least ``min_gap`` apart and from ``avoid``.

    The gap is relaxed (halved, then dropped) when the candidates cannot satisfy it.
    """
    order = rng.permutation(len(cands))
    for gap in (min_gap, min_gap / 2, 0.0):
        chosen: list[np.ndarray] = []
        for i in order:
            taken = np.vstack([avoid, *chosen]) if chosen else avoid
            if np.sqrt(((taken - cands[i]) ** 2).sum(axis=1)).min() >= gap:
                chosen.append(cands[i])
            if len(chosen) == k:
                return np.array(chosen)
    return np.array(chosen).reshape(-1, 2)


def place_hotspots(geo: Geography, rng: np.random.Generator) -> Hotspots:
    """Choose the NTE, retail centres and estates from the LSOA centroids."""
    cbd = np.asarray(geo.cbd)
    cents = geo.centroids
    dist = np.sqrt(((cents - cbd) ** 2).sum(axis=1))
    nte = cbd + np.array([60.0, 180.0])
    town_retail = cbd + np.array([180.0, -120.0])
    districts = _pick_apart(cents[(dist > 1_500) & (dist < 3_500)], 3, 1_400.0, cbd[None], rng)
    retail_park = cents[np.argmax(cents[:, 0] + 0.3 * np.abs(cents[:, 1] - cbd[1]))]
    retail = np.vstack([town_retail, districts, retail_park])
    shops = np.array([150] + [40] * len(districts) + [8])
    spread = np.array([140.0] + [70.0] * len(districts) + [40.0])
    estates = _pick_apart(cents[dist > 2_000], 3, 1_500.0, retail[1:], rng)
    return Hotspots(nte, retail, shops, spread, estates)
