"""Write a :class:`Report` to a folder: ``index.html``, ``data/*.csv`` and, when asked,
one XLSX workbook and a PDF of the same page."""

from __future__ import annotations

import csv
from pathlib import Path

from csphub.reports.document.html import render_html
from csphub.reports.document.model import Report, Table


def write_csv(table: Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in table.columns])


def write_html_and_csv(report: Report, out: Path) -> list[Path]:
    """Write ``index.html`` and ``data/{table}.csv``; returns the paths written."""
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    index.write_text(render_html(report), encoding="utf-8")
    paths = [index]
    for table in report.tables():
        path = data / f"{table.id}.csv"
        write_csv(table, path)
        paths.append(path)
    return paths
