"""Calendar time: windows count calendar months, and months not loaded are named and drawn
as gaps, never joined across or averaged over."""

from __future__ import annotations

import pandas as pd

from csphub.analysis.trends import seasonal_baseline
from csphub.reports.common.baseline import baseline_chart, missing_months
from csphub.reports.common.sources import month_span, window_text


def test_month_span_names_the_months_not_loaded():
    loaded = ["2020-01", "2020-02", "2020-05", "2020-07", "2020-08"]
    assert month_span(loaded) == (
        "2020-01 to 2020-08 (5 of 8 calendar months; not loaded: 2020-03 to 2020-04, 2020-06)"
    )
    assert month_span(["2020-01", "2020-02"]) == "2020-01 to 2020-02 (2 months)"
    window = ["2019-12", "2020-01", "2020-02", "2020-03"]
    assert window_text(window, ["2020-01", "2020-03"]) == (
        "2019-12 to 2020-03 (4 calendar months; not loaded: 2019-12, 2020-02)"
    )


def test_a_chart_leaves_missing_months_as_gaps():
    months = [m for m in pd.period_range("2019-01", "2021-12", freq="M") if m.month != 6]
    series = pd.Series(100, index=pd.PeriodIndex(months))
    result = seasonal_baseline(series).table
    assert missing_months(result) == ["2019-06", "2020-06", "2021-06"]
    figure = baseline_chart(result, name="Burglary", area_name="Town", y_label="n", id="c")
    rows = {r["Month"]: r for r in figure.table.rows}
    assert len(rows) == 36  # every calendar month, not the 33 loaded
    assert rows["Jun 2020"]["Recorded"] is None
    assert rows["May 2020"]["Recorded"] == 100 and rows["Jul 2020"]["Recorded"] == 100
    assert "2019-06, 2020-06, 2021-06" in figure.svg.description
