"""Schema of the evidence store: the DuckDB catalog tables and the Parquet part layouts.

Row-level data (police.uk street, outcomes, stop-and-search rows and partner events) lives
in Parquet parts, one per (source file, force, month), so that replacing a force-month is
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

#: The DuckDB view name of each kind of part.
VIEW_NAMES = {
    "street": "street",
    "outcomes": "outcomes",
    "stop-and-search": "stop_search",
    "events": "events",
}
