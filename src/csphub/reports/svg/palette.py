"""Colours: GOV.UK text and line colours, colour-blind safe palettes, WCAG contrast.

Sequential palettes are ColorBrewer's single-hue ramps (Brewer and Harrower; rated safe for
colour-blind readers and for photocopying): lightness alone orders the classes, so they
read in grey scale too. Series colours are GOV.UK blue, then Okabe and Ito's vermillion and
bluish green, and near-black; each also has its own dash pattern and point shape.
"""

from __future__ import annotations

from collections.abc import Sequence

TEXT = "#0b0c0c"  # GOV.UK text
SECONDARY_TEXT = "#505a5f"  # GOV.UK secondary text; boundaries and axis lines
GRID = "#b1b4b6"  # GOV.UK mid-grey: gridlines
WHITE = "#ffffff"
LIGHT_GREY = "#f3f2f1"  # GOV.UK light grey
BLUE = "#1d70b8"  # GOV.UK blue
DARK_BLUE = "#003078"  # GOV.UK dark blue
RED = "#d4351c"  # GOV.UK red
BAND = "#d2e2f1"  # a light tint of GOV.UK blue: the expected range behind a line

SEQUENTIAL: dict[str, dict[int, tuple[str, ...]]] = {
    "blues": {
        1: ("#6baed6",),
        2: ("#bdd7e7", "#3182bd"),
        3: ("#deebf7", "#9ecae1", "#3182bd"),
        4: ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"),
        5: ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
        6: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
        7: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"),
    },
    "purples": {
        1: ("#9e9ac8",),
        2: ("#cbc9e2", "#756bb1"),
        3: ("#efedf5", "#bcbddc", "#756bb1"),
        4: ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3"),
        5: ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
        6: ("#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"),
        7: ("#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"),
    },
}

# (colour, dash pattern or None, point shape) for the 1st, 2nd, ... series of a line chart
SERIES_STYLES: tuple[tuple[str, str | None, str], ...] = (
    (BLUE, None, "circle"),
    ("#d55e00", "7 4", "square"),
    (TEXT, "2 3", "triangle"),
    ("#007a5a", "9 3 2 3", "diamond"),
)


def sequential(name_or_colours: str | Sequence[str], classes: int) -> tuple[str, ...]:
    """``classes`` colours from light to dark: a named ramp or the caller's own list.

    Examples
    --------
    >>> sequential("blues", 3)
    ('#deebf7', '#9ecae1', '#3182bd')
    """
    if isinstance(name_or_colours, str):
        ramps = SEQUENTIAL.get(name_or_colours)
        if ramps is None:
            raise ValueError(f"unknown palette {name_or_colours!r}; one of {sorted(SEQUENTIAL)}")
        if classes not in ramps:
            raise ValueError(f"palette {name_or_colours!r} has 1 to {max(ramps)} classes")
        return ramps[classes]
    colours = tuple(name_or_colours)
    if len(colours) < classes:
        raise ValueError(f"{classes} classes need {classes} colours, got {len(colours)}")
    for c in colours:
        _rgb(c)
    return colours[:classes]


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    if len(c) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in c):
        raise ValueError(f"colour must be #rrggbb: {colour!r}")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21).

    Examples
    --------
    >>> round(contrast(TEXT, WHITE), 1), round(contrast(BLUE, WHITE), 1)
    (19.6, 5.2)
    """
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """Near-black or white, whichever contrasts more with ``fill``."""
    return TEXT if contrast(TEXT, fill) >= contrast(WHITE, fill) else WHITE
