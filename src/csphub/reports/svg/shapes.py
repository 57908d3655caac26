"""Point shapes (so series and markers differ by shape, not only colour) and fill patterns."""

from __future__ import annotations

from csphub.reports.svg.document import el
from csphub.reports.svg.fmt import num
from csphub.reports.svg.palette import SECONDARY_TEXT, WHITE

SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down")


# vertices of the polygonal shapes, in units of r, around the centre
_OUTLINES = {
    "triangle": ((0, -1.25), (1.25, 1), (-1.25, 1)),
    "triangle-down": ((0, 1.25), (1.25, -1), (-1.25, -1)),
    "diamond": ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)),
}


def point(shape: str, x: float, y: float, r: float, fill: str, stroke: str = WHITE) -> str:
    """A point of ``shape`` centred on ``(x, y)``, about ``2 r`` across."""
    style = {"fill": fill, "stroke": stroke, "stroke-width": 1}
    if shape == "circle":
        return el("circle", {"cx": x, "cy": y, "r": r, **style})
    if shape == "square":
        s = r * 0.9
        return el("rect", {"x": x - s, "y": y - s, "width": 2 * s, "height": 2 * s, **style})
    if shape in _OUTLINES:
        pts = [f"{num(x + dx * r)} {num(y + dy * r)}" for dx, dy in _OUTLINES[shape]]
        return el("path", {"d": f"M{pts[0]}L{' '.join(pts[1:])}Z", **style})
    raise ValueError(f"unknown shape {shape!r}; one of {SHAPES}")


def hatch_pattern(pid: str, ink: str = SECONDARY_TEXT) -> str:
    """Diagonal hatching on a transparent tile, to lay over a solid fill.

    The tile has no background: renderers (poppler, pdf.js) leave hairline seams between
    pattern tiles, which show on a coloured tile but not over the solid fill beneath.
    No ``patternTransform`` either (WeasyPrint-safe).
    """
    lines = "M0 8L8 0M-2 2L2 -2M6 10L10 6"
    return el(
        "pattern",
        {"id": pid, "patternUnits": "userSpaceOnUse", "width": 8, "height": 8},
        el("path", {"d": lines, "stroke": ink, "stroke-width": 1.5}),
    )


def dot_pattern(pid: str, ink: str = WHITE) -> str:
    """Dots on a transparent tile, to lay over a solid fill: a cue besides colour."""
    return el(
        "pattern",
        {"id": pid, "patternUnits": "userSpaceOnUse", "width": 6, "height": 6},
        el("circle", {"cx": 3, "cy": 3, "r": 1.3, "fill": ink}),
    )
