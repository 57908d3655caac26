"""``csphub audit``: the partnership hub's audit trail from the command line."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class CannotVerify(click.ClickException):
    """No trail to check (no database, not migrated, unreadable): exit status 2, apart
    from a trail with breaks (1)."""

    exit_code = 2


def _rows(n: int) -> str:
    return f"{n} row{'s' * (n != 1)}"


@click.group()
def audit() -> None:
    """The partnership hub's audit trail."""


def _anchors(values: tuple[str, ...]) -> dict[int, str]:
    out = {}
    for value in values:
        if not (match := ANCHOR.match(value.strip().lower())):
            raise click.BadParameter(
                f"{value!r} is not SEQ:HASH (a row number, a colon, 64 hex digits)",
                param_hint="--anchor",
            )
        out[int(match[1])] = match[2]
    return out


def _check_database(hub_dir: Path | None) -> None:
    """A missing SQLite file is an error, not a new empty hub."""
    if os.environ.get("DATABASE_URL"):
        return
    folder = hub_dir or Path(os.environ.get("CSPHUB_HUB_DIR", "csphub-hub"))
    if not (folder / "hub.sqlite3").is_file():
        raise CannotVerify(
            f"no hub database at {folder / 'hub.sqlite3'}: give the hub folder with --hub-dir "
            "(or DATABASE_URL for PostgreSQL)"
        )


@audit.command()
@click.option(
    "--hub-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The hub folder [default: $CSPHUB_HUB_DIR or ./csphub-hub]. Unused when "
    "DATABASE_URL is set.",
)
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    metavar="SEQ:HASH",
    help="A head printed by an earlier run and kept outside the database; the row with "
    "that seq must still have that hash. Repeatable.",
)
def verify(hub_dir: Path | None, anchors: tuple[str, ...]) -> None:
    """Check the audit trail's hash chain, row by row in order.

    Each row's hash is computed again from its fields and the previous row's hash. Prints
    "N rows, chain intact" and the head (exit status 0), or every break (exit status 1):
    a changed row, rows deleted (a gap in seq), a row rewritten with a new hash or rows
    reordered (the next row's link breaks), a row deleted and written again (its id out of
    order). No database, or one not migrated: exit status 2. Read-only: it neither
    migrates nor writes.
    """
    expected = _anchors(anchors)
    _check_database(hub_dir)
    from csphub.hub import setup

    setup(hub_dir)
    from django.db import DatabaseError

    from csphub.hub.audit.chain import Walk
    from csphub.hub.audit.verify import check_trail, migrated

    try:
        if not migrated():
            raise CannotVerify(
                "the hub's database is not migrated to the hash chain: run csphub serve "
                "(which migrates) first"
            )
        walk = Walk()
        breaks = 0
        for found in check_trail(walk, expected):
            breaks += 1
            click.echo(str(found))
    except DatabaseError as exc:
        raise CannotVerify(f"cannot read the audit trail: {exc}") from None
    if breaks:
        click.echo(f"{_rows(walk.rows)}, {breaks} break{'s' * (breaks != 1)} in the chain.")
        sys.exit(1)
    click.echo(f"{_rows(walk.rows)}, chain intact.")
    if walk.rows:
        click.echo(
            f"Head: seq {walk.head_seq}, hash {walk.head_hash}. Keep it outside the database "
            f"and check it later with --anchor {walk.head_seq}:{walk.head_hash}."
        )
