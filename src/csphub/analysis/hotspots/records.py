"""Helpers shared by the result classes: read-only arrays and JSON-safe values."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike


def frozen_array(values: ArrayLike, dtype: object = None) -> np.ndarray:
    """A read-only copy of ``values``, so a frozen result cannot be changed in place."""
    arr = np.array(values, dtype=dtype, copy=True)
    arr.setflags(write=False)
    return arr


def jsonable(value: object) -> object:
    """``value`` as plain Python for JSON/CSV: numpy scalars unwrapped, NaN/inf as None.

    Examples
    --------
    >>> jsonable(np.float64("nan")) is None, jsonable(np.int64(3)), jsonable((1.5, np.nan))
    (True, 3, [1.5, None])
    """
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, np.datetime64):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [jsonable(v) for v in value]
    return value


def columns_to_records(columns: Mapping[str, np.ndarray]) -> list[dict[str, object]]:
    """Column arrays of equal length to a list of JSON-safe row dicts."""
    names = list(columns)
    lists = [jsonable(np.asarray(columns[n])) for n in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*lists, strict=True)]
