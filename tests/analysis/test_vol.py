"""VOL: repeat victims, offenders and locations on a synthetic extract with known answers."""

from __future__ import annotations

import doctest
import json

import pandas as pd
import pyarrow as pa
import pytest

from csphub.analysis import vol as module
from csphub.analysis.harm import WeightTable
from csphub.analysis.vol import vol_rankings, window

WEIGHTS = WeightTable(
    "demo",
    "2024",
    "test",
    {"Burglary": 10.0, "Robbery": 100.0, "Violence and sexual offences": 50.0},
    excluded=("Anti-social behaviour",),
)

ROWS = [
    # event, occurred_at, crime type, address, victim, offender
    ("e1", "2023-04-01 00:00", "Burglary", "A", "v1", "o1"),  # first moment of the window
    ("e2", "2023-05-10 12:00", "Burglary", "A", "v1", "o2"),
    ("e3", "2023-06-01 09:00", "Robbery", "B", "v2", "o1"),
    ("e4", "2024-03-31 23:59", "Violence and sexual offences", "C", " v1 ", "o3"),  # last day
    ("e5", "2023-03-31 23:59", "Burglary", "A", "v1", "o1"),  # just before the window
    ("e6", "2024-04-01 00:00", "Robbery", "A", "v2", "o1"),  # just after
    ("e7", "2023-07-01 18:00", "Anti-social behaviour", "A", "", "o2"),  # blank victim
    ("e8", "2023-08-01 10:00", "Burglary", "D", None, "v2"),  # v2 as an offender
    ("e9", "2023-09-01 01:00", "Robbery", "B", "v3", "o2"),  # one event, two offenders
    ("e9", "2023-09-01 01:00", "Robbery", "B", "v3", "o4"),
    ("e10", "2023-10-01 15:00", "Bike theft", "  ", "v1", "o3"),  # unknown type, no address
    ("e11", None, "Burglary", "A", "v1", "o1"),  # undated
]


@pytest.fixture
def events() -> pd.DataFrame:
    df = pd.DataFrame(
        ROWS,
        columns=["event_id", "occurred_at", "crime_type", "address_id", "victim_id", "offender_id"],
    )
    df["occurred_at"] = pd.to_datetime(df["occurred_at"])
    df["lsoa_code"] = df["address_id"].map({"A": "E01000001", "B": "E01000002"})
    return df


def by_id(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("id")


def test_docstring_examples_run():
    assert doctest.testmod(module).failed == 0


def test_window_is_twelve_months_ending_on_the_date():
    start, last = window("2024-03-31")
    assert (str(start.date()), str(last.date())) == ("2023-04-01", "2024-03-31")
    assert [str(d.date()) for d in window("2024-02-29", months=1)] == ["2024-02-01", "2024-02-29"]


def test_repeat_victims_ranked_by_count_and_harm(events):
    out = vol_rankings(events, "2024-03-31", WEIGHTS)
    v = by_id(out.victims)
    assert list(v.index) == ["v1", "v2", "v3"]  # "" and None are not people
    assert v.loc["v1", ["events", "harm", "unweighted_events"]].tolist() == [4, 70.0, 1]
    assert bool(v.loc["v1", "repeat"]) and not bool(v.loc["v2", "repeat"])
    assert v["rank_count"].tolist() == [1, 2, 2]
    assert v["rank_harm"].tolist() == [3, 1, 1]
    assert v.loc["v3", "events"] == 1  # two offender rows of e9 count once
    assert v.loc["v1", "n_places"] == 2  # A and C; e10 has no address
    assert str(v.loc["v1", "first_seen"]) == "2023-04-01 00:00:00"
    assert str(v.loc["v1", "last_seen"]) == "2024-03-31 23:59:00"


def test_repeat_offenders(events):
    o = by_id(vol_rankings(events, "2024-03-31", WEIGHTS).offenders)
    assert o.loc["o2", ["events", "harm", "unweighted_events"]].tolist() == [3, 110.0, 1]
    assert o.loc["o1", ["events", "harm"]].tolist() == [2, 110.0]
    assert o["rank_count"].to_dict() == {"o2": 1, "o1": 2, "o3": 2, "o4": 4, "v2": 4}
    assert o["rank_harm"].to_dict() == {"o2": 1, "o1": 1, "o3": 4, "o4": 3, "v2": 5}
    assert o.loc["o3", "main_crime_type"] == "Bike theft"  # tie broken alphabetically
    assert o.loc["o2", "n_crime_types"] == 3


def test_repeat_locations(events):
    loc = by_id(vol_rankings(events, "2024-03-31", WEIGHTS).locations)
    assert list(loc.index) == ["A", "B", "C", "D"]
    assert loc.loc["A", ["events", "harm", "unweighted_events"]].tolist() == [3, 20.0, 1]
    assert loc.loc["B", ["events", "harm", "rank_harm"]].tolist() == [2, 200.0, 1]
    assert loc.loc["A", "lsoa_code"] == "E01000001" and pd.isna(loc.loc["C", "lsoa_code"])
    assert loc["repeat"].tolist() == [True, True, False, False]


def test_victim_offenders(events):
    vo = vol_rankings(events, "2024-03-31", WEIGHTS).victim_offenders
    assert vo.to_dict("records") == [
        {
            "id": "v2",
            "victim_events": 1,
            "offender_events": 1,
            "victim_harm": 100.0,
            "offender_harm": 10.0,
        }
    ]


def test_locations_shared_by_top_offenders(events):
    out = vol_rankings(events, "2024-03-31", WEIGHTS, top_n=2)
    assert set(out.top_offenders) == {"o1", "o2", "o3"}  # o1 and o3 tie for second
    shared = out.shared_locations
    assert shared[["address_id", "offender_id", "events"]].values.tolist() == [
        ["A", "o1", 1],
        ["A", "o2", 2],
        ["B", "o1", 1],
        ["B", "o2", 1],
    ]
    assert set(shared["n_top_offenders"]) == {2}
    alone = vol_rankings(events, "2024-03-31", WEIGHTS, top_n=1)
    assert alone.top_offenders == ("o2",) and alone.shared_locations.empty
    assert list(alone.shared_locations.columns) == list(shared.columns)
    by_harm = vol_rankings(events, "2024-03-31", WEIGHTS, top_n=1, top_by="harm")
    assert set(by_harm.top_offenders) == {"o1", "o2"}


def test_data_notes(events):
    notes = vol_rankings(events, "2024-03-31", WEIGHTS).data_notes
    assert notes == {
        "events_in_window": 8,
        "events_outside_window": 2,
        "undated_events": 1,
        "rows_without_event_id": 0,
        "events_without_victim_id": 2,
        "events_without_offender_id": 0,
        "events_without_address_id": 1,
        "unknown_crime_types": ["Bike theft"],
    }


def test_window_moves_with_the_end_date(events):
    out = vol_rankings(events, "2024-04-01", WEIGHTS)
    assert out.data_notes["events_in_window"] == 8  # e1 leaves, e6 joins
    assert "o1" in set(out.offenders["id"])
    assert by_id(out.victims).loc["v2", "events"] == 2


def test_rows_without_event_id_are_separate_events(events):
    events.loc[events["event_id"] == "e2", "event_id"] = None
    events.loc[events["event_id"] == "e3", "event_id"] = ""
    out = vol_rankings(events, "2024-03-31", WEIGHTS)
    assert out.data_notes["rows_without_event_id"] == 2
    assert by_id(out.victims).loc["v1", "events"] == 4


def test_time_zone_aware_times_and_pyarrow(events):
    events["occurred_at"] = events["occurred_at"].dt.tz_localize("Europe/London")
    out = vol_rankings(pa.Table.from_pandas(events), "2024-03-31", WEIGHTS)
    assert out.data_notes["events_in_window"] == 8


def test_to_dict_is_json_and_states_the_weights(events):
    d = vol_rankings(events, "2024-03-31", WEIGHTS).to_dict()
    text = json.dumps(d)
    assert d["window_start"] == "2023-04-01" and d["window_end"] == "2024-03-31"
    assert (d["weight_table"], d["weight_vintage"]) == ("demo", "2024")
    assert d["victims"][0]["id"] == "v1" and "first_seen" in text


def test_bad_input(events):
    with pytest.raises(ValueError, match="lsoa_code"):
        vol_rankings(events.drop(columns="lsoa_code"), "2024-03-31", WEIGHTS)
    with pytest.raises(ValueError, match="top_by"):
        vol_rankings(events, "2024-03-31", WEIGHTS, top_by="rank")
