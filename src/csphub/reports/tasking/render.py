"""Render a :class:`TaskingPack` as one self-contained HTML page and its tables as CSV.

The page has inline CSS and inline SVG (nothing fetched, no scripts), ``lang="en-GB"``,
a skip link, one ``h1`` then ``h2``/``h3`` in order, every chart and map followed by its
data table (long ones inside ``<details>``), and tables with captions and scoped headers.
"""

from __future__ import annotations

import csv
from html import escape
from importlib.resources import files
from pathlib import Path

from csphub.reports.svg import format_number
from csphub.reports.tasking.model import Figure, Section, Table, TaskingPack

#: Tables longer than this after a figure are folded into ``<details>``.
FOLD_ROWS = 15


def stylesheet() -> str:
    return files("csphub.reports.tasking").joinpath("style.css").read_text(encoding="utf-8")


def _cell(value: object) -> tuple[str, bool]:
    """Text of a cell and whether it is numeric."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("Yes" if value else "No"), False
    if isinstance(value, int):
        return format_number(value), True
    if isinstance(value, float):
        decimals = 0 if value.is_integer() else min(len(repr(value).partition(".")[2]), 4)
        return format_number(value, decimals), True
    return str(value), False


def render_table(table: Table) -> str:
    numeric = {c: any(_cell(r.get(c))[1] for r in table.rows) for c in table.columns}
    num = " govuk-table__header--numeric"
    head = "".join(
        f'<th scope="col" class="govuk-table__header{num if numeric[c] else ""}">{escape(c)}</th>'
        for c in table.columns
    )
    body = []
    for row in table.rows:
        cells = []
        for i, c in enumerate(table.columns):
            text, is_num = _cell(row.get(c))
            cls = "govuk-table__cell" + (" govuk-table__cell--numeric" if is_num else "")
            cls += " app-hash" if c == "SHA-256" else ""
            tag = ("th", ' scope="row"') if i == 0 else ("td", "")
            cells.append(f'<{tag[0]}{tag[1]} class="{cls}">{escape(text)}</{tag[0]}>')
        body.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
    return (
        f'<div class="app-table-wrap"><table class="govuk-table" id="table-{escape(table.id)}">'
        f'<caption class="govuk-table__caption">{escape(table.caption)}</caption>'
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{"".join(body)}</tbody></table></div>'
        f'<p class="govuk-body"><a href="data/{escape(table.id)}.csv">Download this table '
        f"as CSV ({escape(table.id)}.csv)</a></p>"
    )


def render_figure(figure: Figure) -> str:
    table = render_table(figure.table)
    if len(figure.table.rows) > FOLD_ROWS:
        table = (
            '<details class="govuk-details"><summary class="govuk-details__summary">'
            f"Data behind this drawing: {escape(figure.svg.title)}</summary>"
            f'<div class="govuk-details__text">{table}</div></details>'
        )
    return (
        f"<figure><figcaption>{escape(figure.svg.title)}</figcaption>"
        f'{figure.svg.markup}<p class="govuk-body">{escape(figure.svg.description)}</p>'
        f"</figure>{table}"
    )


def render_section(section: Section, level: int = 2) -> str:
    cls = "govuk-heading-l" if level == 2 else "govuk-heading-m"
    parts = [f'<section id="{escape(section.id)}">']
    parts.append(f'<h{level} class="{cls}">{escape(section.title)}</h{level}>')
    if section.unavailable:
        parts.append(f'<div class="govuk-inset-text">{escape(section.unavailable)}</div>')
    parts += [f'<p class="govuk-body">{escape(p)}</p>' for p in section.paragraphs]
    parts += [render_table(t) for t in section.tables]
    parts += [render_figure(f) for f in section.figures]
    parts += [render_section(s, level + 1) for s in section.subsections]
    parts.append("</section>")
    return "\n".join(parts)


def render_html(pack: TaskingPack) -> str:
    """The whole page as one string."""
    contents = "".join(
        f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in pack.sections
    )
    sections = "\n".join(render_section(s) for s in pack.sections)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(pack.title)}</title>
<style>
{stylesheet()}</style>
</head>
<body>
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header">csphub</header>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
<span class="govuk-caption-l">{escape(pack.area_name)} ({escape(pack.area_code)})</span>
<h1 class="govuk-heading-xl">{escape(pack.title)}</h1>
<nav aria-label="Contents"><ul class="govuk-list">{contents}</ul></nav>
{sections}
</main>
</div>
<footer class="govuk-footer">Draft generated by csphub from the evidence store. Every
number on this page is in a table, and every table is in the data folder as CSV.</footer>
</body>
</html>
"""


def write_csv(table: Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in table.columns])


def write_pack(pack: TaskingPack, out: Path) -> list[Path]:
    """Write ``index.html`` and ``data/{table}.csv``; returns the paths written."""
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    index.write_text(render_html(pack), encoding="utf-8")
    paths = [index]
    for table in pack.tables():
        path = data / f"{table.id}.csv"
        write_csv(table, path)
        paths.append(path)
    return paths
