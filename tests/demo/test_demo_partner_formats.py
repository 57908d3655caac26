"""The demo's STATS19, ISTV and fire files: shaped as the field's data is, and loaded.

Shapes are counted here from the CSV files with pandas (never through csphub's ingest);
the thresholds are what the module docstrings promise.
"""

from __future__ import annotations

import pandas as pd
import pytest

from csphub.ingest.load import ingest_sources
from csphub.ingest.partner.formats import partner_format
from csphub.ingest.sources import expand_paths
from csphub.store import open_store

from .helpers import read_csv


@pytest.fixture(scope="module")
def assaults(demo) -> pd.DataFrame:
    return pd.concat([read_csv(p) for p in demo.istv_files], ignore_index=True)


def test_one_istv_extract_per_month(demo, street):
    assert len(demo.istv_files) == street["Month"].nunique() == 36
    assert demo.istv_files[0].name == "ae-assaults-2023-01.csv"


def test_assaults_peak_on_friday_and_saturday_nights(assaults):
    arrival = pd.to_datetime(assaults["arrival_date"] + " " + assaults["arrival_time"])
    # a night belongs to the day it began: 03:00 on Sunday is Saturday night
    night_of = (arrival - pd.Timedelta(hours=6)).dt.day_of_week  # Monday = 0
    night = (arrival.dt.hour >= 20) | (arrival.dt.hour < 6)
    per_night = night_of[night].value_counts()
    weekend = per_night[[4, 5]].mean()  # Friday and Saturday nights
    weekday = per_night[[0, 1, 2, 3, 6]].mean()
    assert weekend > 2 * weekday
    assert night.mean() > 0.6  # most attendances are at night


def test_assault_victims_mostly_young_men_hit_with_a_body_part(assaults):
    assert (assaults["sex"] == "M").mean() > 0.65
    assert assaults["age_band"].isin(["18-24", "25-34"]).mean() > 0.55
    weapons = assaults["primary_means_of_assault"].value_counts(normalize=True)
    assert weapons.index[0] == "body part" and weapons["body part"] > 0.6
    assert weapons["knife/sharp object"] > 0.03 and weapons["glass/bottle"] > 0.03
    public = assaults[assaults["location_type"] != "home"]
    assert public["assailant_type"].isin(["stranger", "acquaintance"]).mean() > 0.75
    located = public["incident_lsoa"].value_counts(normalize=True)
    assert located.iloc[:5].sum() > 0.8  # a handful of town-centre LSOAs


def test_deliberate_secondary_fires_follow_asb(demo, street):
    fires = read_csv(demo.fire_incidents)
    secondary = fires["incident_type"].str.startswith("Secondary")
    deliberate = fires[secondary & (fires["motive"] == "Deliberate")]
    by_lsoa = deliberate["lsoa_code"].value_counts()
    asb = street[street["Crime type"] == "Anti-social behaviour"]["LSOA code"].value_counts()
    joined = pd.concat([asb.rename("asb"), by_lsoa.rename("fires")], axis=1).fillna(0)
    assert joined["asb"].corr(joined["fires"], method="spearman") > 0.5
    assert secondary.mean() > 0.3 and (fires["motive"] == "Deliberate").sum() > 300


def test_collisions_casualties_and_vehicles_agree(demo):
    collisions = read_csv(demo.collisions)
    casualties = read_csv(demo.casualties)
    vehicles = read_csv(demo.vehicles)
    severity = collisions["collision_severity"].value_counts(normalize=True)
    assert severity["3"] > 0.6 and 0.005 < severity["1"] < 0.03
    assert collisions["collision_index"].is_unique
    per = casualties.groupby("collision_index").size()
    counted = collisions.set_index("collision_index")["number_of_casualties"].astype(int)
    assert per.reindex(counted.index).tolist() == counted.tolist()
    vper = vehicles.groupby("collision_index").size()
    vcount = collisions.set_index("collision_index")["number_of_vehicles"].astype(int)
    assert vper.reindex(vcount.index).tolist() == vcount.tolist()
    # the collision is as severe as its worst casualty
    worst = casualties.groupby("collision_index")["casualty_severity"].min()
    assert worst.reindex(counted.index).tolist() == collisions["collision_severity"].tolist()


def test_the_demo_files_load_without_quarantine(demo, tmp_path):
    with open_store(tmp_path / "store") as store:
        for name, paths in (
            ("stats19", [demo.collisions, demo.casualties, demo.vehicles]),
            ("istv", list(demo.istv_files)),
            ("fire", [demo.fire_incidents]),
        ):
            sources = expand_paths(paths)[0]
            summary = ingest_sources(store, sources, fmt=partner_format(name)).to_dict()
            assert summary["errors"] == [] and summary["rows_quarantined"] == 0, name
        n = [
            store.con.execute(f"SELECT count(*) FROM {v}").fetchone()[0]
            for v in ("collisions", "casualties", "vehicles", "ae_assaults", "fire_incidents")
        ]
    assert n == [
        len(read_csv(demo.collisions)),
        len(read_csv(demo.casualties)),
        len(read_csv(demo.vehicles)),
        sum(len(read_csv(p)) for p in demo.istv_files),
        len(read_csv(demo.fire_incidents)),
    ]
