"""The report products, each built once per test session from one demo store, for the
accessibility and output checks (``test_accessibility.py``, ``test_outputs.py``).

Adding a product is one line in ``PRODUCTS``: its command and arguments (``--out`` and
``--store`` are added) and the folder it is written to. Every check then runs on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from csphub.cli.main import cli
from shared_demo import DEMO_AREA, built_once

#: (command arguments, output folder): one line per product.
PRODUCTS = [
    (["tasking", "--month", "2025-12", "--area", DEMO_AREA], "tasking"),
    (["assess", "--period", "2025-01..2025-12", "--area", DEMO_AREA], "assess"),
    (["asb-report", "--quarter", "2025-Q4", "--area", DEMO_AREA], "asb-report"),
    (["svd-needs", "--period", "2025-01..2025-12", "--area", DEMO_AREA], "svd-needs"),
]


@pytest.fixture(scope="session")
def demo_store(demo_run) -> Path:
    """The demo store (``csphub demo``), shared by every product."""
    return demo_run.store


@pytest.fixture(scope="session", params=PRODUCTS, ids=[folder for _, folder in PRODUCTS])
def product(request, demo_store, tmp_path_factory) -> Path:
    """The folder one product was written to (index.html, a PDF, tables.xlsx, data/),
    written once for the run and read by every worker."""
    args, folder = request.param

    def write(out: Path) -> None:
        result = CliRunner().invoke(cli, [*args, "--out", str(out), "--store", str(demo_store)])
        assert result.exit_code == 0, result.output

    return built_once(tmp_path_factory, f"product-{folder}", write)
