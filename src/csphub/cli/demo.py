"""``csphub demo``: generate the demo borough and load it through the real ingest path."""

from __future__ import annotations

import click


@click.command()
def demo() -> None:
    """Generate the synthetic demo borough and ingest it."""
    raise click.ClickException("not wired yet")
