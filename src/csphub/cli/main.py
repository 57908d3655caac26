"""The ``csphub`` command."""

from __future__ import annotations

import click

from csphub import __version__
from csphub.cli.analyse import analyse
from csphub.cli.asb_report import asb_report
from csphub.cli.assess import assess
from csphub.cli.audit import audit
from csphub.cli.casework import casework
from csphub.cli.demo import demo
from csphub.cli.ingest import ingest
from csphub.cli.query import query
from csphub.cli.serve import serve
from csphub.cli.svd_needs import svd_needs
from csphub.cli.tasking import tasking


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csphub")
def cli() -> None:
    """csphub: evidence, products and coordination for a Community Safety Partnership."""


cli.add_command(ingest)
cli.add_command(query)
cli.add_command(demo)
cli.add_command(analyse)
cli.add_command(tasking)
cli.add_command(asb_report)
cli.add_command(assess)
cli.add_command(svd_needs)
cli.add_command(serve)
cli.add_command(audit)
cli.add_command(casework)


def main() -> None:
    cli()
