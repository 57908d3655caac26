"""Road severity and KSI, time profiles, A&E categories, the police share of A&E assaults
and the deprivation gradient, against hand-counted tables (worked out in the comments) and,
for STATS19, the published Blackpool 2023 figures and an independent csv-module count."""

from __future__ import annotations

import csv
import doctest
import importlib

import pandas as pd
import pytest

from csphub.analysis.factors import deprivation_gradient
from csphub.analysis.linkage import police_share
from csphub.analysis.profiles import category_counts, night_time_economy, time_profile
from csphub.analysis.roads import by_road_user, severity, severity_terms

DOCTEST_MODULES = [
    "csphub.analysis.roads",
    "csphub.analysis.profiles",
    "csphub.analysis.linkage",
    "csphub.analysis.factors",
]


@pytest.mark.parametrize("name", DOCTEST_MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0


def _collisions(adjusted: bool):
    # 2 fatal, 3 serious, 5 slight. Adjusted serious of the non-fatal rows:
    # serious 0.8 + 0.9 + 1.0 = 2.7; slight 0.1 * 5 = 0.5 -> KSI 2 + 2.7 + 0.5 = 5.2
    # adjusted slight: serious 0.2 + 0.1 + 0.0 = 0.3; slight 0.9 * 5 = 4.5 -> 4.8
    sev = ["fatal"] * 2 + ["serious"] * 3 + ["slight"] * 5
    adj_s = [None, None, 0.8, 0.9, 1.0] + [0.1] * 5
    adj_l = [None, None, 0.2, 0.1, 0.0] + [0.9] * 5
    frame = pd.DataFrame({"severity": sev})
    if adjusted:
        frame["adjusted_serious"] = adj_s
        frame["adjusted_slight"] = adj_l
    return frame


def test_ksi_adjusted_sums_probabilities_and_adds_fatal():
    s = severity(_collisions(True))
    assert (s.fatal, s.serious, s.slight, s.rows) == (2, 3, 5, 10)
    assert s.adjusted
    assert s.ksi == pytest.approx(5.2)
    assert s.slight_figure == pytest.approx(4.8)
    assert s.ksi_recorded == 5
    assert "adjusted" in s.basis


def test_ksi_without_adjustment_is_fatal_plus_serious_and_says_so():
    s = severity(_collisions(False))
    assert not s.adjusted
    assert (s.ksi, s.slight_figure) == (5.0, 5.0)
    assert "no adjusted severity" in s.basis


def test_partial_adjustment_is_not_used():
    frame = _collisions(True)
    frame.loc[9, "adjusted_serious"] = None
    s = severity(frame)
    assert not s.adjusted
    assert s.ksi == 5.0
    assert "1 of 8 non-fatal rows" in s.basis


def test_ksi_by_road_user_adds_up_to_the_total():
    frame = _collisions(True).assign(
        road_user=["Pedestrian", "Car occupant", "Pedestrian", "Cyclist", "Car occupant"]
        + ["Car occupant"] * 4
        + [None]
    )
    table = by_road_user(frame).set_index("road_user")
    # Pedestrian: fatal 1 + serious 0.8 = 1.8; Cyclist 0.9; Car occupant: fatal 1 + 1.0 +
    # 4 x 0.1 = 2.4; Not recorded: 0.1
    assert table.loc["Pedestrian", "ksi"] == pytest.approx(1.8)
    assert table.loc["Cyclist", "ksi"] == pytest.approx(0.9)
    assert table.loc["Car occupant", "ksi"] == pytest.approx(2.4)
    assert table.loc["Not recorded", "casualties"] == 1
    assert table["ksi"].sum() == pytest.approx(5.2)
    assert list(table.index[:2]) == ["Car occupant", "Pedestrian"]


def test_severity_terms_name_their_source_and_date():
    meta, terms = severity_terms()
    assert "STATS20" in meta["source"]
    assert {"fatal", "serious", "slight", "ksi", "adjustment"} <= set(terms)
    assert "30 days" in terms["fatal"]


def test_time_profile_counts_hours_weekdays_and_unknowns():
    rows = pd.DataFrame({"hour": [0, 0, 23, 12, None, 25], "weekday": [1, 7, 7, 3, 3, None]})
    p = time_profile(rows)
    assert p.by_hour[0] == 2 and p.by_hour[23] == 1 and p.by_hour[12] == 1
    assert p.no_hour == 2  # None and 25
    assert p.by_weekday.tolist() == [1, 0, 2, 0, 0, 0, 2]
    assert p.no_weekday == 1
    assert int(p.grid.to_numpy().sum()) == 4  # rows with both known
    assert p.grid.loc[7, 23] == 1


def test_category_counts_in_a_given_order():
    rows = pd.DataFrame(
        {
            "assailant": [
                "Stranger",
                "Partner",
                "Stranger",
                None,
                "Other",
                "unknown",
                "Stranger",
                " ",
            ]
        }
    )
    table = category_counts(rows, "assailant", order=["Partner", "Stranger", "Family"])
    # None, "unknown" and a blank are not recorded: 3 of 8
    assert table.values.tolist() == [
        ["Partner", 1, 0.125],
        ["Stranger", 3, 0.375],
        ["Other", 1, 0.125],
        ["Not recorded", 3, 0.375],
    ]


def test_night_time_economy_hours():
    # Fri 18:00 yes; Fri 17:00 no; Sat 23:00 yes; Sun 05:00 yes; Sun 06:00 no; Mon 01:00 no
    rows = pd.DataFrame({"hour": [18, 17, 23, 5, 6, 1], "weekday": [5, 5, 6, 7, 7, 1]})
    assert night_time_economy(rows) == 3


def test_police_share_upper_bound_by_lsoa_and_month():
    ae = pd.DataFrame(
        {
            "lsoa": ["A", "A", "A", "B", "B", "C", None, "A"],
            "incident_date": pd.to_datetime(
                [
                    "2025-01-02",
                    "2025-01-10",
                    "2025-01-30",
                    "2025-01-05",
                    "2025-02-05",
                    "2025-01-07",
                    "2025-01-08",
                    None,
                ]
            ),
        }
    )
    police = pd.DataFrame(
        {
            "lsoa_code": ["A", "A", "B", "B", "D"],
            "month": ["2025-01", "2025-01", "2025-02", "2025-01", "2025-01"],
            "count": [1, 1, 4, 0, 9],
        }
    )
    r = police_share(ae, police)
    # linkable: 6 (one without LSOA, one without date). Cells: A-Jan 3 ae vs 2 police -> 2;
    # B-Jan 1 vs 0 -> 0; B-Feb 1 vs 4 -> 1; C-Jan 1 vs none -> 0. At most 3 of 6 held.
    assert (r.assaults, r.linkable, r.cells) == (8, 6, 4)
    assert r.at_most_held == 3
    assert r.share_at_most == 0.5
    # assaults in cells with any police violence: A-Jan 3 + B-Feb 1 = 4; not held 2 of 6
    assert r.in_police_cells == 4
    assert r.share_not_held == pytest.approx(2 / 6)


def test_deprivation_gradient_by_quintile():
    idx = ["a", "b", "c", "d", "e", "f"]
    population = pd.Series([1000, 1000, 2000, 500, 1000, 1000], idx)
    decile = pd.Series([1, 2, 5, 10, 9, None], idx)
    counts = pd.Series({"a": 10, "b": 20, "c": 4, "d": 1, "f": 7})
    g = deprivation_gradient(counts, population, decile, "imd")
    t = g.table.set_index("quintile")
    # quintile 1: a + b = 30 per 2,000 -> 15.0; quintile 3: c 4 per 2,000 -> 2.0;
    # quintile 5: d + e = 1 per 1,500 -> 0.67; ratio 15 / (1/1.5) = 22.5
    assert t.iloc[0]["per_1000"] == 15.0
    assert t.iloc[2]["per_1000"] == 2.0
    assert t.iloc[4]["per_1000"] == 0.67
    assert t.iloc[1]["per_1000"] is None
    assert g.ratio == 22.5 and g.compared == (1, 5)
    assert g.unmatched == 1


def test_deprivation_gradient_compares_the_quintiles_the_area_has():
    idx = ["a", "b", "c"]
    # deciles 1, 2 (quintile 1: 12 per 2,000 = 6.0) and 7 (quintile 4: 3 per 1,500 = 2.0)
    g = deprivation_gradient(
        pd.Series({"a": 5, "b": 7, "c": 3}),
        pd.Series([1000, 1000, 1500], idx),
        pd.Series([1, 2, 7], idx),
        "income",
    )
    assert g.compared == (1, 4)
    assert g.ratio == 3.0
    one = deprivation_gradient(
        pd.Series({"a": 1}), pd.Series([10], ["a"]), pd.Series([3], ["a"]), "x"
    )
    assert one.ratio is None and one.compared is None


SEVERITY_NAMES = {"1": "fatal", "2": "serious", "3": "slight"}


def test_blackpool_2023_stats19_matches_the_published_counts(shared_data):
    path = shared_data / "road_safety" / "stats19_collisions_2023_lancashire_DERIVED.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            r for r in csv.DictReader(handle) if r["local_authority_ons_district"] == "E06000009"
        ]
    frame = pd.DataFrame(
        {
            "severity": [SEVERITY_NAMES[r["accident_severity"]] for r in rows],
            "casualties": [int(r["number_of_casualties"]) for r in rows],
        }
    )
    s = severity(frame)
    # the figures (SOURCES.md section 9a): 279 collisions, 4 / 86 / 189, 362 casualties
    assert (s.rows, s.fatal, s.serious, s.slight) == (279, 4, 86, 189)
    assert s.ksi == 90 and not s.adjusted
    assert int(frame["casualties"].sum()) == 362
