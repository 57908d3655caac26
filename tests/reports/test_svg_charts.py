"""Line and bar charts: one point per month, band and markers drawn, tables equal the data."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from csphub.reports.svg import bar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"
MONTHS = [f"{m} 2022" for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun")] + [
    f"{m} 2022" for m in ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
]
COUNTS = [41, 38, 45, 52, 47, 50, 61, 58, 49, 44, 40, 97]
LOW = [30, 30, 33, 36, 38, 40, 45, 44, 38, 34, 31, 30]
HIGH = [52, 50, 56, 60, 62, 64, 72, 70, 62, 56, 52, 50]


def _groups(markup: str, cls: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(markup).iter(f"{NS}g") if g.get("class") == cls]


def _asb(**kw):
    return line_chart(
        {"Anti-social behaviour": COUNTS, "Criminal damage": [c // 3 for c in COUNTS]},
        title="ASB by month",
        description="ASB was above its expected range in December.",
        y_label="Incidents per month",
        x_labels=MONTHS,
        band=(LOW, HIGH),
        band_label="Expected range (95%)",
        markers={"Above expected range": [11], "Below expected range": []},
        **kw,
    )


def test_line_chart_has_one_point_per_month_in_each_series():
    chart = _asb()
    series = _groups(chart.markup, "series")
    assert len(series) == 2
    for s in series:
        [points] = [g for g in s if g.get("class") == "points"]
        assert len(list(points)) == len(MONTHS)
    assert series[0].get("id") == "asb-by-month-series-1"


def test_series_differ_by_dash_and_point_shape_not_only_colour():
    first, second = _groups(_asb().markup, "series")
    line1, line2 = first.find(f"{NS}path"), second.find(f"{NS}path")
    assert line1.get("stroke") != line2.get("stroke")
    assert line1.get("stroke-dasharray") is None and line2.get("stroke-dasharray")
    shape = [next(iter(g.find(f"{NS}g"))).tag for g in (first, second)]
    assert shape == [f"{NS}circle", f"{NS}rect"]


def test_band_and_markers_are_drawn_and_named_in_the_legend():
    chart = _asb()
    [band] = _groups(chart.markup, "band")
    assert band.find(f"{NS}path").get("d").endswith("Z")
    markers = _groups(chart.markup, "markers")
    assert len(list(markers[0])) == 1  # December
    assert len(list(markers[1])) == 0
    assert markers[0][0].tag == f"{NS}path"  # a triangle, not the series' circle
    legend = [t.text for g in _groups(chart.markup, "legend") for t in g.iter(f"{NS}text")]
    assert legend == [
        "Anti-social behaviour",
        "Criminal damage",
        "Expected range (95%)",
        "Above expected range",
        "Below expected range",
    ]


def test_line_table_is_the_input_data():
    chart = _asb()
    assert [r["Month"] for r in chart.table] == MONTHS
    assert [r["Anti-social behaviour"] for r in chart.table] == COUNTS
    assert [r["Criminal damage"] for r in chart.table] == [c // 3 for c in COUNTS]
    assert [r["Expected range (95%): low"] for r in chart.table] == LOW
    assert [r["Expected range (95%): high"] for r in chart.table] == HIGH
    assert [r["Marker"] for r in chart.table] == [None] * 11 + ["Above expected range"]
    assert chart.columns[0] == "Month"


def test_missing_months_leave_a_gap_and_no_point():
    values = np.array(COUNTS, dtype=float)
    values[3] = np.nan
    chart = line_chart(
        {"Burglary": values},
        title="Burglary",
        description="d",
        y_label="Crimes",
        x_labels=MONTHS,
    )
    [series] = _groups(chart.markup, "series")
    assert series.find(f"{NS}path").get("d").count("M") == 2
    assert len(list(series.find(f"{NS}g"))) == 11
    assert chart.table[3]["Burglary"] is None
    assert chart.table[4]["Burglary"] == 47.0 and type(chart.table[4]["Burglary"]) is float
    assert not _groups(chart.markup, "legend")  # one series alone needs no legend


def test_y_axis_has_round_ticks_with_thousands_separators():
    chart = line_chart(
        {"Crimes": [9_800, 12_400, 11_050]},
        title="All crime",
        description="d",
        y_label="Crimes",
        x_labels=MONTHS[:3],
    )
    [axis] = _groups(chart.markup, "y-axis")
    assert [t.text for t in axis.iter(f"{NS}text")] == [
        "0",
        "2,000",
        "4,000",
        "6,000",
        "8,000",
        "10,000",
        "12,000",
        "14,000",
    ]


def test_line_chart_rejects_mismatched_lengths_and_bad_markers():
    with pytest.raises(ValueError, match="lengths"):
        line_chart({"A": [1, 2]}, title="t", description="d", y_label="y", x_labels=MONTHS)
    with pytest.raises(ValueError, match="out of range"):
        line_chart(
            {"A": [1, 2]},
            title="t",
            description="d",
            y_label="y",
            x_labels=MONTHS[:2],
            markers={"Above": [2]},
        )


CRIMES = [
    ("Violence and sexual offences", 5210),
    ("Anti-social behaviour", 4032),
    ("Public order", 1203),
    ("Criminal damage and arson", 1180),
    ("Burglary", 388),
]


@pytest.mark.parametrize("horizontal", [True, False])
def test_bar_chart_has_a_bar_and_a_value_label_per_item(horizontal):
    chart = bar_chart(
        CRIMES,
        title="Crimes by type",
        description="Violence is the largest.",
        value_label="Crimes, 2022",
        category_label="Crime type",
        horizontal=horizontal,
    )
    [bars] = _groups(chart.markup, "bars")
    rects = bars.findall(f"{NS}rect")
    assert len(rects) == len(CRIMES)
    size = "width" if horizontal else "height"
    lengths = [float(r.get(size)) for r in rects]
    assert lengths == sorted(lengths, reverse=True)
    assert math.isclose(lengths[0] / lengths[-1], 5210 / 388, rel_tol=0.01)
    texts = [t.text for t in bars.iter(f"{NS}text")]
    assert {"5,210", "4,032", "1,203", "1,180", "388"} <= set(texts)
    assert chart.table == [{"Crime type": c, "Crimes, 2022": v} for c, v in CRIMES]


def test_highlighted_bars_are_hatched_bold_and_in_the_table():
    chart = bar_chart(
        dict(CRIMES),
        title="Crimes by type",
        description="d",
        value_label="Crimes",
        highlight={"Burglary"},
        highlight_label="Partnership priority",
    )
    [bars] = _groups(chart.markup, "bars")
    hatched = [r for r in bars.findall(f"{NS}rect") if "url(#" in r.get("fill")]
    assert len(hatched) == 1
    bold = [t.text for t in bars.iter(f"{NS}text") if t.get("font-weight") == "bold"]
    assert bold == ["Burglary"]
    assert [r["Partnership priority"] for r in chart.table] == [False] * 4 + [True]
    with pytest.raises(ValueError, match="not in the chart"):
        bar_chart(CRIMES, title="t", description="d", value_label="v", highlight=["Drugs"])


def test_long_category_names_wrap_instead_of_running_into_the_bars():
    chart = bar_chart(
        [("Violence against the person with injury in the night-time economy", 12), ("B", 3)],
        title="t",
        description="d",
        value_label="v",
        width=400,
    )
    [bars] = _groups(chart.markup, "bars")
    labels = [t for t in bars.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert len(labels) > 2  # the long name took several lines
    first_bar_x = float(bars.find(f"{NS}rect").get("x"))
    assert all(float(t.get("x")) < first_bar_x for t in labels)


def test_bar_chart_refuses_negative_values_and_shows_no_data():
    with pytest.raises(ValueError, match="negative"):
        bar_chart({"A": -1}, title="t", description="d", value_label="v")
    chart = bar_chart({"A": 2, "B": None}, title="t", description="d", value_label="v")
    [bars] = _groups(chart.markup, "bars")
    assert len(bars.findall(f"{NS}rect")) == 1
    assert "no data" in [t.text for t in bars.iter(f"{NS}text")]
    assert chart.table[1] == {"Category": "B", "v": None}
