"""Every table of a report in one XLSX workbook: a contents sheet, then a sheet a table.

Sheet names are limited to 31 characters, so the contents sheet maps each sheet to its
table id (the CSV's name) and caption.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from csphub.reports.document.model import Report, Table

MAX_SHEET_NAME = 31


def _sheet_names(tables: list[Table]) -> list[str]:
    names: list[str] = []
    for i, table in enumerate(tables, start=1):
        prefix = f"{i:02d} "
        names.append(prefix + table.id[: MAX_SHEET_NAME - len(prefix)])
    return names


def _cell_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def write_xlsx(report: Report, path: Path) -> Path:
    """Write ``path`` and return it."""
    tables = report.tables()
    names = _sheet_names(tables)
    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    contents.append([report.title])
    contents["A1"].font = Font(bold=True, size=14)
    if report.protective_marking:  # beside the title, so the sheet's rows keep their places
        contents["B1"] = f"{report.protective_marking}: lists person, address or event ids"
        contents["B1"].font = Font(bold=True)
    contents.append([f"{report.area_name} ({report.area_code}), {report.period}"])
    marking = report.protective_marking
    contents.append([marking] if marking else [])  # row 3: blank or the marking
    if marking:
        contents["A3"].font = Font(bold=True)
    contents.append(["Sheet", "Table (CSV name)", "Caption", "Rows"])
    for cell in contents[4]:
        cell.font = Font(bold=True)
    for name, table in zip(names, tables, strict=True):
        contents.append([name, table.id, table.caption, len(table.rows)])
    for column, width in zip("ABCD", (34, 34, 90, 8), strict=True):
        contents.column_dimensions[column].width = width
    for name, table in zip(names, tables, strict=True):
        sheet = book.create_sheet(name)
        sheet.append([table.caption])
        sheet["A1"].font = Font(bold=True)
        sheet.append(list(table.columns))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell_value(row.get(c)) for c in table.columns])
        for i, column in enumerate(table.columns, start=1):
            longest = max([len(str(column))] + [len(str(r.get(column) or "")) for r in table.rows])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)
        sheet.freeze_panes = "A3"
    if marking:  # printed at the top and foot of every sheet
        for sheet in book.worksheets:
            sheet.oddHeader.center.text = sheet.oddFooter.center.text = marking
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
