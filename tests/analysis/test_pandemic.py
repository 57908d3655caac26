"""The pandemic file and the pre-pandemic comparison: months under restrictions, and the
same calendar months before them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from csphub.analysis.pandemic import PandemicFileError, load_pandemic
from csphub.analysis.trends import change_test


def _months(start: str, end: str) -> list[str]:
    import pandas as pd

    return [str(m) for m in pd.period_range(start, end, freq="M")]


def test_the_file_names_its_source_and_the_restriction_months():
    p = load_pandemic()
    assert (p.start, p.end) == ("2020-03", "2022-03")
    assert (p.pre_from, p.pre_to) == ("2018-03", "2020-02")
    assert "SI 2020/350" in p.source and "Living with COVID-19" in p.source
    # a period overlapping March 2020 to March 2022 is caught, one before it is not
    assert p.overlap(_months("2021-11", "2022-10")) == _months("2021-11", "2022-03")
    assert p.overlap(_months("2020-11", "2021-10")) == _months("2020-11", "2021-10")
    assert p.overlap(_months("2018-11", "2019-10")) == []
    assert p.overlap(_months("2022-04", "2023-03")) == []


def test_the_comparison_takes_the_same_calendar_months_the_store_holds():
    p = load_pandemic()
    loaded = _months("2018-11", "2019-02") + _months("2019-12", "2022-10")
    before, now = p.comparison(_months("2021-11", "2022-10"), loaded)
    assert before == ["2018-11", "2018-12", "2019-01", "2019-02", "2019-12", "2020-01", "2020-02"]
    assert now == ["2021-11", "2021-12", "2022-01", "2022-02"]
    custom = load_pandemic(pre_from="2019-03", pre_to="2020-02")
    assert custom.comparison(_months("2021-11", "2022-10"), loaded)[0] == [
        "2019-12",
        "2020-01",
        "2020-02",
    ]
    with pytest.raises(PandemicFileError, match="end before 2020-03"):
        load_pandemic(pre_from="2019-03", pre_to="2020-05")


def test_scoring_uses_the_pre_pandemic_level_and_says_how():
    from csphub.reports.assess.scoring import pandemic_likelihood

    # steady months: a 20% rise on the previous (pandemic) year is significant, but the
    # level is still a third below the same months before the pandemic
    rise = change_test([100] * 12, [120] * 12)
    below = SimpleNamespace(test=change_test([180] * 12, [120] * 12))
    m = SimpleNamespace(test=rise, pre=below)
    assert pandemic_likelihood(m, 0.05, previous_in_pandemic=False)[0] == 4
    level, basis = pandemic_likelihood(m, 0.05, previous_in_pandemic=True)
    assert level == 3
    assert "below the pre-pandemic level (-33%)" in basis
    # a significant fall that leaves it significantly above the pre-pandemic level
    above = SimpleNamespace(test=change_test([90] * 12, [120] * 12))
    fall = SimpleNamespace(test=change_test([150] * 12, [120] * 12), pre=above)
    level, basis = pandemic_likelihood(fall, 0.05, previous_in_pandemic=True)
    assert level == 3 and "above the pre-pandemic level (+33%)" in basis
    # no pre-pandemic months loaded: unchanged, and said
    alone = SimpleNamespace(test=rise, pre=None)
    level, basis = pandemic_likelihood(alone, 0.05, previous_in_pandemic=True)
    assert level == 4 and "no pre-pandemic months loaded" in basis
