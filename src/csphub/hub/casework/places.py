"""Places against the evidence store: the LSOA and ward of a place when it is recorded, and
the police.uk records near it for its page.

A thin shell over :mod:`csphub.analysis.store_inputs.places`, reading the store at
``settings.CSPHUB_STORE`` read-only (:mod:`csphub.hub.evidence_store`). Neither function
raises: recording a place must not fail because the store is missing or busy, and a page
shows one plain line instead of the records. What went wrong in detail goes to the log.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from csphub.analysis.store_inputs.periods import InputError
from csphub.analysis.store_inputs.places import Located, MissingData, Nearby, records_near
from csphub.analysis.store_inputs.places import locate as locate_points
from csphub.hub.evidence_store import StoreUnavailable, catalog_stamp, reading, store_root

__all__ = ["Located", "NearbyResult", "locate", "nearby"]

log = logging.getLogger(__name__)

#: What a place page shows: records within this many metres over this many months.
RADIUS_M = 250
MONTHS = 12
POINTS = 10

_NOT_SHOWN = "No police.uk records shown: "
_NO_STREET = "no police.uk street data has been loaded into the evidence store."
_NO_POSITION = "this place has no map position (longitude and latitude)."
_OFF_GRID = "this place's map position is outside Great Britain."


class HasPosition(Protocol):
    longitude: float | None
    latitude: float | None


@dataclass(frozen=True)
class NearbyResult:
    """The records near a place, or ``unavailable``: one line saying why there are none."""

    nearby: Nearby | None
    unavailable: str = ""


def locate(longitude: float, latitude: float) -> Located | None:
    """The LSOA and ward holding the point, or None (outside every LSOA, or the store is
    missing, busy or has no boundaries: the place is then recorded without them)."""
    try:
        with reading(store_root()) as store:
            [found] = locate_points(store, [(float(longitude), float(latitude))])
        return found
    except (StoreUnavailable, InputError) as exc:
        log.warning("place not located in the evidence store: %s", exc)
    except Exception:  # a look-up must never stop a place being recorded
        log.exception("place not located: the evidence store could not be read")
    return None


_cache: OrderedDict[tuple, NearbyResult] = OrderedDict()
_lock = threading.Lock()
_CACHE_SIZE = 512


def nearby(place: HasPosition) -> NearbyResult:
    """Police.uk records within :data:`RADIUS_M` metres of the place over the last
    :data:`MONTHS` months, cached per place position and store state."""
    lon, lat = place.longitude, place.latitude
    if lon is None or lat is None:
        return NearbyResult(None, _NOT_SHOWN + _NO_POSITION)
    root = store_root()
    stamp = catalog_stamp(root)
    key = (stamp, float(lon), float(lat))
    with _lock:
        if stamp is not None and key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = _nearby(root, float(lon), float(lat))
    if result.nearby is not None:
        with _lock:
            _cache[key] = result
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return result


def _nearby(root: Path, lon: float, lat: float) -> NearbyResult:
    try:
        with reading(root) as store:
            found = records_near(
                store, lon, lat, radius_m=RADIUS_M, months=MONTHS, max_points=POINTS
            )
        return NearbyResult(found)
    except StoreUnavailable as exc:
        log.warning("records near a place not shown: %s", exc)
        return NearbyResult(None, f"{_NOT_SHOWN}{exc.plain}.")
    except MissingData as exc:
        log.warning("records near a place not shown: %s", exc)
        return NearbyResult(None, _NOT_SHOWN + _NO_STREET)
    except InputError as exc:  # the only other one: a point off the British National Grid
        log.warning("records near a place not shown: %s", exc)
        return NearbyResult(None, _NOT_SHOWN + _OFF_GRID)
    except Exception:  # a panel must never break the place page
        log.exception("records near a place not shown: the evidence store could not be read")
        return NearbyResult(None, f"{_NOT_SHOWN}{StoreUnavailable('unreadable').plain}.")
