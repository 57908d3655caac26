"""Deprivation: English Indices of Deprivation ranks and deciles into ``deprivation``.

Reads the compact layout (``lsoa_code, IMD_decile, Income_decile, ..., IMD_rank, ...``) and
the official IoD2019 File 7 headers (``LSOA code (2011)``, ``Index of Multiple Deprivation
(IMD) Rank (where 1 is most deprived)``, ``... Decile (where 1 is most deprived 10% of
LSOAs)``). Stored long: one row per LSOA and domain, the domain in lower case (``imd``,
``income``, ``housing_and_access``, ...). Scores are not stored.

A bad code drops the row; a bad rank or decile drops that one domain of that LSOA. Each
file replaces the whole table, and the file loaded before is marked superseded.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from csphub.ingest.geography import columns as col
from csphub.ingest.geography.checks import (
    LSOA,
    IssueLog,
    check_code,
    reject_repeats,
    text,
    whole_numbers,
)
from csphub.ingest.geography.files import CsvRows, GeographyFileError, SourceFile, read_csv_text
from csphub.ingest.geography.loading import (
    Prepared,
    Written,
    no_rows_error,
    write_whole_table,
)
from csphub.store.lineage import FileRecord
from csphub.store.store import Store

_MEASURE = re.compile(r"(?P<domain>.+?)_(?P<measure>rank|decile)(?:_where_1_is_most_deprived.*)?")

#: Official IoD2019 domain titles (normalised) -> the short domain names.
_ALIASES = {
    "index_of_multiple_deprivation_imd": "imd",
    "index_of_multiple_deprivation": "imd",
    "education_skills_and_training": "education",
    "health_deprivation_and_disability": "health",
    "barriers_to_housing_and_services": "housing_and_access",
    "living_environment": "environment",
    "income_deprivation_affecting_children_index_idaci": "idaci",
    "income_deprivation_affecting_older_people_idaopi": "idaopi",
}


def domain_columns(header: list[str], file_name: str) -> dict[str, dict[str, str]]:
    """Domain -> {"rank": column, "decile": column} for the rank and decile columns found."""
    found: dict[str, dict[str, str]] = {}
    for name in header:
        match = _MEASURE.fullmatch(col.normalise(name))
        if not match:
            continue
        domain = match["domain"].removesuffix("_sub_domain")
        domain = _ALIASES.get(domain, domain)
        measures = found.setdefault(domain, {})
        if match["measure"] in measures:
            raise GeographyFileError(
                f"{file_name}: two {domain} {match['measure']} columns "
                f"({measures[match['measure']]}, {name}); expected one"
            )
        measures[match["measure"]] = name
    return found


class ImdLoader:
    kind = "imd"

    def unchanged(self, store: Store, source: SourceFile, previous: FileRecord) -> bool:
        return True  # a whole-table kind: the current file is the one the table holds

    def prepare(self, source: SourceFile) -> Prepared:
        rows = read_csv_text(source)
        code_col = col.LSOA11_CODE.require(rows.header, source.name)
        domains = domain_columns(rows.header, source.name)
        if not domains:
            raise GeographyFileError(
                f"{source.name}: no rank or decile columns found (e.g. IMD_decile, IMD_rank, "
                f"or the IoD2019 File 7 headers); its columns are {col.shown(rows.header)}"
            )
        issues = IssueLog(source.name)
        issues.malformed(rows)
        codes, usable = check_code(issues, rows, code_col, LSOA)
        reject_repeats(issues, rows, code_col, codes, usable)
        parts = [_domain(rows, issues, codes, usable, d, m) for d, m in domains.items()]
        table = pa.concat_tables(parts)
        columns = {"lsoa_code": code_col}
        for domain, measures in domains.items():
            columns.update({f"{domain}_{m}": c for m, c in measures.items()})
        rows_read = rows.table.num_rows + len(rows.malformed)
        prepared = Prepared(source, table, rows_read, issues, columns)
        if table.num_rows == 0:
            raise no_rows_error(prepared, "deprivation ranks and deciles per LSOA")
        prepared.notes.append(f"{int(usable.sum())} LSOAs; domains: {', '.join(domains)}")
        return prepared

    def write(self, store: Store, prepared: Prepared, file_id: int) -> Written:
        return write_whole_table(store, "deprivation", self.kind, prepared, file_id)


def _domain(
    rows: CsvRows,
    issues: IssueLog,
    codes: pa.Array,
    usable: np.ndarray,
    domain: str,
    measures: dict[str, str],
) -> pa.Table:
    """The long rows of one domain for the usable LSOAs whose rank and decile are good."""
    ok = usable.copy()
    values: dict[str, pa.Array] = {}
    for measure in ("rank", "decile"):
        column = measures.get(measure)
        if column is None:
            values[measure] = pa.nulls(len(codes), pa.int32())
            continue
        raw = text(rows.table.column(column))
        numbers, good = whole_numbers(raw)
        good &= (numbers >= 1) & ((numbers <= 10) if measure == "decile" else True)
        expected = "a whole number from 1 to 10" if measure == "decile" else "a whole number >= 1"
        issues.rows(
            rows,
            usable & ~good,
            column,
            raw,
            lambda v, e=expected: "empty" if v is None else f"{v!r} is not {e}",
        )
        ok &= good
        values[measure] = pa.array(numbers, pa.int32())
    table = pa.table(
        {
            "lsoa_code": codes,
            "domain": pa.array([domain] * len(codes), pa.string()),
            "rank": values["rank"],
            "decile": values["decile"],
        }
    )
    return table.filter(pa.array(ok))
