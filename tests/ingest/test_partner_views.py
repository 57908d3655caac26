"""The partner views' columns, as agreed with the products side (issue 14), and a store
made before they existed still opening read-only (the hub and products read old stores)."""

from __future__ import annotations

import shutil

import pytest

from csphub.store import open_store

# The contract as written in the brief (view -> column: DuckDB type). Views may
# carry more columns; these must be there with these types.
AGREED = {
    "collisions": {
        "collision_index": "VARCHAR", "year": "INTEGER", "date": "DATE", "time": "VARCHAR",
        "hour": "INTEGER", "weekday": "INTEGER", "police_force": "VARCHAR",
        "severity": "VARCHAR", "adjusted_serious": "DOUBLE", "adjusted_slight": "DOUBLE",
        "vehicles": "INTEGER", "casualties": "INTEGER", "lsoa": "VARCHAR", "district": "VARCHAR",
        "latitude": "DOUBLE", "longitude": "DOUBLE", "easting": "DOUBLE", "northing": "DOUBLE",
        "road_type": "VARCHAR", "speed_limit": "INTEGER", "light": "VARCHAR",
        "weather": "VARCHAR", "urban_rural": "VARCHAR", "file_id": "INTEGER",
    },
    "casualties": {
        "collision_index": "VARCHAR", "vehicle_reference": "INTEGER",
        "casualty_reference": "INTEGER", "casualty_class": "VARCHAR", "severity": "VARCHAR",
        "adjusted_serious": "DOUBLE", "adjusted_slight": "DOUBLE", "sex": "VARCHAR",
        "age": "INTEGER", "age_band": "VARCHAR", "road_user": "VARCHAR", "file_id": "INTEGER",
    },
    "vehicles": {
        "collision_index": "VARCHAR", "vehicle_reference": "INTEGER", "vehicle_type": "VARCHAR",
        "driver_sex": "VARCHAR", "driver_age_band": "VARCHAR", "file_id": "INTEGER",
    },
    "ae_assaults": {
        "attendance_at": "TIMESTAMP", "incident_at": "TIMESTAMP", "incident_date": "DATE",
        "hour": "INTEGER", "weekday": "INTEGER", "location_text": "VARCHAR",
        "location_type": "VARCHAR", "postcode": "VARCHAR", "lsoa": "VARCHAR",
        "weapon": "VARCHAR", "assailant": "VARCHAR", "age_band": "VARCHAR", "sex": "VARCHAR",
        "site": "VARCHAR", "file_id": "INTEGER",
    },
    "fire_incidents": {
        "incident_id": "VARCHAR", "date": "DATE", "hour": "INTEGER",
        "incident_type": "VARCHAR", "category": "VARCHAR", "deliberate": "BOOLEAN",
        "lsoa": "VARCHAR", "latitude": "DOUBLE", "longitude": "DOUBLE", "file_id": "INTEGER",
    },
    "fire_aggregates": {
        "table": "VARCHAR", "area_code": "VARCHAR", "area_level": "VARCHAR",
        "period": "VARCHAR", "measure": "VARCHAR", "value": "DOUBLE", "file_id": "INTEGER",
    },
}  # fmt: skip


@pytest.mark.parametrize("view", sorted(AGREED))
def test_each_view_has_the_agreed_columns(store, view):
    columns = dict(
        (name, kind) for name, kind, *_ in store.con.execute(f"DESCRIBE {view}").fetchall()
    )
    assert {c: columns.get(c) for c in AGREED[view]} == AGREED[view]


def test_a_store_made_before_the_partner_views_opens_read_only(tmp_path):
    root = tmp_path / "old"
    open_store(root).close()
    for kind in ("collisions", "ae-assaults", "fire-aggregates"):
        shutil.rmtree(root / "parts" / kind)  # what a store made by an older csphub lacks
    with open_store(root, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM collisions").fetchone() == (0,)
        assert store.con.execute("SELECT count(*) FROM ae_assaults").fetchone() == (0,)
    with open_store(root) as store:  # opened for writing, the store gains the views' files
        assert (root / "parts" / "collisions" / "_schema.parquet").exists()
