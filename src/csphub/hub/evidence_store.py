"""The evidence store as the hub reads it: read-only and briefly, with a stamp for caches.

The store is ``settings.CSPHUB_STORE``. DuckDB lets one process write or several read, so
the hub opens the store only for the moment it reads: a connection kept open would stop
the next ``csphub ingest``. Results are cached by the catalog's modification time
(:func:`catalog_stamp`), so a new ingest is picked up. When the store cannot be opened,
:class:`StoreUnavailable` says why in words fit for a page (no path, no process id).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from csphub.store import Store

#: Why a store could not be read, in words for a page.
REASONS = {
    "missing": "the evidence store has not been set up on this server",
    "busy": "the evidence store is being updated; try again in a few minutes",
    "unreadable": "the evidence store could not be read; the system administrator can see why",
}


class StoreUnavailable(Exception):
    """The store cannot be read now; ``reason`` is a key of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or REASONS[reason])
        self.reason = reason

    @property
    def plain(self) -> str:
        return REASONS[self.reason]


def store_root() -> Path:
    """The evidence store folder the hub reads (``settings.CSPHUB_STORE``)."""
    return Path(getattr(settings, "CSPHUB_STORE", "csphub-data"))


def catalog_stamp(root: Path) -> tuple[str, int] | None:
    """(store folder, catalog modification time) for cache keys; None when no store."""
    from csphub.store.store import CATALOG_FILE

    catalog = root / CATALOG_FILE
    if not catalog.is_file():
        return None
    return str(root.resolve()), catalog.stat().st_mtime_ns


@contextmanager
def reading(root: Path) -> Iterator[Store]:
    """The store opened read-only for one read, closed after it.

    Raises :class:`StoreUnavailable`: ``missing`` without a catalog, ``busy`` when an
    ingest holds the lock, ``unreadable`` otherwise (the detail keeps DuckDB's message for
    the log, never for the page).
    """
    import duckdb

    from csphub.store import StoreError, open_store
    from csphub.store.store import StoreBusy

    if catalog_stamp(root) is None:
        raise StoreUnavailable("missing")
    try:
        store = open_store(root, create=False, read_only=True)
    except (StoreError, duckdb.Error) as exc:
        # DuckDB's own words for a lock held by another process: "Could not set lock ...
        # Conflicting lock is held in ... (PID n)".
        # The store says so itself (StoreBusy) since ingest learnt to wait for the lock.
        busy = isinstance(exc, StoreBusy) or "lock" in str(exc).lower()
        reason = "busy" if busy else "unreadable"
        raise StoreUnavailable(reason, str(exc)) from None
    with store:
        yield store
