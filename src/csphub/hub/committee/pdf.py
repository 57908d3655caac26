"""The committee report's PDF: made once per version of the data, kept in the hub folder,
and fresh renders limited per user.

Laying out the PDF takes WeasyPrint about a second and a half; gathering the report's data
and building its HTML about ten milliseconds (ten queries). So:

- **One PDF per version of the data.** A kept PDF is named after the SHA-256 digest of
  the very HTML that WeasyPrint lays out, which is built from everything the report reads
  (agencies, the plan's priorities, groups, meetings held in the period with their agenda
  and decisions, actions) and today's date (the period ends today). Any change the report
  shows names a new PDF, and a change it does not show (a scheduled meeting, an action's
  note) reuses the kept one. A cheaper fingerprint of counts and latest ids or times would
  miss edits in place, since meetings, agenda items, decisions, groups and agencies keep
  no "updated" time: a decision marked exempt after the public PDF was made would leave
  its text in the public PDF still served.
- **Kept in the hub folder** (``committee-report/``: the folder 0700, each file 0600),
  written under a temporary name and renamed, so a reader finds a whole PDF or none (and a
  kept file that is not a whole PDF, say after a crash, is made again). Two workers making
  the same PDF at once both write it and the last rename wins. When a PDF is written, the
  older PDFs of its version (public or full) are deleted.
- **Fresh renders are limited per user**: ``COMMITTEE_PDF_RENDER_LIMIT`` in a window of
  ``COMMITTEE_PDF_RENDER_WINDOW_SECONDS`` (the window starts at the first render). A
  render is claimed before it starts, by one conditional UPDATE of the user's
  :class:`~.models.RenderCounter`, so concurrent requests cannot all find room. A kept PDF
  is always served and claims nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from csphub.hub import private_folder
from csphub.hub.committee.models import RenderCounter
from csphub.reports.document import Report, write_pdf
from csphub.reports.document.html import render_html

FOLDER = "committee-report"
#: A temporary file older than this was left by a render that died: it is deleted.
STALE_SECONDS = 3600


class TooMany(Exception):
    """The user has had their fresh renders for this window; ``until`` it ends."""

    def __init__(self, until: dt.datetime):
        super().__init__(f"too many fresh renders until {until.isoformat()}")
        self.until = until


def folder() -> Path:
    """The hub folder's ``committee-report/``, private (both made 0700 if need be)."""
    hub = private_folder(Path(settings.HUB_DIR))
    return private_folder(hub / FOLDER)


def kept_path(report: Report) -> Path:
    """Where the PDF of ``report`` is kept: its version and the digest of its print HTML."""
    version = report.parameters["version"]
    digest = hashlib.sha256(render_html(report, for_print=True).encode("utf-8")).hexdigest()
    return folder() / f"{version}-{digest}.pdf"


def whole(data: bytes) -> bool:
    """A complete PDF: its header at the start, its end-of-file marker at the end."""
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def pdf_for(report: Report, user: Any) -> bytes:
    """The PDF of ``report``: the kept one, or made now (claiming one of ``user``'s
    renders: :class:`TooMany` when none is left, before any work). A
    :class:`~csphub.reports.document.PdfError` when it cannot be made."""
    path = kept_path(report)
    with suppress(FileNotFoundError):
        data = path.read_bytes()
        if whole(data):
            return data
    claim(user)
    return _write(report, path)


def claim(user: Any) -> None:
    """One fresh render for ``user``, or :class:`TooMany` (nothing claimed)."""
    limit = settings.COMMITTEE_PDF_RENDER_LIMIT
    window = dt.timedelta(seconds=settings.COMMITTEE_PDF_RENDER_WINDOW_SECONDS)
    now = timezone.now()
    ended = Q(started__lte=now - window)
    RenderCounter.objects.bulk_create(
        [RenderCounter(user=user, started=now, count=0)], ignore_conflicts=True
    )
    claimed = RenderCounter.objects.filter(Q(user=user) & (ended | Q(count__lt=limit))).update(
        count=Case(When(ended, then=Value(1)), default=F("count") + 1),
        started=Case(When(ended, then=Value(now)), default=F("started")),
    )
    if not claimed:
        started = RenderCounter.objects.filter(user=user).values_list("started", flat=True)
        raise TooMany((started.first() or now) + window)


def make(report: Report) -> bytes:
    """Make the PDF of ``report`` now and keep it (no claim: :func:`pdf_for` claims)."""
    return _write(report, kept_path(report))


def _write(report: Report, path: Path) -> bytes:
    """Write the PDF under a temporary name (0600, beside ``path``), rename it to
    ``path`` and return its bytes; then delete the older PDFs of its version."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".rendering-", suffix=".pdf")
    os.close(fd)
    temporary = Path(name)
    try:
        write_pdf(report, temporary)
        data = temporary.read_bytes()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _prune(path)
    return data


def _prune(kept: Path) -> None:
    version = kept.name.split("-", 1)[0]
    for old in kept.parent.glob(f"{version}-*.pdf"):
        if old.name != kept.name:
            old.unlink(missing_ok=True)
    dead = time.time() - STALE_SECONDS
    for temporary in kept.parent.glob(".rendering-*.pdf"):
        with suppress(FileNotFoundError):
            if temporary.stat().st_mtime < dead:
                temporary.unlink()
