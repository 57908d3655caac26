"""A row legend for charts: samples and labels laid out left to right, wrapping."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from csphub.reports.svg.document import group, text
from csphub.reports.svg.textsize import text_width

SAMPLE_W = 28
ROW_H = 22

Sample = Callable[[float, float], str]  # draws a sample centred vertically on (x, y_mid)


@dataclass(frozen=True)
class Item:
    label: str
    sample: Sample


def row_legend(items: Sequence[Item], x0: float, y0: float, width: float) -> tuple[str, float]:
    """Items left to right from ``(x0, y0)``, wrapping at ``width``; markup and height."""
    if not items:
        return "", 0.0
    parts: list[str] = []
    x, row = x0, 0
    for item in items:
        w = SAMPLE_W + 6 + text_width(item.label, 14) + 18
        if x > x0 and x + w > x0 + width:
            x, row = x0, row + 1
        mid = y0 + row * ROW_H + ROW_H / 2
        parts.append(item.sample(x, mid))
        parts.append(text(x + SAMPLE_W + 6, mid + 5, item.label))
        x += w
    return group("legend", *parts), (row + 1) * ROW_H
