"""ISTV (A&E assault) extracts written here: typing, codes, damage and replacement."""

from __future__ import annotations

import datetime as dt

from csphub.ingest.load import ingest_sources
from csphub.ingest.partner.formats import partner_format
from csphub.ingest.quarantine import list_quarantine
from csphub.ingest.sources import expand_paths

HEADER = (
    "site,trust,arrival_date,arrival_time,incident_date,incident_time,incident_location,"
    "location_type,incident_postcode,incident_lsoa,primary_means_of_assault,assailant_type,"
    "age_band,sex"
)
SITE = "Brackwater General ED,RBW"


def write(path, rows, header=HEADER, end="\n"):
    path.write_text(end.join([header, *rows]) + end, encoding="utf-8")
    return path


def ingest(store, *paths, replace=False):
    sources = expand_paths(paths)[0]
    return ingest_sources(store, sources, fmt=partner_format("istv"), replace=replace)


def good(day="06/12/2025", arrival="01:40", weapon="Glass"):
    return (
        f"{SITE},{day},{arrival},{day},00:55,outside a club,Pub/club,bw1 2ab,,{weapon},"
        "Stranger,18-24,M"
    )


def test_rows_are_typed_and_decoded(store, tmp_path):
    path = write(
        tmp_path / "ed-2025-12.csv",
        [
            good(),
            f"{SITE},2025-12-07,03:10,,,High Street,street,BW1,E01012680,body part,"
            "acquaintance,25-34,1",
            f"{SITE},2025-12-08,14:00,,,,,,,not known,unknown,unknown,X",
        ],
    )
    summary = ingest(store, path).to_dict()
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (3, 0)
    assert "1 rows have a postcode but no LSOA" in summary["notes"][0]
    rows = store.con.execute(
        "SELECT attendance_at, incident_at, incident_date, hour, weekday, time_from, "
        "location_type, postcode, postcode_district, lsoa, weapon, assailant, age_band, sex, "
        "site FROM ae_assaults ORDER BY attendance_at"
    ).fetchall()
    first, second, third = rows
    # 6 December 2025 was a Saturday: ISO weekday 6; the hour is the incident's
    assert first[:6] == (
        dt.datetime(2025, 12, 6, 1, 40),
        dt.datetime(2025, 12, 6, 0, 55),
        dt.date(2025, 12, 6),
        0,
        6,
        "incident",
    )
    assert first[6:] == (
        "licensed premises",
        "BW1 2AB",
        "BW1",
        None,
        "glass/bottle",
        "stranger",
        "18-24",
        "male",
        "Brackwater General ED",
    )
    # no incident time: hour and weekday of the arrival, and said so
    assert second[1:6] == (None, dt.date(2025, 12, 7), 3, 7, "attendance")
    assert second[6:11] == ("street/public place", None, "BW1", "E01012680", "body part")
    assert third[10:14] == ("unknown", "unknown", "unknown", "unknown")


def test_a_damaged_extract_loads_its_good_rows_and_quarantines_the_rest(store, tmp_path):
    rows = [
        good(),  # line 2
        good(weapon="spoon"),  # line 3: not a weapon code
        good(day="32/12/2025"),  # line 4: no such date
        good(arrival="1.40pm"),  # line 5: not a time
        good() + ",extra",  # line 6: an extra column
        f"{SITE},06/12/2025,01:40,07/12/2025,00:55,x,,,,,,,",  # line 7: after the attendance
        f"{SITE},06/12/2025,01:40,,,x,,ZZZ,,,,,",  # line 8: not a postcode
        ",RBW,06/12/2025,01:40,,,x,,,,,,,",  # line 9: no site
        good()[:30],  # line 10: truncated
    ]
    path = write(tmp_path / "damaged.csv", rows)
    summary = ingest(store, path).to_dict()
    assert (summary["rows_loaded"], summary["rows_quarantined"]) == (1, 8)
    found = [(q["row"], q["field"], q["reason"]) for q in list_quarantine(store)]
    assert found == [
        (
            3,
            "primary_means_of_assault",
            "no such weapon code in the csphub ISTV codes (docs/formats/istv.md)",
        ),
        (4, "arrival_date", "no such date"),
        (4, "incident_date", "no such date"),
        (5, "arrival_time", "not a time (HH:MM)"),
        (6, "(row)", "expected 14 fields, found 15"),
        (7, "incident_date", "the incident is after the attendance"),
        (8, "incident_postcode", "not a UK postcode or postcode district"),
        (9, "site", "required but empty"),
        (10, "(row)", "expected 14 fields, found 3"),
    ]


def test_a_newer_extract_for_a_site_month_replaces_it(store, tmp_path):
    ingest(store, write(tmp_path / "a.csv", [good() for _ in range(4)]))
    summary = ingest(store, write(tmp_path / "b.csv", [good() for _ in range(3)])).to_dict()
    assert summary["replaced_months"][0]["previous_rows"] == 4
    assert store.con.execute("SELECT count(*) FROM ae_assaults").fetchone()[0] == 3
    small = ingest(store, write(tmp_path / "c.csv", [good()])).to_dict()
    assert small["files_refused"] == 1
    ingest(store, write(tmp_path / "d.csv", [good(day="01/11/2025")]))
    months = store.con.execute(
        "SELECT period_start, count(*) FROM ae_assaults GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert months == [(dt.date(2025, 11, 1), 1), (dt.date(2025, 12, 1), 3)]


def test_an_extract_without_its_required_columns_is_refused(store, tmp_path):
    path = write(tmp_path / "x.csv", ["a,b"], header="site,weapon")
    summary = ingest(store, path).to_dict()
    assert summary["files_failed"] == 1
    assert "attendance_date, attendance_time" in summary["errors"][0]


def test_two_spellings_of_a_site_are_one_site(store, tmp_path):
    ingest(store, write(tmp_path / "a.csv", [good() for _ in range(3)]))
    respelled = [g.replace("Brackwater General ED", "BRACKWATER  general ed") for g in [good()] * 3]
    summary = ingest(store, write(tmp_path / "b.csv", respelled)).to_dict()
    # the second extract replaces the first (one site-month), nothing doubled
    assert summary["replaced_months"][0]["previous_rows"] == 3
    assert "read as 'Brackwater General ED'" in summary["notes"][0]
    rows = store.con.execute("SELECT site, count(*) FROM ae_assaults GROUP BY 1").fetchall()
    assert rows == [("Brackwater General ED", 3)]
