"""Choropleth and hotspot maps: one path per unit, legend counts, table, real Blackpool."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from csphub.reports.svg import choropleth, hotspot_map

NS = "{http://www.w3.org/2000/svg}"


def _grid(cols: int, rows: int, size: float = 500.0) -> tuple[list[Polygon], list[str]]:
    """Squares in British National Grid metres near Blackpool, row by row from the south."""
    geoms = [
        box(330000 + c * size, 430000 + r * size, 330000 + (c + 1) * size, 430000 + (r + 1) * size)
        for r in range(rows)
        for c in range(cols)
    ]
    return geoms, [f"U{r}{c}" for r in range(rows) for c in range(cols)]


def _group(markup: str, cls: str) -> ET.Element:
    [g] = [g for g in ET.fromstring(markup).iter(f"{NS}g") if g.get("class") == cls]
    return g


def _legend_rows(markup: str) -> list[tuple[str, str]]:
    """(label, count) per legend row: texts after the title lines come in pairs."""
    texts = [t for t in _group(markup, "legend").iter(f"{NS}text")]
    rows = [t for t in texts if t.get("font-weight") != "bold"][1:]  # drop the count heading
    return [(a.text, b.text) for a, b in zip(rows[::2], rows[1::2], strict=True)]


VALUES = [1, 2, 3, 4, 5, 6, 7, 8, None, 10, 11, 12]


def _map(**kw):
    geoms, codes = _grid(4, 3)
    args = {
        "title": "Harm per 1,000 residents",
        "description": "Harm rises from south-west to north-east.",
        "legend_title": "Harm per 1,000 residents",
        "classes": 4,
        "crs": "EPSG:27700",
        "unit_names": ("LSOA", "LSOAs"),
    }
    return choropleth(geoms, VALUES, codes, **(args | kw))


def test_one_path_per_unit_with_its_class_fill():
    m = _map()
    paths = _group(m.markup, "units").findall(f"{NS}path")
    assert len(paths) == 12
    fills = [p.get("fill") for p in paths]
    assert fills[8] == "#ffffff"  # no data: white, hatched over
    assert fills[0] == "#eff3ff" and fills[-1] == "#2171b5"  # light to dark blue
    overlay = _group(m.markup, "patterns").findall(f"{NS}path")
    assert [p.get("d") for p in overlay] == [paths[8].get("d")]


def test_legend_lists_class_ranges_and_counts_and_no_data():
    m = _map()
    assert _legend_rows(m.markup) == [
        ("1.0 to 3.5", "3"),
        ("over 3.5 to 6.0", "3"),
        ("over 6.0 to 9.0", "2"),  # 75th percentile of 1-8, 10-12: 9
        ("over 9.0 to 12.0", "3"),
        ("No data", "1"),
    ]
    heading = [t.text for t in _group(m.markup, "legend").iter(f"{NS}text")]
    assert heading[:2] == ["Harm per 1,000 residents", "LSOAs"]


def test_table_alternative_lists_code_name_value_and_class():
    names = [f"Area {i}" for i in range(12)]
    m = _map(labels=names, highlight_codes=["U22", "U23"], highlight_label="Hotspot")
    _, codes = _grid(4, 3)
    assert [r["Code"] for r in m.table] == codes
    assert [r["Name"] for r in m.table] == names
    assert [r["Harm per 1,000 residents"] for r in m.table] == VALUES
    assert m.table[0]["Class"] == "1.0 to 3.5" and m.table[8]["Class"] == "No data"
    assert [r["Hotspot"] for r in m.table] == [False] * 10 + [True] * 2
    assert list(m.table[0]) == ["Code", "Name", "Harm per 1,000 residents", "Class", "Hotspot"]


def test_highlight_outlines_touching_units_as_one_shape_and_is_in_the_legend():
    m = _map(highlight_codes=["U22", "U23", "U00"], highlight_label="Gi* hotspot")
    paths = _group(m.markup, "highlight").findall(f"{NS}path")
    assert [p.get("stroke") for p in paths] == ["#ffffff", "#0b0c0c"]  # halo, then line
    assert paths[1].get("d").count("M") == 2  # two separate groups of units
    assert ("Gi* hotspot (outlined)", "3") in _legend_rows(m.markup)


def test_fixed_breaks_and_a_purple_palette():
    m = _map(scheme="fixed", breaks=[4, 8], classes=None, palette="purples")
    assert [label for label, _ in _legend_rows(m.markup)][:3] == [
        "4 or less",
        "over 4 to 8",
        "over 8",
    ]
    assert [r["Class"] for r in m.table][7:10] == ["over 4 to 8", "No data", "over 8"]


def test_scale_bar_and_north_arrow():
    m = _map()
    bar = [t.text for t in _group(m.markup, "scale-bar").iter(f"{NS}text")]
    assert bar[0] == "0" and bar[-1].endswith(" km")
    assert [t.text for t in _group(m.markup, "north-arrow").iter(f"{NS}text")] == ["N"]


def test_lonlat_input_is_projected_to_true_shape():
    """A 1 km BNG square given in longitude/latitude comes back square (not stretched)."""
    from csphub.analysis.projection import project_geometries

    geoms, codes = _grid(1, 1, size=1000)
    lonlat = project_geometries(geoms, source="EPSG:27700", target="EPSG:4326")
    m = choropleth(
        [shapely.to_wkb(g) for g in lonlat],
        [5],
        codes,
        title="t",
        description="d",
        legend_title="v",
    )
    d = _group(m.markup, "units").find(f"{NS}path").get("d")
    xy = np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]).reshape(-1, 2)
    w, h = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
    assert abs(w / h - 1) < 0.01


def test_holes_and_multipolygons_are_subpaths_filled_even_odd():
    ring = Polygon(
        [(0, 0), (3000, 0), (3000, 3000), (0, 3000)], [[(1000, 1000), (2000, 1000), (2000, 2000)]]
    )
    islands = MultiPolygon([box(4000, 0, 5000, 1000), box(4000, 2000, 5000, 3000)])
    m = choropleth(
        [ring, islands], [1, 2], ["A", "B"], title="t", description="d", legend_title="v",
        crs="EPSG:27700", classes=2,
    )  # fmt: skip
    units = _group(m.markup, "units")
    assert units.get("fill-rule") == "evenodd"
    assert [p.get("d").count("M") for p in units.findall(f"{NS}path")] == [2, 2]


def test_hotspot_map_classes_cues_and_table():
    geoms, codes = _grid(3, 2)
    hs = ["hot", "hot", "none", "cold", None, "none"]
    m = hotspot_map(
        geoms, hs, codes, title="Violence hotspots", description="Two hot spots in the south.",
        values=[30, 28, 9, 1, None, 8], value_label="Crimes", crs="EPSG:27700",
    )  # fmt: skip
    fills = [p.get("fill") for p in _group(m.markup, "units").findall(f"{NS}path")]
    assert fills == ["#d4351c", "#d4351c", "#f3f2f1", "#1d70b8", "#ffffff", "#f3f2f1"]
    assert len(_group(m.markup, "patterns")) == 2  # dots on the cold spot, hatch on no data
    assert _group(m.markup, "highlight").findall(f"{NS}path")[1].get("d").count("M") == 1
    assert _legend_rows(m.markup) == [
        ("Hot spot (outlined)", "2"),
        ("Not significant", "2"),
        ("Cold spot", "1"),
        ("No data", "1"),
    ]
    assert m.table[0] == {"Code": "U00", "Crimes": 30, "Getis-Ord Gi* result": "Hot spot"}
    assert m.table[4]["Getis-Ord Gi* result"] == "No data"
    with pytest.raises(ValueError, match="hot, cold or none"):
        hotspot_map(geoms, ["warm"] * 6, codes, title="t", description="d", crs="EPSG:27700")


def test_bad_inputs_are_refused():
    geoms, codes = _grid(2, 1)
    with pytest.raises(ValueError, match="lengths"):
        choropleth(geoms, [1], codes, title="t", description="d", legend_title="v")
    with pytest.raises(ValueError, match="unique"):
        choropleth(geoms, [1, 2], ["A", "A"], title="t", description="d", legend_title="v")
    with pytest.raises(ValueError, match="not among"):
        choropleth(
            geoms, [1, 2], codes, title="t", description="d", legend_title="v",
            highlight_codes=["X"], crs="EPSG:27700",
        )  # fmt: skip
    with pytest.raises(ValueError, match="polygons"):
        choropleth([shapely.Point(0, 0)], [1], ["A"], title="t", description="d", legend_title="v")


@pytest.mark.shared
def test_blackpool_lsoas_render_small_and_complete(shared_data):
    path = shared_data / "boundaries" / "lsoa11_by_lad" / "E06000009.geojson"
    features = json.loads(path.read_text())["features"]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    codes = [f["properties"]["LSOA11CD"] for f in features]
    names = [f["properties"]["LSOA11NM"] for f in features]
    values = [float(i % 17) * 1.5 for i in range(len(codes))]
    m = choropleth(
        [shapely.to_wkb(g) for g in geoms], values, codes, title="Blackpool harm",
        description="d", legend_title="Harm per 1,000 residents", labels=names,
        highlight_codes=codes[:5], unit_names=("LSOA", "LSOAs"),
    )  # fmt: skip
    assert len(codes) == 94
    assert len(_group(m.markup, "units").findall(f"{NS}path")) == 94
    size = len(m.markup.encode())
    assert size < 150_000, size
    assert sum(int(n) for _, n in _legend_rows(m.markup)[:5]) == 94
    assert [r["Code"] for r in m.table] == codes
    root = ET.fromstring(m.markup)
    assert float(root.get("width")) == 640 and float(root.get("height")) < 700
    again = choropleth(
        [shapely.to_wkb(g) for g in geoms], values, codes, title="Blackpool harm",
        description="d", legend_title="Harm per 1,000 residents", labels=names,
        highlight_codes=codes[:5], unit_names=("LSOA", "LSOAs"),
    )  # fmt: skip
    assert again.markup == m.markup
