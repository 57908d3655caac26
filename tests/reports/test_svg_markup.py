"""Every drawing is plain, accessible, deterministic SVG 1.1 that WeasyPrint can draw."""

from __future__ import annotations

import doctest
import importlib
import re
import xml.etree.ElementTree as ET

import pytest
from shapely.geometry import box

from csphub.reports.svg import (
    Svg,
    bar_chart,
    choropleth,
    format_number,
    hotspot_map,
    line_chart,
    slug,
)
from csphub.reports.svg.palette import (
    SEQUENTIAL,
    SERIES_STYLES,
    TEXT,
    WHITE,
    contrast,
    luminance,
    text_on,
)

NS = "{http://www.w3.org/2000/svg}"
MONTHS = ["Nov 2021", "Dec 2021", "Jan 2022", "Feb 2022", "Mar 2022", "Apr 2022"]


def _squares() -> tuple[list, list[str]]:
    """Six 1 km squares in British National Grid, two rows of three."""
    geoms = [
        box(330000 + c * 1000, 430000 + r * 1000, 331000 + c * 1000, 431000 + r * 1000)
        for r in range(2)
        for c in range(3)
    ]
    return geoms, [f"E0100000{i}" for i in range(6)]


def _examples() -> dict[str, Svg]:
    geoms, codes = _squares()
    return {
        "line": line_chart(
            {"Burglary": [12, 9, 15, 11, 14, 30]},
            title="Burglary by month",
            description="Burglary rose sharply in April.",
            y_label="Crimes",
            x_labels=MONTHS,
            band=([8, 8, 9, 9, 10, 10], [16, 16, 17, 17, 18, 18]),
            markers={"Above expected range": [5]},
        ),
        "bar": bar_chart(
            {"Violence and sexual offences": 5210, "Anti-social behaviour": 4032},
            title="Crimes by type",
            description="Violence is the largest.",
            value_label="Crimes",
            highlight=["Anti-social behaviour"],
        ),
        "map": choropleth(
            geoms,
            [1, 2, 3, None, 5, 6],
            codes,
            title="Harm per 1,000",
            description="Harm is highest in the east.",
            legend_title="Harm per 1,000 residents",
            classes=3,
            crs="EPSG:27700",
            highlight_codes=["E01000005"],
        ),
        "hotspot": hotspot_map(
            geoms,
            ["hot", "none", "cold", None, "none", "hot"],
            codes,
            title="Violence hotspots",
            description="Two hot spots.",
            crs="EPSG:27700",
        ),
    }


EXAMPLES = _examples()


@pytest.fixture(params=sorted(EXAMPLES))
def drawing(request) -> Svg:
    return EXAMPLES[request.param]


def test_markup_is_svg_with_accessible_name_and_description(drawing):
    root = ET.fromstring(drawing.markup)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    sid = drawing.id
    assert root.get("aria-labelledby") == f"{sid}-title {sid}-desc"
    first, second = list(root)[:2]
    assert (first.tag, first.get("id"), first.text) == (f"{NS}title", f"{sid}-title", drawing.title)
    assert (second.tag, second.get("id"), second.text) == (
        f"{NS}desc",
        f"{sid}-desc",
        drawing.description,
    )


def test_explicit_size_and_viewbox_and_font_list(drawing):
    root = ET.fromstring(drawing.markup)
    w, h = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert w == 640 and h > 100
    assert root.get("font-family") == "'GDS Transport', arial, sans-serif"
    assert root.get("version") == "1.1"


def test_only_plain_svg_that_weasyprint_draws(drawing):
    m = drawing.markup
    for banned in ("foreignObject", "<script", "<style", "var(--", "http://www.w3.org/1999/xlink"):
        assert banned not in m
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", m)  # nothing to fetch
    assert "dominant-baseline" not in m and "patternTransform" not in m


def test_text_is_at_least_12px(drawing):
    root = ET.fromstring(drawing.markup)
    sizes = [float(root.get("font-size"))]
    sizes += [float(t.get("font-size")) for t in root.iter(f"{NS}text") if t.get("font-size")]
    assert min(sizes) >= 12
    assert any(True for _ in root.iter(f"{NS}text"))


def test_ids_are_unique_and_prefixed(drawing):
    ids = [e.get("id") for e in ET.fromstring(drawing.markup).iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i == drawing.id or i.startswith(f"{drawing.id}-") for i in ids)
    refs = re.findall(r"url\(#([^)]+)\)", drawing.markup)
    assert set(refs) <= set(ids)


def test_same_input_gives_identical_bytes():
    again = _examples()
    for name, first in EXAMPLES.items():
        assert again[name].markup.encode() == first.markup.encode(), name
        assert again[name].table == first.table


def test_explicit_id_replaces_the_slug_and_is_checked():
    a = bar_chart({"A": 1}, title="Same title", description="d", value_label="v", id="chart-1")
    b = bar_chart({"A": 1}, title="Same title", description="d", value_label="v", id="chart-2")
    assert (a.id, b.id) == ("chart-1", "chart-2")
    assert 'id="chart-1-title"' in a.markup
    with pytest.raises(ValueError, match="lower case"):
        bar_chart({"A": 1}, title="t", description="d", value_label="v", id="Bad Id")


def test_title_and_description_are_required():
    with pytest.raises(ValueError, match="title"):
        bar_chart({"A": 1}, title=" ", description="d", value_label="v", id="x")
    with pytest.raises(ValueError, match="description"):
        bar_chart({"A": 1}, title="t", description="", value_label="v")


def test_text_is_escaped():
    chart = bar_chart(
        {"Fish & chips <shop>": 3},
        title='Bins "&" benches',
        description="a < b",
        value_label="Reports",
    )
    root = ET.fromstring(chart.markup)  # parses: & and < were escaped
    assert root.find(f"{NS}title").text == 'Bins "&" benches'
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Fish & chips <shop>" in texts


def test_slug_and_number_formatting():
    assert slug("ASB: Blackpool – Q3 2022") == "asb-blackpool-q3-2022"
    assert slug("12 months") == "svg-12-months"
    assert format_number(1234567) == "1,234,567"
    assert format_number(1234.56, 1) == "1,234.6"
    assert format_number(float("nan")) == "no data"


def test_palettes_are_light_to_dark_and_marks_contrast_with_the_page():
    for ramps in SEQUENTIAL.values():
        for k, colours in ramps.items():
            assert len(colours) == k
            lum = [luminance(c) for c in colours]
            assert lum == sorted(lum, reverse=True)
    for colour, _, _ in SERIES_STYLES:
        assert contrast(colour, WHITE) >= 3  # WCAG 1.4.11 non-text contrast
    assert contrast(TEXT, WHITE) >= 4.5
    assert text_on("#08519c") == WHITE and text_on("#eff3ff") == TEXT


@pytest.mark.parametrize(
    "name",
    [
        "csphub.reports.svg.classify",
        "csphub.reports.svg.document",
        "csphub.reports.svg.fmt",
        "csphub.reports.svg.line",
        "csphub.reports.svg.bar",
        "csphub.reports.svg.mapframe",
        "csphub.reports.svg.palette",
        "csphub.reports.svg.scale",
        "csphub.reports.svg.textsize",
    ],
)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0
