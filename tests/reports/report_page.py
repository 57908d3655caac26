"""Read a report page (``index.html``) back: headings in order, every table with its caption,
header scopes and cell texts, and the paragraphs of the text (outside figures)."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path


class Page(HTMLParser):
    """Headings, tables (caption, header scopes, rows of cell texts) and paragraphs."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tables: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self.paragraphs: list[str] = []  # class govuk-body, outside <figure>
        self._in_caption = False
        self._cell: list[str] | None = None
        self._paragraph: list[str] | None = None
        self._figures = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables.append(
                {"id": attrs.get("id"), "caption": "", "rows": 0, "th": [], "cells": []}
            )
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"] += 1
            self.tables[-1]["cells"].append([])
        elif tag in ("th", "td") and self.tables:
            if tag == "th":
                self.tables[-1]["th"].append(attrs.get("scope"))
            self._cell = []
        elif tag == "figure":
            self._figures += 1
        elif (
            tag == "p" and "govuk-body" in (attrs.get("class") or "").split() and not self._figures
        ):
            self._paragraph = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1]["cells"][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "figure":
            self._figures -= 1
        elif tag == "p" and self._paragraph is not None:
            self.paragraphs.append("".join(self._paragraph))
            self._paragraph = None

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        if self._cell is not None:
            self._cell.append(data)
        if self._paragraph is not None:
            self._paragraph.append(data)


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
