"""Options of the products that take casework from the partnership hub, and their marking.

``--hub-dir`` finds the hub as ``csphub serve --hub-dir`` and ``csphub audit verify`` do
(its SQLite file, ``hub.sqlite3``); ``--hub-database`` takes a PostgreSQL URL instead (the
hub's ``DATABASE_URL``). Neither is read from the environment: casework goes into a
product only when asked for, and the product says so when it is not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from csphub.reports.casework.hub import HubSource


def hub_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--hub-dir DIR`` and ``--hub-database URL``, passed on as ``hub_dir`` and
    ``hub_database``."""
    command = click.option(
        "--hub-database",
        metavar="URL",
        default=None,
        help="The hub's PostgreSQL database (postgresql://...), read only, instead of --hub-dir.",
    )(command)
    return click.option(
        "--hub-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="The partnership hub's folder (as csphub serve --hub-dir): add its open cases, "
        "problem places and counts of people, read only. Without it the product says so.",
    )(command)


def hub_source(hub_dir: Path | None, hub_database: str | None) -> HubSource | None:
    """The hub the options name, or None (:class:`HubUnreadable`, a ValueError, when both)."""
    return HubSource.of(hub_dir, hub_database)
