"""Bar chart of ranked categories (crime types, wards) with the value written on each bar."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from csphub.reports.svg.document import Svg, el, finish, group, resolve_id, text
from csphub.reports.svg.fmt import auto_decimals, format_number, is_missing, num, plain
from csphub.reports.svg.palette import BLUE, DARK_BLUE, TEXT
from csphub.reports.svg.scale import Linear
from csphub.reports.svg.shapes import hatch_pattern
from csphub.reports.svg.textsize import text_width, wrap

PAD = 8
BAR = 20  # bar thickness, px
LINE_H = 17  # category label line height, px
HIGHLIGHT_INK = "#8eb8dc"  # light stripes on the dark highlighted bars


def _items(items: Mapping[str, object] | Sequence[tuple[str, object]]) -> list[tuple[str, object]]:
    pairs = list(items.items()) if isinstance(items, Mapping) else [tuple(p) for p in items]
    if not pairs:
        raise ValueError("a bar chart needs at least one item")
    for label, value in pairs:
        if not is_missing(value) and float(value) < 0:  # type: ignore[arg-type]
            raise ValueError(f"bars start at zero; {label!r} is negative ({value})")
    return pairs  # type: ignore[return-value]


def bar_chart(
    items: Mapping[str, object] | Sequence[tuple[str, object]],
    *,
    title: str,
    description: str,
    value_label: str,
    category_label: str = "Category",
    horizontal: bool = True,
    highlight: Collection[str] | None = None,
    highlight_label: str = "Highlighted",
    decimals: int | None = None,
    width: float = 640,
    height: float = 320,
    id: str | None = None,
) -> Svg:
    """Bars in the order given (pass them ranked), each labelled with its value.

    Parameters
    ----------
    items : mapping of category to value, or sequence of (category, value)
        Non-negative values; None or NaN draws no bar and writes "no data".
    title, description : str
        The accessible name and description.
    value_label : str
        What the values are (e.g. "Crimes, Nov 2021 to Oct 2022"), written above the bars
        and used as the value column's heading in the table.
    category_label : str
        The category column's heading in the table (e.g. "Crime type", "Ward").
    horizontal : bool
        Horizontal bars (the default; long names read best) or vertical columns.
    highlight : collection of str, optional
        Categories drawn dark and hatched, with bold labels, and named ``highlight_label``
        in a legend.
    decimals : int, optional
        Decimals of the value labels; by default 0 for whole numbers, else 1.
    width, height : float
        Nominal size in px. A horizontal chart's height follows from its rows instead.
    id : str, optional
        Prefix for the ids in the markup; by default a slug of the title.

    Returns
    -------
    Svg
        ``table`` has one row per item: ``category_label``, ``value_label`` and, with
        ``highlight``, ``highlight_label`` (True or False).

    Examples
    --------
    >>> chart = bar_chart({"Violence": 5210, "ASB": 4032}, title="Crimes by type",
    ...     description="Violence is the largest.", value_label="Crimes",
    ...     category_label="Crime type")
    >>> chart.table[0]
    {'Crime type': 'Violence', 'Crimes': 5210}
    """
    pairs = _items(items)
    sid = resolve_id(id, title)
    marked = set(highlight or ())
    unknown = marked - {label for label, _ in pairs}
    if unknown:
        raise ValueError(f"highlight names categories not in the chart: {sorted(unknown)}")
    dec = auto_decimals(v for _, v in pairs) if decimals is None else decimals
    labels = [format_number(v, dec) for _, v in pairs]
    top = PAD + 20 + 12
    parts = [text(PAD, PAD + 16, value_label, bold=True)]
    if marked:
        parts.insert(0, el("defs", {}, hatch_pattern(f"{sid}-highlight", HIGHLIGHT_INK)))
        needed = text_width(value_label, 14, bold=True) + text_width(highlight_label, 14) + 60
        legend_y = PAD if needed <= width - 2 * PAD else PAD + 24
        top += legend_y - PAD
        parts.append(_legend(sid, width - PAD, legend_y, highlight_label))
    draw = _horizontal if horizontal else _vertical
    body, height = draw(sid, pairs, labels, marked, width, height, top)
    parts.append(body)
    table = []
    for label, value in pairs:
        row: dict[str, object] = {category_label: label, value_label: plain(value)}
        if highlight is not None:
            row[highlight_label] = label in marked
        table.append(row)
    return finish(sid, title, description, width, height, parts, table)


def _legend(sid: str, right: float, y: float, label: str) -> str:
    w = text_width(label, 14)
    return group(
        "legend", _bar(sid, right - w - 34, y + 3, 26, 16, True), text(right - w, y + 16, label)
    )


def _bar(sid: str, x: float, y: float, w: float, h: float, marked: bool) -> str:
    box = {"x": x, "y": y, "width": max(w, 0.0), "height": max(h, 0.0)}
    if not marked:
        return el("rect", {**box, "fill": BLUE})
    return el("rect", {**box, "fill": DARK_BLUE}) + el(
        "rect", {**box, "fill": f"url(#{sid}-highlight)"}
    )


def _horizontal(
    sid: str,
    pairs: list[tuple[str, object]],
    labels: list[str],
    marked: set[str],
    width: float,
    height: float,
    top: float,
) -> tuple[str, float]:
    del height  # rows set the height
    widest = max(text_width(c, 14, bold=c in marked) for c, _ in pairs)
    label_w = min(widest, width * 0.4)
    wrapped = [wrap(c, label_w, 14, bold=c in marked) for c, _ in pairs]
    used = max(
        text_width(line, 14, bold=c in marked)
        for (c, _), lines in zip(pairs, wrapped, strict=True)
        for line in lines
    )
    x0 = PAD + used + 10
    value_w = max(text_width(s, 14) for s in labels) + 8
    finite = [float(v) for _, v in pairs if not is_missing(v)]  # type: ignore[arg-type]
    xs = Linear(0, max(finite, default=0) or 1, x0, width - PAD - value_w)
    rows, y = [], top
    for (cat, value), lines, label in zip(pairs, wrapped, labels, strict=True):
        row_h = max(BAR + 10, len(lines) * LINE_H + 8)
        mid = y + row_h / 2
        first = mid - (len(lines) - 1) * LINE_H / 2 + 5
        for k, line in enumerate(lines):
            rows.append(text(x0 - 10, first + k * LINE_H, line, anchor="end", bold=cat in marked))
        end = x0 if is_missing(value) else xs(float(value))  # type: ignore[arg-type]
        if not is_missing(value):
            rows.append(_bar(sid, x0, mid - BAR / 2, end - x0, BAR, cat in marked))
        rows.append(text(end + 6, mid + 5, label))
        y += row_h
    axis = el("path", {"d": f"M{num(x0)} {num(top - 4)}V{num(y + 4)}", "stroke": TEXT})
    return group("bars", *rows, axis), y + PAD


def _vertical(
    sid: str,
    pairs: list[tuple[str, object]],
    labels: list[str],
    marked: set[str],
    width: float,
    height: float,
    top: float,
) -> tuple[str, float]:
    slot = (width - 2 * PAD) / len(pairs)
    wrapped = [wrap(c, slot - 6, 14, bold=c in marked) for c, _ in pairs]
    label_h = max(len(w) for w in wrapped) * LINE_H + 8
    base = height - PAD - label_h
    finite = [float(v) for _, v in pairs if not is_missing(v)]  # type: ignore[arg-type]
    ys = Linear(0, max(finite, default=0) or 1, base, top + 22)
    bar_w = min(slot * 0.7, 60)
    cols = []
    for i, ((cat, value), lines, label) in enumerate(zip(pairs, wrapped, labels, strict=True)):
        mid = PAD + (i + 0.5) * slot
        end = base if is_missing(value) else ys(float(value))  # type: ignore[arg-type]
        if not is_missing(value):
            cols.append(_bar(sid, mid - bar_w / 2, end, bar_w, base - end, cat in marked))
        cols.append(text(mid, end - 6, label, anchor="middle"))
        for k, line in enumerate(lines):
            cols.append(
                text(mid, base + 20 + k * LINE_H, line, anchor="middle", bold=cat in marked)
            )
    axis = el("path", {"d": f"M{PAD} {num(base)}H{num(width - PAD)}", "stroke": TEXT})
    return group("bars", *cols, axis), height
