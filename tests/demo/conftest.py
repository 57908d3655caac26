"""The demo borough is generated once per test session and read back from its files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import shapely

from csphub.demo import DemoFiles, generate_demo

from .helpers import SEED, read_csv, read_polygons


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo") / "brackwater"


@pytest.fixture(scope="session")
def demo(demo_dir) -> DemoFiles:
    return generate_demo(demo_dir, seed=SEED)


@pytest.fixture(scope="session")
def street(demo) -> pd.DataFrame:
    return pd.concat([read_csv(p) for p in demo.street_files], ignore_index=True)


@pytest.fixture(scope="session")
def outcomes(demo) -> pd.DataFrame:
    return pd.concat([read_csv(p) for p in demo.outcome_files], ignore_index=True)


@pytest.fixture(scope="session")
def police(demo) -> pd.DataFrame:
    return read_csv(demo.police_events)


@pytest.fixture(scope="session")
def housing(demo) -> pd.DataFrame:
    return read_csv(demo.housing_asb)


@pytest.fixture(scope="session")
def lsoas(demo) -> dict[str, shapely.Geometry]:
    codes, polys = read_polygons(demo.lsoa_geojson)
    return dict(zip(codes, polys, strict=True))


@pytest.fixture(scope="session")
def lookup(demo) -> pd.DataFrame:
    return read_csv(demo.lookup)


@pytest.fixture(scope="session")
def population(demo) -> pd.DataFrame:
    frame = pd.read_csv(demo.population_csv)
    return frame.set_index("lsoa11_code")


@pytest.fixture(scope="session")
def imd(demo) -> pd.DataFrame:
    return pd.read_csv(demo.imd).set_index("lsoa_code")
