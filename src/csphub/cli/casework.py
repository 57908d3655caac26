"""``csphub casework``: casework tasks run from the command line (the batch duplicate
finder); the pages are in the hub."""

from __future__ import annotations

from pathlib import Path

import click

from csphub.cli.audit import _check_database


@click.group()
def casework() -> None:
    """Casework in the partnership hub."""


@casework.command()
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.9,
    show_default=True,
    help="Queue pairs whose match probability is at least this.",
)
@click.option(
    "--hub-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The hub folder [default: $CSPHUB_HUB_DIR or ./csphub-hub]. Unused when "
    "DATABASE_URL is set.",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Sampling seed.")
def dedupe(threshold: float, hub_dir: Path | None, seed: int) -> None:
    """Find likely duplicate people across the hub and queue them for review.

    Scores every blocked pair of people (not merged) with Splink and queues each new pair
    at or above the threshold in the merge-review queue. Nothing is merged.
    """
    _check_database(hub_dir)
    from csphub.hub import setup

    setup(hub_dir)
    from csphub.hub.audit.context import system
    from csphub.hub.casework.dedupe import find_duplicates

    result = find_duplicates(system("casework dedupe"), threshold=threshold, seed=seed)
    click.echo(
        f"{result.people:,} people; {result.compared:,} pairs compared; "
        f"{result.scored:,} scored at or above {threshold:g}; {result.queued:,} queued "
        f"({result.known:,} already queued or decided)."
    )
