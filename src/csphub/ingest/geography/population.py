"""Population: ONS small-area population estimates by LSOA into ``population``.

Accepts the SAPE layout (``lsoa11_name, lsoa11_code, total_population, 0, 1, ...``) and
ONS's own headers (``LSOA Code``, ``LSOA Name``, ``All Ages``). Only the total is kept.
Each file replaces the whole table; the file loaded before is marked superseded.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from csphub.ingest.geography import columns as col
from csphub.ingest.geography.checks import (
    LSOA,
    IssueLog,
    check_code,
    reject_repeats,
    text,
    whole_numbers,
)
from csphub.ingest.geography.files import SourceFile, read_csv_text
from csphub.ingest.geography.loading import (
    Prepared,
    Written,
    no_rows_error,
    write_whole_table,
)
from csphub.store.lineage import FileRecord
from csphub.store.store import Store

TOTAL = col.rule(
    "total population",
    "e.g. total_population, All Ages",
    r"total_population|all_ages|population|total|persons|all_persons",
)


class PopulationLoader:
    kind = "population"

    def unchanged(self, store: Store, source: SourceFile, previous: FileRecord) -> bool:
        return True  # a whole-table kind: the current file is the one the table holds

    def prepare(self, source: SourceFile) -> Prepared:
        rows = read_csv_text(source)
        code_col = col.LSOA11_CODE.require(rows.header, source.name)
        total_col = TOTAL.require(rows.header, source.name)
        name_col = col.LSOA11_NAME.find(rows.header, source.name)
        issues = IssueLog(source.name)
        issues.malformed(rows)
        codes, usable = check_code(issues, rows, code_col, LSOA)
        totals = text(rows.table.column(total_col))
        numbers, ok = whole_numbers(totals)
        issues.rows(
            rows,
            ~ok,
            total_col,
            totals,
            lambda v: "empty" if v is None else f"{v!r} is not a non-negative whole number",
        )
        usable &= ok
        reject_repeats(issues, rows, code_col, codes, usable)
        names = text(rows.table.column(name_col)) if name_col else pa.nulls(len(codes), pa.string())
        table = pa.table(
            {"lsoa_code": codes, "lsoa_name": names, "population": pa.array(numbers, pa.int32())}
        ).filter(pa.array(usable))
        columns = {"lsoa_code": code_col, "population": total_col}
        if name_col:
            columns["lsoa_name"] = name_col
        prepared = Prepared(
            source, table, rows.table.num_rows + len(rows.malformed), issues, columns
        )
        if table.num_rows == 0:
            raise no_rows_error(prepared, "a population estimate per LSOA")
        prepared.notes.append(f"total population {int(pc.sum(table['population']).as_py()):,}")
        return prepared

    def write(self, store: Store, prepared: Prepared, file_id: int) -> Written:
        return write_whole_table(store, "population", self.kind, prepared, file_id)
