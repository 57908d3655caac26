"""People and places: repeat victims, prolific offenders, overlap, outcomes, housing ASB."""

from __future__ import annotations

import pandas as pd

from .helpers import read_csv


def test_domestic_abuse_victims_are_victimised_repeatedly(police):
    domestic = police[police["offence"].str.startswith("Domestic abuse")]
    assert len(domestic) > 0.1 * (police["crime_type"] == "Violence and sexual offences").sum()
    assert (domestic["offender_id"] != "").all()
    per_victim = domestic.groupby("victim_id").size()
    assert (per_victim >= 5).sum() >= 50
    assert per_victim.max() >= 20


def test_a_few_prolific_offenders_commit_much_shoplifting(police):
    shoplifting = police[(police["crime_type"] == "Shoplifting") & (police["offender_id"] != "")]
    top = shoplifting["offender_id"].value_counts().head(35)
    assert top.sum() / len(shoplifting) > 0.4
    assert top.iloc[0] >= 40


def test_most_burglary_and_theft_has_no_suspect(police):
    for crime_type in ("Burglary", "Other theft", "Vehicle crime", "Bicycle theft"):
        rows = police[police["crime_type"] == crime_type]
        assert (rows["offender_id"] == "").mean() > 0.7, crime_type


def test_some_people_are_both_victims_and_offenders(police):
    victims = set(police["victim_id"]) - {""}
    offenders = set(police["offender_id"]) - {""}
    both = victims & offenders
    assert len(both) >= 200
    assert len(both) < 0.5 * len(offenders)
    assert not ((police["victim_id"] != "") & (police["victim_id"] == police["offender_id"])).any()


def test_events_refer_to_known_addresses_at_their_coordinates(demo, police):
    addresses = read_csv(demo.addresses).set_index("address_id")
    assert len(addresses) == demo.address_count
    at = police[police["address_id"] != ""]
    assert set(at["address_id"]) <= set(addresses.index)
    known = addresses.loc[at["address_id"]]
    assert (known["easting"].to_numpy() == at["easting"].to_numpy()).all()
    assert (known["lsoa_code"].to_numpy() == at["lsoa_code"].to_numpy()).all()


def test_outcomes_belong_to_published_crimes_and_agree_with_last_outcome(street, outcomes):
    crimes = street[street["Crime ID"] != ""].set_index("Crime ID")
    assert set(outcomes["Crime ID"]) <= set(crimes.index)
    assert (outcomes["Month"].to_numpy() >= crimes.loc[outcomes["Crime ID"], "Month"]).all()
    location = crimes.loc[outcomes["Crime ID"], ["LSOA code", "Longitude"]].to_numpy()
    assert (outcomes[["LSOA code", "Longitude"]].to_numpy() == location).all()
    latest = outcomes.sort_values("Month", kind="stable").groupby("Crime ID").last()
    last = crimes.loc[latest.index, "Last outcome category"]
    charged = latest["Outcome type"] == "Suspect charged"
    assert (last[~charged] == latest.loc[~charged, "Outcome type"]).all()
    assert last[charged].isin(["Awaiting court outcome", "Court result unavailable"]).all()
    pending = crimes["Last outcome category"].isin(
        ["Under investigation", "Status update unavailable"]
    )
    assert not set(crimes.index[pending]) & set(outcomes["Crime ID"])
    assert (outcomes.loc[outcomes["LSOA code"] == "", "Location"] == "No location").all()


def test_recent_crimes_are_more_often_under_investigation(street):
    crimes = street[street["Crime ID"] != ""]
    open_share = (
        (crimes["Last outcome category"] == "Under investigation").groupby(crimes["Month"]).mean()
    )
    assert open_share.iloc[-3:].mean() > 3 * open_share.iloc[:12].mean()


def test_housing_asb_log_is_at_landlord_homes_and_overlaps_police_asb(demo, housing, police):
    addresses = read_csv(demo.addresses).set_index("address_id")
    assert set(housing["agency"]) == {"Brackwater Homes"}
    assert set(housing["crime_type"]) == {"Anti-social behaviour"}
    assert (addresses.loc[housing["address_id"], "landlord"] == "Brackwater Homes").all()
    assert (housing["victim_id"] != "").all()
    assert 40 < len(housing) / 36 < 200
    asb = police[police["crime_type"] == "Anti-social behaviour"]
    both = housing.merge(asb, on=["address_id", "victim_id"], suffixes=("", "_police"))
    lag = pd.to_datetime(both["occurred_date"]) - pd.to_datetime(both["occurred_date_police"])
    matched = both[lag.dt.days.between(0, 7)]
    assert matched["event_id"].nunique() > 0.1 * len(housing)
