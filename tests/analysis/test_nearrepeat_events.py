"""Reading event-level data: date formats, lon/lat projection, date filters, issues."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from csphub.analysis.nearrepeat import Events, from_day, read_events_csv, to_day
from csphub.analysis.projection import lonlat_to_bng


def test_csv_with_a_date_format_and_a_date_filter(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "easting,northing,when,other\n"
        "331000,436000,31/12/2015,a\n"
        "331010,436000,01/01/2016,b\n"
        ",436000,02/01/2016,c\n"
        "331020,436000,2016-01-03,d\n"
        "331030,436000,31/01/2016,e\n"
    )
    ev = read_events_csv(
        path,
        x="easting",
        y="northing",
        date="when",
        date_format="%d/%m/%Y",
        date_from="2016-01-01",
        date_to=dt.date(2016, 1, 31),
    )
    assert ev.n == 2
    assert ev.dates.tolist() == [dt.date(2016, 1, 1), dt.date(2016, 1, 31)]
    assert ev.x.tolist() == [331010, 331030]
    assert ev.issues == (
        "1 row(s) without a usable x/y left out",
        "1 row(s) with a date not in format '%d/%m/%Y' left out",
        "1 event(s) outside 2016-01-01 to 2016-01-31 left out",
    )


def test_lonlat_columns_are_projected(tmp_path):
    path = tmp_path / "ll.csv.gz"
    import gzip

    with gzip.open(path, "wt") as f:
        f.write("lon,lat,date\n-3.0357,53.8175,2020-05-01\n-3.05,53.80,2020-05-02\n")
    ev = read_events_csv(path, x="lon", y="lat", lonlat=True)
    x, y = lonlat_to_bng([-3.0357, -3.05], [53.8175, 53.80])
    np.testing.assert_allclose(ev.x, x)
    np.testing.assert_allclose(ev.y, y)
    assert ev.crs == "EPSG:27700"


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("x,y,day\n1,2,2020-01-01\n")
    with pytest.raises(ValueError, match="date"):
        read_events_csv(path)


def test_day_numbers():
    assert to_day("1970-01-02") == 1
    assert from_day(to_day("2016-02-29")) == dt.date(2016, 2, 29)
    ev = Events.from_arrays([0, 1], [0, 1], [16801, 16802])
    assert ev.dates.tolist() == [dt.date(2016, 1, 1), dt.date(2016, 1, 2)]
    with pytest.raises(ValueError):
        Events.from_arrays([0], [0, 1], [1, 2])


@pytest.mark.shared
def test_chicago_years(shared_data):
    path = shared_data / "events" / "chicago_burglary_2014_2017.csv.gz"
    every = read_events_csv(path, date="date_single", date_format="%d/%m/%Y")
    assert every.n == 45_319 and every.issues == ()
    y2016 = every.between("2016-01-01", "2016-12-31")
    assert y2016.n == 11_701
