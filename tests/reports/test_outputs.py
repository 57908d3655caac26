"""The PDF and XLSX of every report product (``PRODUCTS`` in ``conftest.py``).

PDF: poppler's ``pdftoppm`` renders the pages (more than one, none blank) and
``pdftotext`` reads the text back (the title, a number from the first table, and every
column of a deliberately wide table). These skip when poppler-utils is not installed.
XLSX: a Contents sheet, then one sheet per CSV in ``data/`` holding the same rows.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image, ImageStat

from csphub.reports.document import Report, Section, Table, write_pdf
from csphub.reports.document.html import render_html, stylesheet

#: Grey-level variance (0-255 scale) above which a page at 40 dpi has content: a page
#: with only "Page 1 of 1" measures about 2, one short line of text about 19.
BLANK_VARIANCE = 5.0


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not found: apt-get install poppler-utils")
    return path


def _pdf(folder: Path) -> Path:
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 1, pdfs
    return pdfs[0]


def _page_images(pdf: Path, out: Path) -> list[Path]:
    subprocess.run([_tool("pdftoppm"), "-r", "40", "-png", str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"))


def _variance(png: Path) -> float:
    with Image.open(png) as image:
        return ImageStat.Stat(image.convert("L")).var[0]


def _text(pdf: Path) -> str:
    """The PDF's text with all whitespace (line ends too) as single spaces."""
    result = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return " ".join(result.stdout.split())


def test_pdf_renders_more_than_one_page_and_none_is_blank(product, tmp_path):
    pages = _page_images(_pdf(product), tmp_path)
    assert len(pages) > 1
    blank = [p.name for p in pages if _variance(p) <= BLANK_VARIANCE]
    assert blank == []


def test_the_blank_page_check_tells_a_numbered_empty_page_from_one_line(tmp_path):
    from weasyprint import HTML

    for name, body, blank in [("empty", "", True), ("line", "<p>One short line.</p>", False)]:
        page = f"<html><head><style>{stylesheet()}</style></head><body>{body}</body></html>"
        HTML(string=page).write_pdf(tmp_path / f"{name}.pdf")
        (tmp_path / name).mkdir()
        [png] = _page_images(tmp_path / f"{name}.pdf", tmp_path / name)
        assert (_variance(png) <= BLANK_VARIANCE) is blank, name


def test_pdf_text_has_the_title_and_a_number_from_the_first_table(product):
    page = (product / "index.html").read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))
    first_table = page[page.index("<table") :]
    numeric = r'<td class="[^"]*govuk-table__cell--numeric[^"]*">([^<]+)</td>'
    number = re.search(numeric, first_table)
    assert number, "the first table has no numeric cell"
    text = _text(_pdf(product))
    assert " ".join(title.split()) in text
    assert html.unescape(number.group(1)) in text


def _past_the_right_edge(document) -> list[str]:
    """Elements that WeasyPrint laid out past the right edge of their page's content box
    (they would be cut off). ``_page_box`` is WeasyPrint's own box tree: there is no public
    API for it, so a change there fails this loudly rather than passing."""
    found = set()
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            if getattr(box, "element_tag", None) and hasattr(box, "margin_width"):
                end = box.position_x + box.margin_width()
                if end > right + 1:
                    name = f"<{box.element_tag} id={box.element.get('id')!r}>"
                    found.add(f"page {number}: {name} ends at {end:.0f}px, page at {right:.0f}px")
    return sorted(found)


def _wide_report() -> Report:
    # 14 columns, long references and names, unbroken dates and numbers.
    columns = [f"Head{i:02d}" for i in range(13)] + ["Lastcol"]
    rows = [
        {
            **{c: f"Demoshire-Constabulary:PE-{r:07d}/2025" for c in columns[:2]},
            **{c: "Brackwater Central and Promenade" for c in columns[2:6]},
            **{c: 12345.6 + r for c in columns[6:10]},
            **{c: "2025-12-31" for c in columns[10:13]},
            "Lastcol": f"Z{r:02d}",
        }
        for r in range(8)
    ]
    table = Table.of("wide", "A wide table", rows, columns)
    return Report("Wide", "E06999001", "Brackwater", "2025", (Section("s", "S", (), (table,)),))


def test_print_layout_keeps_a_wide_table_inside_the_page():
    from weasyprint import HTML

    document = HTML(string=render_html(_wide_report(), for_print=True)).render()
    assert _past_the_right_edge(document) == []


def test_print_layout_check_finds_a_table_past_the_page_edge():
    from weasyprint import HTML

    page = render_html(_wide_report(), for_print=True).replace(
        "</style>", ".govuk-table { width: 300mm; }</style>"
    )
    found = _past_the_right_edge(HTML(string=page).render())
    assert any("<table id='table-wide'>" in f for f in found), found


def test_print_layout_keeps_every_element_of_the_page_inside_the_page(product):
    from weasyprint import HTML

    document = HTML(filename=str(product / "index.html")).render()
    assert _past_the_right_edge(document) == []


def test_pdf_text_has_every_column_of_a_wide_table(tmp_path):
    # The PDF's text is clipped to the page: a column cut off at the edge is missing.
    text = _text(write_pdf(_wide_report(), tmp_path / "wide.pdf"))
    missing = [w for w in ["Lastcol", *(f"Z{r:02d}" for r in range(8))] if w not in text]
    assert missing == []


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _same(csv_value: str, cell: object) -> bool:
    """A CSV field and the workbook cell written from the same value."""
    if cell is None:
        return csv_value == ""
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return csv_value == str(cell)
    try:
        return float(csv_value) == cell
    except ValueError:
        return False


def test_xlsx_has_contents_and_one_sheet_per_csv_with_the_same_rows(product):
    book = load_workbook(product / "tables.xlsx")
    assert book.sheetnames[0] == "Contents"
    contents = list(book["Contents"].iter_rows(min_row=5, values_only=True))
    sheet_of = {table_id: sheet for sheet, table_id, _caption, _rows in contents if sheet}
    csvs = {p.stem: p for p in (product / "data").glob("*.csv")}
    assert csvs and sorted(sheet_of) == sorted(csvs)
    assert sorted(sheet_of.values()) == sorted(book.sheetnames[1:])
    for table_id, path in csvs.items():
        expected = _csv_rows(path)
        # Row 1 is the caption; the header and data rows follow.
        got = list(book[sheet_of[table_id]].iter_rows(min_row=2, values_only=True))
        assert len(got) == len(expected), table_id
        for n, (want, have) in enumerate(zip(expected, got, strict=True), start=1):
            assert len(have) == len(want), (table_id, n)
            bad = [(w, h) for w, h in zip(want, have, strict=True) if not _same(w, h)]
            assert bad == [], (table_id, n)
