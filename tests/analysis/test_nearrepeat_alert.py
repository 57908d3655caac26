"""Near-repeat risk envelope and alerts."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np

from csphub.analysis.hotspots import Grid
from csphub.analysis.nearrepeat import (
    Events,
    KnoxResult,
    RiskEnvelope,
    RiskStep,
    near_repeat_alert,
    risk_envelope,
)


def _knox(p: list[list[float]], ratio: float | list[list[float]] = 1.5) -> KnoxResult:
    p_arr = np.array(p, float)
    r = np.broadcast_to(np.asarray(ratio, float), p_arr.shape)
    return KnoxResult(
        (0.1, 200.0, 400.0, 600.0)[: p_arr.shape[0]],
        (7.0, 14.0, 21.0)[: p_arr.shape[1]],
        np.zeros(p_arr.shape, int),
        np.ones(p_arr.shape),
        r,
        p_arr,
        1000,
        0,
        99,
        1,
        "euclidean",
    )


def test_envelope_is_the_contiguous_run_from_the_shortest_interval():
    env = risk_envelope(
        _knox([[0.01, 0.01, 0.01], [0.01, 0.01, 0.5], [0.01, 0.5, 0.01], [0.5, 0.01, 0.01]])
    )
    assert env.steps == (RiskStep(0.1, 21.0), RiskStep(200.0, 14.0), RiskStep(400.0, 7.0))
    assert (env.max_distance_m, env.max_days) == (400.0, 21.0)
    assert any("outside the contiguous envelope" in n and "400 m/21 d" in n for n in env.notes)


def test_ratio_threshold_and_alpha():
    k = _knox([[0.01, 0.01], [0.01, 0.01]], ratio=[[3.0, 1.1], [1.3, 1.1]])
    assert risk_envelope(k).steps == (RiskStep(0.1, 14.0), RiskStep(200.0, 14.0))
    assert risk_envelope(k, min_ratio=1.2).steps == (RiskStep(0.1, 7.0), RiskStep(200.0, 7.0))
    assert risk_envelope(k, alpha=0.01).steps == ()


def test_inner_band_not_significant_is_noted():
    env = risk_envelope(_knox([[0.5, 0.5], [0.01, 0.5]]))
    assert env.steps == (RiskStep(200.0, 7.0),)
    assert any("not significant" in n for n in env.notes)


def test_no_envelope_no_alert():
    env = risk_envelope(_knox([[0.5]]))
    assert env.steps == () and env.notes
    ev = Events.from_arrays([0.0], [0.0], [100])
    assert near_repeat_alert(env, ev).to_records() == []


def test_alert_on_the_latest_events():
    env = RiskEnvelope(
        (RiskStep(0.1, 21.0), RiskStep(200.0, 14.0), RiskStep(400.0, 7.0)), "euclidean", 0.05, 1.0
    )
    dates = np.array(["2016-12-01", "2016-12-24", "2016-12-25", "2016-12-31"], "datetime64[D]")
    ev = Events.from_arrays([0.0, 1000.0, 2000.0, 3000.0], [0.0, 0.0, 0.0, 0.0], dates)
    a = near_repeat_alert(env, ev, lookback_days=7)  # as_of = latest date, 2016-12-31
    assert a.as_of == dt.date(2016, 12, 31)
    rows = [(r["event_index"], r["radius_m"], r["risk_until"]) for r in a.to_records()]
    # event 0 is older than 7 days; event 1 (12-24) falls out of the window (31 - 7 = 24)
    assert rows == [
        (2, 0.1, "2017-01-15"),
        (2, 200.0, "2017-01-08"),
        (2, 400.0, "2017-01-01"),
        (3, 0.1, "2017-01-21"),
        (3, 200.0, "2017-01-14"),
        (3, 400.0, "2017-01-07"),
    ]
    assert a.n_events == 2
    json.dumps(a.to_dict(), allow_nan=False)


def test_expired_and_dominated_steps_are_dropped():
    env = RiskEnvelope(
        (RiskStep(0.1, 7.0), RiskStep(200.0, 14.0), RiskStep(400.0, 3.0)), "euclidean", 0.05, 1.0
    )
    ev = Events.from_arrays([0.0], [0.0], np.array(["2016-12-20"], "datetime64[D]"))
    a = near_repeat_alert(env, ev, as_of="2016-12-25", lookback_days=7)
    # 0.1 m for 7 days is inside 200 m for 14 days; 400 m ended on 12-23
    assert [(r["radius_m"], r["risk_until"]) for r in a.to_records()] == [(200.0, "2017-01-03")]


def test_alert_cells_on_a_grid():
    env = RiskEnvelope((RiskStep(150.0, 14.0),), "euclidean", 0.05, 1.0)
    ev = Events.from_arrays(
        [500.0, 520.0], [500.0, 500.0], np.array(["2016-12-30", "2016-12-31"], "datetime64[D]")
    )
    grid = Grid(0.0, 0.0, 100.0, 10, 10)
    cells = near_repeat_alert(env, ev).cells(grid)
    by_id = {c["cell_id"]: c for c in cells}
    assert "E500N500" in by_id and by_id["E500N500"]["n_events"] == 2
    assert by_id["E500N500"]["risk_until"] == "2017-01-14"
    xs = np.array([c["x"] for c in cells])
    ys = np.array([c["y"] for c in cells])
    near = np.minimum(np.hypot(xs - 500, ys - 500), np.hypot(xs - 520, ys - 500))
    assert (near <= 150 + 71).all()  # centre within the radius, or the event's own cell


def test_same_location_only_envelope_still_marks_the_event_cell():
    env = RiskEnvelope((RiskStep(0.1, 21.0),), "euclidean", 0.05, 1.0)
    ev = Events.from_arrays([512.0], [533.0], np.array(["2016-12-31"], "datetime64[D]"))
    cells = near_repeat_alert(env, ev).cells(Grid(0.0, 0.0, 100.0, 10, 10))
    assert [c["cell_id"] for c in cells] == ["E500N500"]


def test_alert_straight_from_a_knox_result():
    ev = Events.from_arrays([0.0], [0.0], np.array(["2016-12-31"], "datetime64[D]"))
    a = near_repeat_alert(_knox([[0.01, 0.5]]), ev)
    assert a.envelope.steps == (RiskStep(0.1, 7.0),)
    assert a.to_records()[0]["risk_until"] == "2017-01-07"
