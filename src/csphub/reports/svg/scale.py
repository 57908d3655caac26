"""Axis ticks at round numbers, and a linear map from data to pixels."""

from __future__ import annotations

import math
from dataclasses import dataclass


def nice_step(span: float, target: int, *, integer: bool = False) -> float:
    """The step of 1, 2 or 5 times a power of ten giving closest to ``target`` intervals.

    With ``integer`` the step is at least 1 (counts have no half crimes).

    Examples
    --------
    >>> nice_step(87, 5), nice_step(0.9, 4), nice_step(12_000, 5), nice_step(3, 5, integer=True)
    (20, 0.2, 2000, 1)
    """
    if span <= 0:
        return 1
    power = 10 ** math.floor(math.log10(span / max(target, 1)))
    steps = [m * power for m in (1, 2, 5, 10)]
    if integer:
        steps = [max(1, round(s)) for s in steps]
    best = min(steps, key=lambda s: (abs(span / s - target), -s))
    return int(best) if float(best).is_integer() else float(f"{best:.12g}")


def nice_ticks(lo: float, hi: float, target: int = 5, *, integer: bool = False) -> list[float]:
    """Ticks at multiples of a nice step covering ``lo`` to ``hi``.

    Examples
    --------
    >>> nice_ticks(0, 87)
    [0, 20, 40, 60, 80, 100]
    >>> nice_ticks(0, 3, integer=True), nice_ticks(0, 0)
    ([0, 1, 2, 3], [0, 1])
    """
    if hi <= lo:
        return [_tidy(lo), _tidy(lo + 1)]
    step = nice_step(hi - lo, target, integer=integer)
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    return [_tidy(k * step) for k in range(first, last + 1)]


def _tidy(value: float) -> float:
    return int(value) if float(value).is_integer() else float(f"{value:.12g}")


@dataclass(frozen=True)
class Linear:
    """Maps the data interval ``[d0, d1]`` onto the pixel interval ``[p0, p1]``."""

    d0: float
    d1: float
    p0: float
    p1: float

    def __call__(self, value: float) -> float:
        if self.d1 == self.d0:
            return (self.p0 + self.p1) / 2
        return self.p0 + (value - self.d0) * (self.p1 - self.p0) / (self.d1 - self.d0)
