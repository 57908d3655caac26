"""Schema of the evidence store: the DuckDB catalog tables and the Parquet part layouts.

Row-level data (police.uk street, outcomes, stop-and-search rows, partner events and the
partner formats of issue 14: STATS19, A&E assaults, fire) lives in Parquet parts, one per
(source file, force, month), so that replacing a force-month is
swapping files rather than rewriting a table. Everything small and relational (lineage,
quarantine, geography) lives in DuckDB tables.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 1

CATALOG_DDL = """
CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE SEQUENCE IF NOT EXISTS file_id_seq START 1;

-- One row per file ever ingested: its name, checksum and what came of it (lineage).
CREATE TABLE IF NOT EXISTS source_file (
    file_id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,          -- as the user knows it, e.g. 2022-01.zip!2022-01/...csv
    path VARCHAR,                   -- absolute path on disk when ingested
    sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,          -- street | outcomes | stop-and-search | events | boundaries ...
    bytes BIGINT,
    rows_read INTEGER,
    rows_loaded INTEGER,
    rows_quarantined INTEGER,
    loaded_at TIMESTAMP,
    status VARCHAR NOT NULL         -- current | superseded
);

-- One row per Parquet part: the rows of one file for one force and month.
CREATE TABLE IF NOT EXISTS part (
    file_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    force VARCHAR NOT NULL,
    month DATE NOT NULL,
    rows INTEGER NOT NULL,
    path VARCHAR NOT NULL,          -- relative to the store folder
    status VARCHAR NOT NULL,        -- current | superseded
    superseded_by INTEGER,
    scope VARCHAR DEFAULT '',       -- '' for a force file; an extract's own name
    lsoas INTEGER,                  -- distinct LSOA codes in the part (replacement check)
    PRIMARY KEY (file_id, kind, force, month)
);

-- One canonical name per force or agency key (case and whitespace folded).
CREATE TABLE IF NOT EXISTS force_name (key VARCHAR PRIMARY KEY, name VARCHAR NOT NULL);

-- Rows that could not be loaded, with the reason; nothing is dropped silently.
CREATE TABLE IF NOT EXISTS quarantine (
    file_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    row_number INTEGER,             -- line in the file; the header is line 1
    field VARCHAR NOT NULL,
    value VARCHAR,
    reason VARCHAR NOT NULL,
    record VARCHAR                  -- the whole row as JSON (header -> text)
);

-- Geography: boundaries of LSOAs, wards and MSOAs (WKB, WGS84 longitude/latitude).
CREATE TABLE IF NOT EXISTS boundary (
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    name VARCHAR,
    geometry BLOB NOT NULL,
    area_km2 DOUBLE,
    centroid_lon DOUBLE,
    centroid_lat DOUBLE,
    file_id INTEGER,
    PRIMARY KEY (level, code)
);

-- LSOA -> ward -> MSOA -> local authority, and LSOA 2011 -> 2021.
CREATE TABLE IF NOT EXISTS geo_lookup (
    lsoa_code VARCHAR PRIMARY KEY,
    lsoa_name VARCHAR,
    ward_code VARCHAR,
    ward_name VARCHAR,
    msoa_code VARCHAR,
    msoa_name VARCHAR,
    lad_code VARCHAR,
    lad_name VARCHAR,
    lsoa21_code VARCHAR,
    lsoa21_change VARCHAR
);

CREATE TABLE IF NOT EXISTS population (
    lsoa_code VARCHAR PRIMARY KEY,
    lsoa_name VARCHAR,
    population INTEGER NOT NULL,
    file_id INTEGER
);

-- English Indices of Deprivation, long form: one row per LSOA and domain.
CREATE TABLE IF NOT EXISTS deprivation (
    lsoa_code VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,        -- imd, income, employment, ...
    rank INTEGER,
    decile INTEGER,
    file_id INTEGER,
    PRIMARY KEY (lsoa_code, domain)
);
"""

#: Columns added since schema version 1 was first released; run after CATALOG_DDL.
CATALOG_MIGRATIONS = (
    "ALTER TABLE part ADD COLUMN IF NOT EXISTS scope VARCHAR DEFAULT ''",
    "ALTER TABLE part ADD COLUMN IF NOT EXISTS lsoas INTEGER",
)

_STR = pa.string()
_LOCATION_FIELDS = [
    ("longitude", pa.float64()),
    ("latitude", pa.float64()),
    ("location", _STR),
    ("lsoa_code", _STR),
    ("lsoa_name", _STR),
]

#: Arrow schemas of the Parquet parts, by kind. file_id and row_number are the lineage.
PART_SCHEMAS: dict[str, pa.Schema] = {
    "street": pa.schema(
        [
            ("file_id", pa.int32()),
            ("row_number", pa.int32()),
            ("crime_id", _STR),
            ("month", pa.date32()),
            ("reported_by", _STR),
            ("falls_within", _STR),
            *_LOCATION_FIELDS,
            ("crime_type", _STR),
            ("outcome", _STR),
            ("context", _STR),
            ("has_location", pa.bool_()),
        ]
    ),
    "outcomes": pa.schema(
        [
            ("file_id", pa.int32()),
            ("row_number", pa.int32()),
            ("crime_id", _STR),
            ("month", pa.date32()),
            ("reported_by", _STR),
            ("falls_within", _STR),
            *_LOCATION_FIELDS,
            ("outcome", _STR),
            ("has_location", pa.bool_()),
        ]
    ),
    "stop-and-search": pa.schema(
        [
            ("file_id", pa.int32()),
            ("row_number", pa.int32()),
            ("force", _STR),
            ("month", pa.date32()),
            ("search_type", _STR),
            ("date", pa.timestamp("s", tz="UTC")),
            ("part_of_operation", pa.bool_()),
            ("policing_operation", _STR),
            ("latitude", pa.float64()),
            ("longitude", pa.float64()),
            ("gender", _STR),
            ("age_range", _STR),
            ("self_defined_ethnicity", _STR),
            ("officer_defined_ethnicity", _STR),
            ("legislation", _STR),
            ("object_of_search", _STR),
            ("outcome", _STR),
            ("outcome_linked", pa.bool_()),
            ("removal_of_outer_clothing", pa.bool_()),
            ("has_location", pa.bool_()),
        ]
    ),
    "events": pa.schema(
        [
            ("file_id", pa.int32()),
            ("row_number", pa.int32()),
            ("event_id", _STR),
            ("agency", _STR),
            ("month", pa.date32()),
            ("crime_type", _STR),
            ("offence", _STR),
            ("occurred_at", pa.timestamp("s")),
            ("longitude", pa.float64()),
            ("latitude", pa.float64()),
            ("easting", pa.float64()),
            ("northing", pa.float64()),
            ("lsoa_code", _STR),
            ("address_id", _STR),
            ("victim_id", _STR),
            ("offender_id", _STR),
            ("has_location", pa.bool_()),
        ]
    ),
}

_INT = pa.int32()
_F64 = pa.float64()
_DATE = pa.date32()
_LINEAGE = [("file_id", _INT), ("row_number", _INT)]

# Partner formats (issue 14). ``period_start`` is the first day of the period a part is
# for (a STATS19 year; an A&E or fire month): with the force, site or service it is the
# key a newer file replaces (see csphub.ingest.partner.formats).
PART_SCHEMAS.update(
    {
        "collisions": pa.schema(
            [
                *_LINEAGE,
                ("collision_index", _STR),
                ("year", _INT),
                ("date", _DATE),
                ("time", _STR),
                ("hour", _INT),
                ("weekday", _INT),
                ("police_force", _STR),
                ("severity", _STR),
                ("enhanced_severity", _STR),
                ("adjusted_serious", _F64),
                ("adjusted_slight", _F64),
                ("vehicles", _INT),
                ("casualties", _INT),
                ("lsoa", _STR),
                ("district", _STR),
                ("highway_authority", _STR),
                ("latitude", _F64),
                ("longitude", _F64),
                ("easting", _F64),
                ("northing", _F64),
                ("road_type", _STR),
                ("speed_limit", _INT),
                ("light", _STR),
                ("weather", _STR),
                ("urban_rural", _STR),
                ("period_start", _DATE),
            ]
        ),
        "casualties": pa.schema(
            [
                *_LINEAGE,
                ("collision_index", _STR),
                ("year", _INT),
                ("police_force", _STR),
                ("vehicle_reference", _INT),
                ("casualty_reference", _INT),
                ("casualty_class", _STR),
                ("severity", _STR),
                ("enhanced_severity", _STR),
                ("adjusted_serious", _F64),
                ("adjusted_slight", _F64),
                ("sex", _STR),
                ("age", _INT),
                ("age_band", _STR),
                ("road_user", _STR),
                ("period_start", _DATE),
            ]
        ),
        "vehicles": pa.schema(
            [
                *_LINEAGE,
                ("collision_index", _STR),
                ("year", _INT),
                ("police_force", _STR),
                ("vehicle_reference", _INT),
                ("vehicle_type", _STR),
                ("driver_sex", _STR),
                ("driver_age", _INT),
                ("driver_age_band", _STR),
                ("period_start", _DATE),
            ]
        ),
        "ae-assaults": pa.schema(
            [
                *_LINEAGE,
                ("attendance_at", pa.timestamp("s")),
                ("incident_at", pa.timestamp("s")),
                ("incident_date", _DATE),
                ("hour", _INT),
                ("weekday", _INT),
                ("time_from", _STR),
                ("location_text", _STR),
                ("location_type", _STR),
                ("postcode", _STR),
                ("postcode_district", _STR),
                ("lsoa", _STR),
                ("weapon", _STR),
                ("assailant", _STR),
                ("age_band", _STR),
                ("sex", _STR),
                ("site", _STR),
                ("trust", _STR),
                ("period_start", _DATE),
            ]
        ),
        "fire-incidents": pa.schema(
            [
                *_LINEAGE,
                ("incident_id", _STR),
                ("fire_service", _STR),
                ("date", _DATE),
                ("hour", _INT),
                ("incident_type", _STR),
                ("category", _STR),
                ("property_type", _STR),
                ("deliberate", pa.bool_()),
                ("motive", _STR),
                ("lsoa", _STR),
                ("latitude", _F64),
                ("longitude", _F64),
                ("easting", _F64),
                ("northing", _F64),
                ("period_start", _DATE),
            ]
        ),
        "fire-aggregates": pa.schema(
            [
                *_LINEAGE,
                ("table", _STR),  # as agreed; "table" needs quotes in SQL, so also:
                ("table_name", _STR),
                ("area_code", _STR),
                ("area_level", _STR),
                ("period", _STR),
                ("measure", _STR),
                ("value", _F64),
                ("period_start", _DATE),
            ]
        ),
    }
)

#: The DuckDB view name of each kind of part.
VIEW_NAMES = {
    "street": "street",
    "outcomes": "outcomes",
    "stop-and-search": "stop_search",
    "events": "events",
    "collisions": "collisions",
    "casualties": "casualties",
    "vehicles": "vehicles",
    "ae-assaults": "ae_assaults",
    "fire-incidents": "fire_incidents",
    "fire-aggregates": "fire_aggregates",
}
