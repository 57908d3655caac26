"""The furniture around a map: legend with counts per class, scale bar and north arrow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from csphub.reports.svg.document import SMALL_SIZE, el, group, text
from csphub.reports.svg.fmt import format_number, num
from csphub.reports.svg.palette import SECONDARY_TEXT, TEXT, WHITE
from csphub.reports.svg.textsize import text_width, wrap

SWATCH_W, SWATCH_H = 26, 16
ROW_H = 24
HALO, INK = 5.0, 2.25  # highlight outline: a white halo under a near-black line


@dataclass(frozen=True)
class Entry:
    """One legend row: a swatch (fill, or an outline sample) and its label and count."""

    label: str
    count: int
    fill: str = WHITE
    pattern: str | None = None  # a url(#...) laid over the fill
    outline: bool = False


def highlight_paths(d: str) -> str:
    """A highlight outline: white halo, then the line, so it shows on light and dark fills."""
    if not d:
        return ""
    halo = el("path", {"d": d, "stroke": WHITE, "stroke-width": HALO})
    return halo + el("path", {"d": d, "stroke": TEXT, "stroke-width": INK})


def legend(
    title: str,
    entries: Sequence[Entry],
    unit_names: tuple[str, str],
    x: float,
    y: float,
    width: float,
) -> tuple[str, float]:
    """Title (wrapped), then a swatch, label and count per row; markup and height."""
    count_head = unit_names[1][:1].upper() + unit_names[1][1:]
    head_w = text_width(count_head, SMALL_SIZE)
    lines = wrap(title, width - head_w - 12, 14, bold=True)
    parts = [text(x, y + 16 + i * 18, line, bold=True) for i, line in enumerate(lines)]
    base = y + 16 + (len(lines) - 1) * 18
    parts.append(
        text(x + width, base, count_head, size=SMALL_SIZE, anchor="end", fill=SECONDARY_TEXT)
    )
    row_y = base + 10
    for e in entries:
        sy = row_y + (ROW_H - SWATCH_H) / 2
        box = {"x": x + 2, "y": sy, "width": SWATCH_W - 4, "height": SWATCH_H}
        parts.append(
            el("rect", {**box, "fill": e.fill, "stroke": SECONDARY_TEXT, "stroke-width": 0.75})
        )
        if e.pattern:
            parts.append(el("rect", {**box, "fill": e.pattern}))
        if e.outline:
            rect = f"M{num(x + 2)} {num(sy)}h{SWATCH_W - 4}v{SWATCH_H}h{4 - SWATCH_W}Z"
            parts.append(group("swatch", highlight_paths(rect), fill="none"))
        parts.append(text(x + SWATCH_W + 8, row_y + ROW_H / 2 + 5, e.label))
        parts.append(text(x + width, row_y + ROW_H / 2 + 5, format_number(e.count), anchor="end"))
        row_y += ROW_H
    return group("legend", *parts), row_y - y


SCALE_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)


def scale_length(px_per_metre: float, max_px: float) -> float:
    """The longest round length in km whose bar fits in ``max_px``.

    Examples
    --------
    >>> scale_length(0.05, 160)   # 50 px per km
    2
    """
    fits = [km for km in SCALE_KM if km * 1000 * px_per_metre <= max_px]
    return fits[-1] if fits else SCALE_KM[0]


def scale_bar(px_per_metre: float, x: float, y: float, max_px: float) -> tuple[str, float]:
    """A two-part bar (white, then black) with "0", the half and the full length in km."""
    km = scale_length(px_per_metre, max_px)
    length = km * 1000 * px_per_metre
    half = length / 2
    parts = [
        el("rect", {"x": x, "y": y, "width": half, "height": 6, "fill": WHITE, "stroke": TEXT}),
        el(
            "rect",
            {"x": x + half, "y": y, "width": half, "height": 6, "fill": TEXT, "stroke": TEXT},
        ),
        text(x, y + 22, "0", size=SMALL_SIZE, anchor="middle"),
        text(x + half, y + 22, _km(km / 2), size=SMALL_SIZE, anchor="middle"),
        text(x + length, y + 22, f"{_km(km)} km", size=SMALL_SIZE, anchor="middle"),
    ]
    return group("scale-bar", *parts), length


def _km(value: float) -> str:
    return f"{value:g}"


def north_arrow(x: float, y: float) -> str:
    """An arrow pointing up (grid north) with an N above it; ``(x, y)`` is the top centre."""
    d = f"M{num(x)} {num(y + 20)}l-8 20l8-6l8 6Z"
    return group(
        "north-arrow",
        text(x, y + 14, "N", bold=True, anchor="middle"),
        el("path", {"d": d, "fill": TEXT}),
    )
