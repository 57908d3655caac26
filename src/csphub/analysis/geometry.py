"""Geometry inputs: shapely objects from whatever the store or a caller holds.

Kept apart from the hotspot code so that drawing a map does not import scipy or esda.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely


def as_geometries(geometries: Sequence[object]) -> np.ndarray:
    """Shapely geometries from shapely objects, WKB (bytes or hex) or WKT strings."""
    out = np.empty(len(geometries), dtype=object)
    for i, g in enumerate(geometries):
        if isinstance(g, shapely.Geometry) or g is None:
            out[i] = g
        elif isinstance(g, bytes | bytearray | memoryview):
            out[i] = shapely.from_wkb(bytes(g))
        elif isinstance(g, str):
            text = g.strip()
            is_hex = all(c in "0123456789abcdefABCDEF" for c in text)
            out[i] = shapely.from_wkb(text) if is_hex else shapely.from_wkt(text)
        else:
            raise TypeError(f"geometry {i}: expected shapely, WKB or WKT, got {type(g).__name__}")
    return out
