"""Area maps: a choropleth of values in classes, and a Gi* hotspot map, on one renderer.

Both are "categorical maps": each unit is in one class (or has no data) and some units may
be outlined. The choropleth makes its classes from values (:func:`.classify.classify`);
the hotspot map takes the classes from a Gi* result ("hot", "cold", "none").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
import shapely

from csphub.analysis.projection import WGS84
from csphub.reports.svg.classify import Scheme, classify
from csphub.reports.svg.document import Svg, el, finish, group, resolve_id
from csphub.reports.svg.fmt import auto_decimals, format_number, is_missing, plain
from csphub.reports.svg.geometry import Frame, aspect, outline, path_d, simplify, to_bng
from csphub.reports.svg.mapframe import Entry, highlight_paths, legend, north_arrow, scale_bar
from csphub.reports.svg.palette import BLUE, LIGHT_GREY, RED, SECONDARY_TEXT, WHITE, sequential
from csphub.reports.svg.shapes import dot_pattern, hatch_pattern

PAD = 8
LEGEND_W = 250
SIDE_MAX_H = 560  # a tall area: map beside the legend, at most this high
BELOW_MAX_H = 440  # a wide area: map above the legend
NO_DATA = "No data"


@dataclass(frozen=True)
class MapClass:
    """How one class is drawn: a fill colour, and optionally white dots over it."""

    label: str
    fill: str
    dots: bool = False


@dataclass(frozen=True)
class MapData:
    """Everything the renderer needs, already checked and aligned on units."""

    geoms: np.ndarray  # BNG polygons
    unit_class: Sequence[int | None]
    classes: Sequence[MapClass]
    outlined: Sequence[bool] | None  # None: no highlight legend entry
    tips: Sequence[str]  # a tooltip per unit


def _check_units(
    geometries: Sequence[object],
    codes: Sequence[str],
    columns: Mapping[str, Sequence[object] | None],
) -> None:
    n = len(codes)
    if n == 0:
        raise ValueError("a map needs at least one unit")
    if len(set(codes)) != n:
        raise ValueError("codes must be unique")
    lengths = {"geometries": len(geometries)} | {
        k: len(v) for k, v in columns.items() if v is not None
    }
    wrong = {k: v for k, v in lengths.items() if v != n}
    if wrong:
        raise ValueError(f"{n} codes but lengths {wrong}")


def _outlined(codes: Sequence[str], highlight_codes: Collection[str] | None) -> list[bool] | None:
    if highlight_codes is None:
        return None
    unknown = set(highlight_codes) - set(codes)
    if unknown:
        raise ValueError(f"highlight_codes not among the codes: {sorted(unknown)[:10]}")
    marked = set(highlight_codes)
    return [c in marked for c in codes]


def choropleth(
    geometries: Sequence[object],
    values: Sequence[object],
    codes: Sequence[str],
    *,
    title: str,
    description: str,
    legend_title: str,
    classes: int | None = None,
    scheme: Scheme = "quantile",
    breaks: Sequence[float] | None = None,
    palette: str | Sequence[str] = "blues",
    highlight_codes: Collection[str] | None = None,
    highlight_label: str = "Hotspot",
    labels: Sequence[str] | None = None,
    unit_names: tuple[str, str] = ("area", "areas"),
    decimals: int | None = None,
    crs: str = WGS84,
    width: float = 640,
    tolerance_px: float = 1.0,
    id: str | None = None,
) -> Svg:
    """A map of areas shaded by class of value, with legend, scale bar and north arrow.

    Parameters
    ----------
    geometries : sequence
        One polygon or multipolygon per unit: shapely, WKB (bytes or hex) or WKT, in ``crs``
        (longitude/latitude by default); drawn in British National Grid.
    values : sequence of numbers or None
        One per unit; None or NaN is "no data", hatched and counted in the legend.
    codes : sequence of str
        Unique unit codes (e.g. LSOA codes), aligned with ``geometries``.
    title, description : str
        The accessible name and description.
    legend_title : str
        What the values are (e.g. "Harm per 1,000 residents"); also the table's heading.
    classes, scheme, breaks, decimals :
        How values are put into classes; see :func:`.classify.classify`.
    palette : str or sequence of colours
        "blues" (default) or "purples" (ColorBrewer, light to dark), or your own colours.
    highlight_codes : collection of str, optional
        Units to outline (e.g. Gi* hotspots): one black line with a white halo around
        each group of touching units, named ``highlight_label`` in the legend.
    labels : sequence of str, optional
        Unit names for the table and tooltips (e.g. "Blackpool 010A").
    unit_names : (singular, plural)
        What a unit is called; the plural heads the legend's counts.
    crs : str
        The coordinate system of ``geometries`` ("EPSG:4326" or "EPSG:27700").
    width : float
        Nominal width in px; the height follows from the area's shape.
    tolerance_px : float
        Simplify polygons by this many pixels at the drawing scale (0 keeps every vertex).
    id : str, optional
        Prefix for the ids in the markup; by default a slug of the title.

    Returns
    -------
    Svg
        One ``<path>`` per unit inside ``<g class="units">``; ``table`` has one row per unit
        in input order: "Code", "Name" (with ``labels``), ``legend_title`` (the value),
        "Class" (its legend label, or "No data") and, with ``highlight_codes``,
        ``highlight_label`` (True or False).
    """
    _check_units(geometries, codes, {"values": values, "labels": labels})
    outlined = _outlined(codes, highlight_codes)
    c = classify(values, scheme=scheme, classes=classes, breaks=breaks, decimals=decimals)
    colours = sequential(palette, c.k) if c.k else ()
    map_classes = [MapClass(lab, col) for lab, col in zip(c.labels, colours, strict=True)]
    dec = decimals if decimals is not None else auto_decimals(values)
    names = labels or [None] * len(codes)
    rows, tips = [], []
    for i, code in enumerate(codes):
        cls = NO_DATA if c.index[i] is None else c.labels[c.index[i]]  # type: ignore[index]
        row: dict[str, object] = {"Code": code}
        if labels is not None:
            row["Name"] = labels[i]
        row |= {legend_title: plain(values[i]), "Class": cls}
        if outlined is not None:
            row[highlight_label] = outlined[i]
        rows.append(row)
        tips.append(_tip(code, names[i], format_number(values[i], dec), cls))
    data = MapData(to_bng(geometries, crs), c.index, map_classes, outlined, tips)
    sid = resolve_id(id, title)
    return _render(sid, title, description, data, rows, legend_title, highlight_label,
                   unit_names, width, tolerance_px)  # fmt: skip


HOTSPOT_CLASSES = ("hot", "none", "cold")
HOTSPOT_LABELS = {"hot": "Hot spot", "none": "Not significant", "cold": "Cold spot"}


def hotspot_map(
    geometries: Sequence[object],
    hotspot: Sequence[object],
    codes: Sequence[str],
    *,
    title: str,
    description: str,
    legend_title: str = "Getis-Ord Gi* result",
    values: Sequence[object] | None = None,
    value_label: str = "Value",
    labels: Sequence[str] | None = None,
    class_labels: Mapping[str, str] | None = None,
    unit_names: tuple[str, str] = ("area", "areas"),
    crs: str = WGS84,
    width: float = 640,
    tolerance_px: float = 1.0,
    id: str | None = None,
) -> Svg:
    """A Gi* hotspot map: hot spots red and outlined, cold spots blue with dots, others grey.

    Each class has a cue besides colour: hot spots are outlined (black over a white halo),
    cold spots carry white dots, no-data units are hatched.

    Parameters
    ----------
    hotspot : sequence of "hot", "cold", "none" or None
        Per unit, as in ``GiStarResult.hotspot``; None (or NaN) is "no data".
    values : sequence of numbers, optional
        The counts or rates tested, for the table and tooltips, headed ``value_label``.
    class_labels : mapping, optional
        Legend wording for "hot", "cold" and "none" (default "Hot spot", "Cold spot",
        "Not significant").

    The other parameters are as for :func:`choropleth`.

    Returns
    -------
    Svg
        ``table`` has one row per unit: "Code", "Name" (with ``labels``), ``value_label``
        (with ``values``) and ``legend_title`` (the class's legend label, or "No data").
    """
    _check_units(geometries, codes, {"hotspot": hotspot, "values": values, "labels": labels})
    wording = HOTSPOT_LABELS | dict(class_labels or {})
    bad = {h for h in hotspot if not is_missing(h) and h not in HOTSPOT_CLASSES}
    if bad:
        raise ValueError(
            f"hotspot values must be hot, cold or none (or None): {sorted(map(str, bad))}"
        )
    index = [None if is_missing(h) else HOTSPOT_CLASSES.index(h) for h in hotspot]  # type: ignore[arg-type]
    map_classes = [
        MapClass(wording["hot"], RED),
        MapClass(wording["none"], LIGHT_GREY),
        MapClass(wording["cold"], BLUE, dots=True),
    ]
    dec = auto_decimals(values) if values is not None else 0
    rows, tips = [], []
    for i, code in enumerate(codes):
        cls = NO_DATA if index[i] is None else map_classes[index[i]].label  # type: ignore[index]
        row: dict[str, object] = {"Code": code}
        if labels is not None:
            row["Name"] = labels[i]
        if values is not None:
            row[value_label] = plain(values[i])
        row[legend_title] = cls
        rows.append(row)
        shown = format_number(values[i], dec) if values is not None else None
        tips.append(_tip(code, labels[i] if labels else None, shown, cls))
    outlined = [i == 0 for i in index]
    data = MapData(to_bng(geometries, crs), index, map_classes, outlined, tips)
    sid = resolve_id(id, title)
    return _render(sid, title, description, data, rows, legend_title, wording["hot"],
                   unit_names, width, tolerance_px, outline_in_legend=False)  # fmt: skip


def _tip(code: str, name: str | None, value: str | None, cls: str) -> str:
    who = f"{name} ({code})" if name else code
    return f"{who}: {value} ({cls})" if value is not None else f"{who}: {cls}"


def _layout(geoms: np.ndarray, width: float) -> tuple[Frame, float, float]:
    """The map frame and the legend's top-left corner: beside a tall area, below a wide one."""
    bounds = shapely.total_bounds(geoms)
    if aspect(geoms) < 1.1:
        frame = Frame.fit(bounds, PAD, PAD, width - LEGEND_W - 4 * PAD, SIDE_MAX_H)
        return frame, min(frame.x0 + frame.width + 4 * PAD, width - PAD - LEGEND_W), PAD
    frame = Frame.fit(bounds, PAD, PAD, width - 2 * PAD, BELOW_MAX_H)
    frame = Frame.fit(bounds, (width - frame.width) / 2, PAD, frame.width, frame.height)
    return frame, PAD, PAD + frame.height + 2 * PAD


def _render(
    sid: str,
    title: str,
    description: str,
    data: MapData,
    rows: list[dict[str, object]],
    legend_title: str,
    highlight_label: str,
    unit_names: tuple[str, str],
    width: float,
    tolerance_px: float,
    *,
    outline_in_legend: bool = True,
) -> Svg:
    frame, lx, ly = _layout(data.geoms, width)
    geoms = simplify(data.geoms, frame, tolerance_px)
    nodata = f"url(#{sid}-nodata)"
    patterns = [
        f"url(#{sid}-class-{k + 1})" if mc.dots else None for k, mc in enumerate(data.classes)
    ]
    defs = [hatch_pattern(f"{sid}-nodata")]
    defs += [dot_pattern(f"{sid}-class-{k + 1}") for k, mc in enumerate(data.classes) if mc.dots]
    units, overlays = [], []
    for g, k, tip in zip(geoms, data.unit_class, data.tips, strict=True):
        d = path_d(g, frame)
        fill = WHITE if k is None else data.classes[k].fill
        units.append(el("path", {"d": d, "fill": fill}, el("title", {}, escape(tip))))
        pattern = nodata if k is None else patterns[k]
        if pattern:
            overlays.append(el("path", {"d": d, "fill": pattern}))
    parts = [
        el("defs", {}, *defs),
        group("units", *units, stroke=SECONDARY_TEXT, stroke_width=0.5,
              stroke_linejoin="round", fill_rule="evenodd"),
        group("patterns", *overlays, fill_rule="evenodd") if overlays else "",
    ]  # fmt: skip
    counts = [sum(1 for k in data.unit_class if k == j) for j in range(len(data.classes))]
    entries = [
        Entry(mc.label, n, mc.fill, p)
        for mc, n, p in zip(data.classes, counts, patterns, strict=True)
    ]
    n_missing = sum(1 for k in data.unit_class if k is None)
    if n_missing:
        entries.append(Entry(NO_DATA, n_missing, WHITE, nodata))
    if data.outlined is not None:
        hot = [g for g, o in zip(geoms, data.outlined, strict=True) if o]
        parts.append(group("highlight", highlight_paths(outline(np.asarray(hot), frame)),
                           fill="none", stroke_linejoin="round"))  # fmt: skip
        if outline_in_legend:
            entries.append(Entry(f"{highlight_label} (outlined)", sum(data.outlined), outline=True))
        else:  # the outlined class's own swatch shows the outline too
            e = entries[0]
            entries[0] = Entry(f"{e.label} (outlined)", e.count, e.fill, e.pattern, outline=True)
    legend_markup, legend_h = legend(legend_title, entries, unit_names, lx, ly, LEGEND_W)
    if lx > frame.x0 + frame.width:  # legend beside the map: scale bar and arrow under it
        bx, by = lx, ly + legend_h + 18
    else:  # legend under the map: scale bar and arrow beside it
        bx, by = lx + LEGEND_W + 6 * PAD, ly + 4
    bar, _ = scale_bar(frame.scale, bx + 6, by + 20, LEGEND_W - 70)
    parts += [legend_markup, bar, north_arrow(bx + LEGEND_W - 12, by)]
    height = max(frame.y0 + frame.height, ly + legend_h + PAD, by + 48) + PAD
    return finish(sid, title, description, width, height, parts, rows)
