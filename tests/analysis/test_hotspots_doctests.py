"""The worked examples in the docstrings of the hotspot and projection modules run.

(The Gi* module's examples run esda and are checked in test_hotspots_gistar.py.)
"""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "csphub.analysis.projection",
    "csphub.analysis.hotspots.records",
    "csphub.analysis.hotspots.grid",
    "csphub.analysis.hotspots.contiguity",
    "csphub.analysis.hotspots.multitest",
    "csphub.analysis.hotspots.kde",
    "csphub.analysis.hotspots.hitrate",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
    assert result.attempted > 0
