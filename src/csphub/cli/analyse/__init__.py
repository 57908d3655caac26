"""``csphub analyse``: the analysis library run on the evidence store.

Thin shells: parse options, read inputs with ``csphub.analysis.store_inputs``, call the
library, print (see ``shared``). The analysis modules are imported inside each command, so
``csphub`` starts quickly and esda is only ever imported by ``analyse hotspots``.
"""

from __future__ import annotations

import click

from csphub.cli.analyse.baseline import baseline_cmd
from csphub.cli.analyse.change import change_cmd
from csphub.cli.analyse.concentration import concentration_cmd
from csphub.cli.analyse.harm import harm_cmd
from csphub.cli.analyse.hotspots import hotspots_cmd
from csphub.cli.analyse.nearrepeat import near_repeat_alert_cmd, near_repeat_cmd
from csphub.cli.analyse.vol import vol_cmd
from csphub.cli.analyse.wdd import wdd_cmd


@click.group()
def analyse() -> None:
    """Run the analysis library on the evidence store: harm, change, baselines, WDD,
    hotspots, near repeats, concentration and VOL."""


for command in (
    harm_cmd,
    change_cmd,
    baseline_cmd,
    wdd_cmd,
    hotspots_cmd,
    near_repeat_cmd,
    near_repeat_alert_cmd,
    concentration_cmd,
    vol_cmd,
):
    analyse.add_command(command)
