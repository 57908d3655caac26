"""Options and helpers shared by every command."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from csphub.store import Store, StoreError, open_store, resolve_store_path
from csphub.store.areas import Area, AreaError, resolve_area


def store_option(func):
    return click.option(
        "--store",
        "store_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Evidence store folder [default: $CSPHUB_STORE, else ./csphub-data].",
    )(func)


def store_path(store_dir: Path | None) -> Path:
    return resolve_store_path(store_dir, dict(os.environ))


@contextmanager
def opened_store(
    store_dir: Path | None, *, create: bool = False, wait: float = 0.0
) -> Iterator[Store]:
    """Open the store, turning store problems into a one-line error; a writer waits up to
    ``wait`` seconds for another ingest to finish."""
    try:
        store = open_store(store_path(store_dir), create=create, wait=wait)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    with store:
        yield store


def area_or_fail(store: Store, spec: str | None) -> Area | None:
    if spec is None:
        return None
    try:
        return resolve_area(store, spec)
    except AreaError as exc:
        raise click.ClickException(str(exc)) from None
