"""The crime patterns analysts will look for in the demo data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from scipy.stats import spearmanr

from .helpers import read_csv

# Blackpool police.uk rows 2018-11..2022-10 by crime type (shared/data SOURCES.md 1b).
BLACKPOOL = {
    "Anti-social behaviour": 33_492,
    "Violence and sexual offences": 31_085,
    "Criminal damage and arson": 7_108,
    "Other theft": 5_588,
    "Public order": 5_295,
    "Burglary": 3_337,
    "Shoplifting": 3_179,
    "Vehicle crime": 3_021,
    "Drugs": 1_515,
    "Other crime": 1_472,
    "Possession of weapons": 717,
    "Theft from the person": 651,
    "Robbery": 629,
    "Bicycle theft": 540,
}


def _month(police: pd.DataFrame) -> pd.Series:
    return police["occurred_date"].str[:7]


def test_monthly_volume_is_blackpool_scale(street, demo):
    per_month = street.groupby("Month").size()
    assert len(per_month) == 36
    assert 2_550 < per_month.mean() < 2_850
    assert per_month.between(2_000, 3_500).all()
    assert dict(demo.street_rows_by_month) == per_month.to_dict()


def test_crime_type_shares_follow_blackpool(street):
    share = street["Crime type"].value_counts(normalize=True)
    total = sum(BLACKPOOL.values())
    for crime_type, count in BLACKPOOL.items():
        target = count / total
        assert abs(share[crime_type] - target) < max(0.012, 0.35 * target), crime_type


def test_police_events_match_street_rows_per_month_and_type(street, police, demo):
    assert len(police) == len(street) == demo.events
    from_events = police.groupby([_month(police), "crime_type"]).size()
    from_street = street.groupby(["Month", "Crime type"]).size()
    assert from_events.sort_index().to_dict() == from_street.sort_index().to_dict()


def test_street_points_lie_in_their_published_lsoa(street, lsoas):
    located = street[street["LSOA code"] != ""]
    assert set(located["LSOA code"]) <= set(lsoas)
    points = located[["Longitude", "Latitude", "LSOA code"]].drop_duplicates()
    polys = np.array([lsoas[c] for c in points["LSOA code"]])
    x, y = points["Longitude"].astype(float), points["Latitude"].astype(float)
    inside = shapely.contains_xy(polys, x.to_numpy(), y.to_numpy())
    assert inside.all(), points[~inside].head()
    per_lsoa = points.groupby("LSOA code").size()
    assert per_lsoa.max() <= 45  # snap points: 20-40 per LSOA, a few generic places more


def test_crime_is_concentrated_in_few_lsoas(street):
    counts = street.loc[street["LSOA code"] != ""].groupby("LSOA code").size()
    top = counts.sort_values(ascending=False).head(len(counts) // 10)
    assert top.sum() / counts.sum() > 0.25


def test_more_deprived_lsoas_have_higher_crime_rates(street, population, imd):
    counts = street.loc[street["LSOA code"] != ""].groupby("LSOA code").size()
    counts = counts.reindex(population.index, fill_value=0)
    rate = counts / population["total_population"] * 1_000
    rho = spearmanr(imd.loc[population.index, "IMD_rank"], rate).statistic
    assert rho < -0.4  # rank 1 = most deprived, so more crime at low ranks


def test_burglary_at_homes_follows_deprivation_not_just_the_town_centre(
    demo, police, population, imd
):
    addresses = read_csv(demo.addresses).set_index("address_id")
    burglary = police[(police["crime_type"] == "Burglary") & (police["address_id"] != "")]
    homes = burglary[
        addresses.loc[burglary["address_id"], "address_type"].to_numpy() == "residential"
    ]
    counts = homes.groupby("lsoa_code").size().reindex(population.index, fill_value=0)
    rho = spearmanr(imd.loc[population.index, "IMD_rank"], counts / population["total_population"])
    assert rho.statistic < -0.4


def test_hotspots_persist_from_year_to_year(police):
    year = police["occurred_date"].str[:4]
    first = police[year == year.min()].groupby("lsoa_code").size().nlargest(10)
    last = police[year == year.max()].groupby("lsoa_code").size().nlargest(10)
    assert len(set(first.index) & set(last.index)) >= 7


def test_seasonality_asb_and_violence_in_summer_burglary_in_winter(police):
    month = police["occurred_date"].str[5:7].astype(int)
    summer, winter = month.isin([6, 7, 8]), month.isin([12, 1, 2])

    def ratio(crime_type: str) -> float:
        of_type = police["crime_type"] == crime_type
        return (of_type & summer).sum() / (of_type & winter).sum()

    assert ratio("Anti-social behaviour") > 1.2
    assert ratio("Violence and sexual offences") > 1.05
    assert ratio("Burglary") < 0.95


def _close_pairs(days: np.ndarray, pairs: np.ndarray, window: int = 14) -> int:
    return int((np.abs(days[pairs[:, 0]] - days[pairs[:, 1]]) <= window).sum())


def test_burglary_shows_a_near_repeat_pattern(police):
    burglary = police[police["crime_type"] == "Burglary"]
    xy = burglary[["easting", "northing"]].astype(float).to_numpy()
    days = burglary["occurred_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    pairs = cKDTree(xy).query_pairs(200.0, output_type="ndarray")
    observed = _close_pairs(days, pairs)
    rng = np.random.default_rng(7)
    expected = np.mean([_close_pairs(rng.permutation(days), pairs) for _ in range(20)])
    assert observed > 1.4 * expected, (observed, expected)


def test_some_homes_are_burgled_again(police):
    burglary = police[(police["crime_type"] == "Burglary") & (police["address_id"] != "")]
    repeats = burglary.groupby("address_id").size()
    assert (repeats >= 2).sum() >= 50
