"""Boundaries, lookup, population and deprivation of the demo borough."""

from __future__ import annotations

import numpy as np
import shapely

from .helpers import read_polygons, to_bng


def test_lsoa_polygons_are_valid_and_tile_the_town_without_overlaps(demo, lsoas):
    assert len(lsoas) == demo.lsoas == 90
    polys = to_bng(np.array(list(lsoas.values())))
    assert shapely.is_valid(polys).all()
    assert (shapely.get_type_id(polys) == 3).all()  # single polygons
    tree = shapely.STRtree(polys)
    a, b = tree.query(polys, predicate="intersects")
    pair = a < b
    overlap = shapely.area(shapely.intersection(polys[a[pair]], polys[b[pair]])).sum()
    assert overlap < 1.0  # square metres, over the whole town
    union = shapely.union_all(polys).area
    assert abs(union - shapely.area(polys).sum()) < 1.0
    assert abs(union / 1e6 - demo.area_km2) / demo.area_km2 < 0.002
    assert 30 < demo.area_km2 < 45


def test_lsoas_are_smaller_towards_the_centre(lsoas):
    polys = to_bng(np.array(list(lsoas.values())))
    area = shapely.area(polys)
    xy = shapely.get_coordinates(shapely.centroid(polys))
    centre = xy[np.argmin(area)]
    dist = np.hypot(*(xy - centre).T)
    assert np.corrcoef(dist, area)[0, 1] > 0.3


def test_every_lsoa_is_in_exactly_one_ward_and_one_msoa(lookup, lsoas, demo):
    assert lookup["LSOA11CD"].is_unique
    assert set(lookup["LSOA11CD"]) == set(lsoas)
    assert lookup["MSOA11CD"].nunique() == demo.msoas
    assert lookup["WD13CD"].nunique() == demo.wards == 20
    assert set(lookup["LAD13CD"]) == {"E06999001"}
    assert set(lookup["LAD13NM"]) == {"Brackwater"}
    msoa_number = lookup["LSOA11NM"].str[:-1]
    assert (msoa_number == lookup["MSOA11NM"]).all()  # "Brackwater 001A" is in "Brackwater 001"


def test_wards_and_msoas_are_contiguous_unions_of_their_lsoas(demo, lookup, lsoas):
    for path, column in ((demo.ward_geojson, "WD13CD"), (demo.msoa_geojson, "MSOA11CD")):
        codes, polys = read_polygons(path)
        assert sorted(codes) == sorted(lookup[column].unique())
        for code, poly in zip(codes, polys, strict=True):
            assert poly.is_valid and poly.geom_type == "Polygon", code  # one piece
            members = lookup.loc[lookup[column] == code, "LSOA11CD"]
            union = shapely.union_all([lsoas[m] for m in members])
            diff = to_bng(shapely.symmetric_difference(union, poly)).area
            assert diff < 10.0, code


def test_population_totals_match_single_years_of_age(population, demo):
    ages = population.loc[:, "0":"90+"]
    assert ages.shape[1] == 91
    assert (ages.sum(axis=1) == population["total_population"]).all()
    assert population["total_population"].between(1_000, 3_000).all()
    assert population["total_population"].sum() == demo.population
    assert 130_000 < demo.population < 150_000
    assert (ages >= 0).all().all()


def test_imd_ranks_deciles_and_spatial_pattern(imd, lookup):
    assert list(imd.index) == list(lookup["LSOA11CD"])
    ranks = imd.filter(like="_rank")
    deciles = imd.filter(like="_decile")
    assert ranks.shape[1] == deciles.shape[1] == 8
    assert ranks.min().min() >= 1 and ranks.max().max() <= 32_844
    expected = (ranks.to_numpy() * 10 + 32_843) // 32_844
    assert (deciles.to_numpy() == expected).all()
    assert imd["IMD_rank"].is_unique
    share_decile_1 = (imd["IMD_decile"] == 1).mean()
    assert 0.25 < share_decile_1 < 0.45
    assert (imd["IMD_decile"] >= 8).sum() >= 3  # a few comfortable suburbs too
    income = np.corrcoef(imd["IMD_rank"], imd["Income_rank"])[0, 1]
    assert income > 0.8


def test_deprivation_is_spatially_clustered(imd, lsoas):
    polys = np.array([lsoas[c] for c in imd.index])
    tree = shapely.STRtree(polys)
    a, b = tree.query(polys, predicate="touches")
    score = -np.log(imd["IMD_rank"].to_numpy())
    same = np.corrcoef(score[a[a != b]], score[b[a != b]])[0, 1]
    assert same > 0.4  # neighbours resemble each other
