"""Longitude/latitude to British National Grid and back."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Polygon

from csphub.analysis.projection import (
    bng_to_lonlat,
    lonlat_to_bng,
    project_geometries,
    transformation_info,
)

# Ordnance Survey, "A guide to coordinate systems in Great Britain", worked example:
# Caister water tower, ETRS89 52°39'28.8282"N 1°42'57.8663"E -> E 651409.903, N 313177.270
CAISTER_LAT = 52 + 39 / 60 + 28.8282 / 3600
CAISTER_LON = 1 + 42 / 60 + 57.8663 / 3600


def test_known_point_within_the_helmert_accuracy():
    x, y = lonlat_to_bng([CAISTER_LON], [CAISTER_LAT])
    # without the OSTN15 grid PROJ uses a Helmert transformation (about 2 m)
    assert x[0] == pytest.approx(651409.903, abs=5)
    assert y[0] == pytest.approx(313177.270, abs=5)


def test_round_trip():
    lon = np.array([-3.0357, -2.5, -0.1276])
    lat = np.array([53.8175, 54.0, 51.5072])
    x, y = lonlat_to_bng(lon, lat)
    lon2, lat2 = bng_to_lonlat(x, y)
    np.testing.assert_allclose(lon2, lon, atol=1e-7)
    np.testing.assert_allclose(lat2, lat, atol=1e-7)


def test_missing_values_stay_missing():
    x, y = lonlat_to_bng([np.nan, -3.0], [53.8, 53.8])
    assert np.isnan(x[0]) and np.isnan(y[0]) and np.isfinite(x[1])
    with pytest.raises(ValueError):
        lonlat_to_bng([1.0, 2.0], [3.0])


def test_geometries_are_projected_in_place_order():
    square = Polygon([(-3.05, 53.81), (-3.04, 53.81), (-3.04, 53.82), (-3.05, 53.82)])
    [projected] = project_geometries([square])
    assert 600_000 < projected.area < 750_000  # about 660 m x 1,110 m
    minx, miny, _, _ = projected.bounds
    x, y = lonlat_to_bng([-3.05], [53.81])
    assert minx == pytest.approx(x[0], abs=1) and miny == pytest.approx(y[0], abs=20)


def test_transformation_info_names_the_operation():
    info = transformation_info()
    assert "British National Grid" in str(info["description"])
    assert info["accuracy_m"] is None or float(info["accuracy_m"]) <= 2.0
