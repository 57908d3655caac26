"""Places against the evidence store from the hub (``csphub.hub.casework.places``): the
demo store, a missing one, one without data and one an ingest holds. No database needed.

The library's answers are checked against independent counts in
``tests/analysis/test_places.py``; here, that the hub passes them through, and that every
failure is one plain line (no path, no process id) and never an exception.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pandas as pd
import pytest
import shapely

from csphub.analysis.store_inputs.places import records_near
from csphub.hub.casework.places import Located, locate, nearby
from csphub.hub.groups.evidence import ttcg_evidence
from csphub.store import open_store
from shared_demo import DEMO_AREA

NOT_SHOWN = "No police.uk records shown: "


@pytest.fixture
def demo_store(demo_run, settings):
    settings.CSPHUB_STORE = str(demo_run.store)
    return demo_run


def _an_lsoa(out) -> tuple[str, tuple[float, float]]:
    features = json.loads((out / "geography" / "lsoa.geojson").read_text(encoding="utf-8"))
    feature = features["features"][5]
    point = shapely.point_on_surface(shapely.geometry.shape(feature["geometry"]))
    return feature["properties"]["LSOA11CD"], point.coords[0]


def test_locate_on_the_demo_store(demo_store):
    code, (lon, lat) = _an_lsoa(demo_store.out)
    lookup = pd.read_csv(demo_store.out / "geography" / "lookup.csv", dtype=str)
    row = lookup.set_index("LSOA11CD").loc[code]
    assert locate(lon, lat) == Located(code, row["LSOA11NM"], row["WD13CD"], row["WD13NM"])
    assert locate(0.0, 51.5) is None  # outside the borough


def test_nearby_on_the_demo_store_is_the_library_answer_cached(demo_store):
    _, (lon, lat) = _an_lsoa(demo_store.out)
    place = SimpleNamespace(longitude=lon, latitude=lat)
    result = nearby(place)
    assert result.unavailable == ""
    with open_store(demo_store.store, create=False, read_only=True) as store:
        direct = records_near(store, lon, lat, radius_m=250, months=12, max_points=10)
    assert result.nearby == direct and direct.total > 0
    assert nearby(place) is result  # the second look is the cached one


def test_a_place_without_a_position(demo_store):
    result = nearby(SimpleNamespace(longitude=None, latitude=53.0))
    assert result.nearby is None
    assert (
        result.unavailable == NOT_SHOWN + "this place has no map position (longitude and latitude)."
    )


def test_a_missing_store_is_one_line_without_the_path(settings, tmp_path):
    settings.CSPHUB_STORE = str(tmp_path / "nowhere")
    assert locate(-5.0, 53.0) is None
    result = nearby(SimpleNamespace(longitude=-5.0, latitude=53.0))
    assert result.nearby is None
    assert (
        result.unavailable == NOT_SHOWN + "the evidence store has not been set up on this server."
    )


def test_a_store_without_data(settings, tmp_path):
    with open_store(tmp_path / "empty"):
        pass
    settings.CSPHUB_STORE = str(tmp_path / "empty")
    assert locate(-5.0, 53.0) is None
    result = nearby(SimpleNamespace(longitude=-5.0, latitude=53.0))
    assert result.unavailable == (
        NOT_SHOWN + "no police.uk street data has been loaded into the evidence store."
    )


def test_a_store_an_ingest_holds_is_busy_not_an_error(demo_run, settings, tmp_path):
    root = tmp_path / "store"
    shutil.copytree(demo_run.store, root)
    settings.CSPHUB_STORE = str(root)
    settings.CSPHUB_AREA = DEMO_AREA
    hold = (
        "import sys\nfrom csphub.store import open_store\n"
        "store = open_store(sys.argv[1])\nprint('holding', flush=True)\nsys.stdin.read()\n"
    )
    command = [sys.executable, "-c", hold, str(root)]
    # closing its stdin (leaving the with block) lets the writer go and releases the lock
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as w:
        assert w.stdout.readline().strip() == "holding"
        busy = "the evidence store is being updated; try again in a few minutes."
        assert locate(-5.0, 53.0) is None
        result = nearby(SimpleNamespace(longitude=-5.0, latitude=53.0))
        assert result.unavailable == NOT_SHOWN + busy
        # the TTCG agenda shares the way in, and says the same
        assert ttcg_evidence("2026-01").unavailable == "No evidence offered: " + busy
    assert nearby(SimpleNamespace(longitude=-5.0, latitude=53.0)).unavailable == ""
