"""Line chart of monthly counts: named series, an expected band, and point markers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from csphub.reports.svg.document import Svg, el, finish, group, resolve_id, text
from csphub.reports.svg.fmt import auto_decimals, format_number, is_missing, num, plain
from csphub.reports.svg.legend import SAMPLE_W, Item, row_legend
from csphub.reports.svg.palette import BAND, DARK_BLUE, GRID, RED, SERIES_STYLES, TEXT
from csphub.reports.svg.scale import Linear, nice_ticks
from csphub.reports.svg.shapes import point
from csphub.reports.svg.textsize import text_width

PAD = 8
LABEL_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120)  # whole quarters and years of months
MARKER_STYLES = (("triangle", RED), ("triangle-down", DARK_BLUE), ("diamond", TEXT))


def _check(
    series: Mapping[str, Sequence[object]],
    x_labels: Sequence[str],
    band: tuple[Sequence[object], Sequence[object]] | None,
    markers: Mapping[str, Sequence[int]],
) -> int:
    n = len(x_labels)
    if n == 0 or not series:
        raise ValueError("a line chart needs at least one series and one month")
    if len(series) > len(SERIES_STYLES):
        raise ValueError(f"at most {len(SERIES_STYLES)} series (each has its own line style)")
    if len(markers) > len(MARKER_STYLES):
        raise ValueError(f"at most {len(MARKER_STYLES)} kinds of marker")
    lengths = {name: len(v) for name, v in series.items()}
    if band is not None:
        lengths |= {"band low": len(band[0]), "band high": len(band[1])}
    wrong = {k: v for k, v in lengths.items() if v != n}
    if wrong:
        raise ValueError(f"{n} x labels but lengths {wrong}")
    for label, idx in markers.items():
        bad = [i for i in idx if not 0 <= int(i) < n]
        if bad:
            raise ValueError(f"marker {label!r}: indices out of range {bad}")
    return n


def _runs(xs: Sequence[float], ys: Sequence[object]) -> list[list[tuple[float, float]]]:
    """Consecutive non-missing points, split at gaps."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if is_missing(y):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, float(y)))  # type: ignore[arg-type]
    return [r for r in runs if r]


def _polyline(points: Sequence[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{num(x, 1)} {num(y, 1)}" for x, y in points)


def _table(
    series: Mapping[str, Sequence[object]],
    x_labels: Sequence[str],
    x_name: str,
    band: tuple[Sequence[object], Sequence[object]] | None,
    band_label: str,
    markers: Mapping[str, Sequence[int]],
) -> list[dict[str, object]]:
    marked: dict[int, list[str]] = {}
    for label, idx in markers.items():
        for i in idx:
            marked.setdefault(int(i), []).append(label)
    rows = []
    for i, x in enumerate(x_labels):
        row: dict[str, object] = {x_name: x}
        row |= {name: plain(values[i]) for name, values in series.items()}
        if band is not None:
            row[f"{band_label}: low"] = plain(band[0][i])
            row[f"{band_label}: high"] = plain(band[1][i])
        if markers:
            row["Marker"] = "; ".join(marked.get(i, [])) or None
        rows.append(row)
    return rows


def _legend_items(
    series: Mapping[str, Sequence[object]],
    band: object,
    band_label: str,
    markers: Mapping[str, Sequence[int]],
) -> list[Item]:
    items = []
    for (colour, dash, shape), name in zip(SERIES_STYLES, series, strict=False):

        def line_sample(x, y, colour=colour, dash=dash, shape=shape):
            line = el(
                "path",
                {
                    "d": f"M{num(x)} {num(y)}H{num(x + SAMPLE_W)}",
                    "stroke": colour,
                    "stroke-width": 2.5,
                    "stroke-dasharray": dash,
                },
            )
            return line + point(shape, x + SAMPLE_W / 2, y, 3.5, colour)

        items.append(Item(name, line_sample))
    if band is not None:

        def band_sample(x, y):
            return el("rect", {"x": x, "y": y - 7, "width": SAMPLE_W, "height": 14, "fill": BAND})

        items.append(Item(band_label, band_sample))
    for (shape, colour), label in zip(MARKER_STYLES, markers, strict=False):

        def marker_sample(x, y, shape=shape, colour=colour):
            return point(shape, x + SAMPLE_W / 2, y, 6, colour)

        items.append(Item(label, marker_sample))
    return items


def line_chart(
    series: Mapping[str, Sequence[object]],
    *,
    title: str,
    description: str,
    y_label: str,
    x_labels: Sequence[str],
    band: tuple[Sequence[object], Sequence[object]] | None = None,
    band_label: str = "Expected range",
    markers: Mapping[str, Sequence[int]] | None = None,
    x_name: str = "Month",
    decimals: int | None = None,
    width: float = 640,
    height: float = 320,
    id: str | None = None,
) -> Svg:
    """Monthly values as lines, with an optional expected band and marked months.

    Parameters
    ----------
    series : mapping of name to values
        One to four series, each as long as ``x_labels``; None or NaN leaves a gap. Each
        series has its own colour, dash pattern and point shape; a legend names them.
    title, description : str
        The accessible name and description (``<title>``, ``<desc>``).
    y_label : str
        What the values are, written above the y axis (e.g. "Crimes per month").
    x_labels : sequence of str
        One label per month, e.g. "Nov 2021"; thinned to fit, always keeping the latest.
    band : (low, high), optional
        The expected range per month (e.g. the 95% range of a seasonal baseline), drawn
        as a shaded area behind the lines and named ``band_label`` in the legend.
    markers : mapping of label to month indices, optional
        Months to mark on the first series, e.g. ``{"Above expected range": [3, 7]}``.
        The first label is drawn as an upward triangle, the second as a downward
        triangle, the third as a diamond; each in its own colour and named in the legend.
    x_name : str
        The heading of the month column in the table.
    decimals : int, optional
        Decimals on the y axis; by default 0 for whole numbers, else 1.
    width, height : float
        The nominal size in px.
    id : str, optional
        Prefix for the ids in the markup; by default a slug of the title.

    Returns
    -------
    Svg
        ``table`` has one row per month: ``x_name``, each series, the band's low and
        high (when given) and "Marker" (the marker labels of that month, when given).

    Examples
    --------
    >>> chart = line_chart({"Burglary": [12, 9, 15]}, title="Burglary by month",
    ...     description="Burglaries rose in January.", y_label="Crimes",
    ...     x_labels=["Nov 2021", "Dec 2021", "Jan 2022"], markers={"Above expected": [2]})
    >>> chart.id, chart.table[2]
    ('burglary-by-month', {'Month': 'Jan 2022', 'Burglary': 15, 'Marker': 'Above expected'})
    """
    markers = dict(markers or {})
    n = _check(series, x_labels, band, markers)
    sid = resolve_id(id, title)
    values = [v for vs in series.values() for v in vs]
    if band is not None:
        values += list(band[0]) + list(band[1])
    finite = [float(v) for v in values if not is_missing(v)]  # type: ignore[arg-type]
    whole = auto_decimals(finite) == 0
    ticks = nice_ticks(min([0.0, *finite]), max([0.0, *finite]), integer=whole)
    dec = auto_decimals(ticks) if decimals is None else decimals
    tick_text = [format_number(t, dec) for t in ticks]

    items = _legend_items(series, band, band_label, markers)
    legend, legend_h = row_legend(items if len(items) > 1 else [], PAD, PAD, width - 2 * PAD)
    top = PAD + legend_h + (8 if legend_h else 0) + 34
    left = PAD + max(text_width(t, 14) for t in tick_text) + 8
    last_label = text_width(x_labels[-1], 14)
    right = width - PAD - max(4.0, last_label / 2 - (width - 2 * PAD - left) / n / 2)
    bottom = height - 30
    if bottom - top < 60:
        raise ValueError(f"height {height} leaves no room to plot")
    slot = (right - left) / n
    xs = [left + (i + 0.5) * slot for i in range(n)]
    ys = Linear(ticks[0], ticks[-1], bottom, top)

    parts = [legend, text(PAD, top - 20, y_label)]
    grid = []
    for t, label in zip(ticks, tick_text, strict=True):
        y = ys(t)
        colour = TEXT if t == 0 else GRID
        grid.append(el("path", {"d": f"M{num(left)} {num(y)}H{num(right)}", "stroke": colour}))
        grid.append(text(left - 8, y + 5, label, anchor="end"))
    parts.append(group("y-axis", *grid))
    parts.append(_x_axis(xs, x_labels, slot, bottom))

    if band is not None:
        parts.append(_band(xs, band, ys))
    for k, ((colour, dash, shape), vals) in enumerate(
        zip(SERIES_STYLES, series.values(), strict=False)
    ):
        runs = _runs(xs, [v if is_missing(v) else ys(float(v)) for v in vals])  # type: ignore[arg-type]
        r = max(1.5, min(3.5, slot / 4))
        line = el(
            "path",
            {
                "d": "".join(_polyline(run) for run in runs),
                "fill": "none",
                "stroke": colour,
                "stroke-width": 2.5,
                "stroke-dasharray": dash,
                "stroke-linejoin": "round",
            },
        )
        pts = [point(shape, x, y, r, colour) for run in runs for x, y in run]
        parts.append(group("series", line, group("points", *pts), id=f"{sid}-series-{k + 1}"))
        if k == 0 and markers:
            parts.append(_markers(sid, markers, xs, vals, ys))
    table = _table(series, x_labels, x_name, band, band_label, markers)
    return finish(sid, title, description, width, height, parts, table)


def _x_axis(xs: Sequence[float], labels: Sequence[str], slot: float, bottom: float) -> str:
    widest = max(text_width(s, 14) for s in labels)
    need = math.ceil((widest + 10) / slot)
    step = next((s for s in LABEL_STEPS if s >= need), need)
    n = len(xs)
    ticks = "".join(f"M{num(x, 1)} {num(bottom)}v5" for x in xs)
    parts = [el("path", {"d": ticks, "stroke": TEXT})]
    for i in range(n - 1, -1, -step):
        parts.append(text(xs[i], bottom + 22, labels[i], anchor="middle"))
    return group("x-axis", *parts)


def _band(xs: Sequence[float], band: tuple[Sequence[object], Sequence[object]], ys: Linear) -> str:
    low, high = band
    both = [
        None if is_missing(a) or is_missing(b) else (a, b) for a, b in zip(low, high, strict=True)
    ]
    runs: list[list[int]] = [[]]
    for i, pair in enumerate(both):
        if pair is None:
            runs.append([])
        else:
            runs[-1].append(i)
    d = []
    for run in (r for r in runs if r):
        upper = [(xs[i], ys(float(high[i]))) for i in run]  # type: ignore[arg-type]
        lower = [(xs[i], ys(float(low[i]))) for i in reversed(run)]  # type: ignore[arg-type]
        if len(run) == 1:  # a single month: a short bar across its slot
            (x, yu), (_, yl) = upper[0], lower[0]
            upper, lower = [(x - 4, yu), (x + 4, yu)], [(x + 4, yl), (x - 4, yl)]
        d.append(_polyline(upper + lower) + "Z")
    return group("band", el("path", {"d": "".join(d), "fill": BAND}))


def _markers(
    sid: str,
    markers: Mapping[str, Sequence[int]],
    xs: Sequence[float],
    vals: Sequence[object],
    ys: Linear,
) -> str:
    parts = []
    for k, ((shape, colour), idx) in enumerate(zip(MARKER_STYLES, markers.values(), strict=False)):
        pts = [
            point(shape, xs[int(i)], ys(float(vals[int(i)])), 6, colour)  # type: ignore[arg-type]
            for i in sorted(set(idx))
            if not is_missing(vals[int(i)])
        ]
        parts.append(group("markers", *pts, id=f"{sid}-markers-{k + 1}"))
    return "".join(parts)
