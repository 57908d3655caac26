"""What tests share across pytest-xdist workers: a folder built once for the whole run
(:func:`built_once`) and the demo borough (:func:`build_demo`, :class:`DemoRun`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from filelock import FileLock

from csphub.cli.main import cli


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name``, built by ``build(folder)`` once for the whole test run.

    With pytest-xdist the first worker to ask builds it (under a file lock) in the run's
    temporary folder, which every worker shares, and the others wait and reuse it. A
    build that did not finish (no ``.built`` mark) is thrown away and done again."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/, above each worker's popen-gwK/
    target = base / name
    mark = base / f"{name}.built"
    with FileLock(str(base / f"{name}.lock")):
        if not mark.exists():
            shutil.rmtree(target, ignore_errors=True)
            build(target)
            mark.touch()
    return target


DEMO_SEED = 2026
DEMO_AREA = "E06999001"


@dataclass(frozen=True)
class DemoRun:
    """``csphub demo --seed 2026 --no-pdf --no-serve``: the generated files, the store,
    the four products and the demo hub in ``out``, and what the command printed."""

    out: Path
    printed: str  # stderr, with the folder it was built in shown as ``out``

    @property
    def store(self) -> Path:
        return self.out / "store"


def build_demo(out: Path) -> None:
    args = ["demo", "--out", str(out), "--seed", str(DEMO_SEED), "--no-pdf", "--no-serve"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (out / "printed.txt").write_text(result.stderr, encoding="utf-8")
