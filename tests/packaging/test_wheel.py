"""The wheel holds every file under ``src/csphub``: what a user gets from ``pip install .``
(README command 1) is what the tests run against in an editable install.

The expectation is the source tree itself, walked here, not the package configuration:
leave a data file, template or stylesheet out of ``pyproject.toml`` and this fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "csphub"
NOT_SHIPPED = {"__pycache__"}  # bytecode a test run leaves beside the sources


def source_files() -> set[str]:
    """Every file under src/csphub, as its path in the wheel (``csphub/...``)."""
    found = set()
    for path in PACKAGE.rglob("*"):
        relative = path.relative_to(PACKAGE.parent)
        if path.is_file() and not NOT_SHIPPED & set(relative.parts) and path.suffix != ".pyc":
            found.add(relative.as_posix())
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the project (so no stale ``build/`` is reused and
    nothing is left in the checkout), as ``pip install .`` builds it."""
    work = tmp_path_factory.mktemp("wheel")
    project = work / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(
        ROOT / "src",
        project / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(work),
            str(project),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (built,) = work.glob("csphub-*.whl")
    return built


@pytest.mark.slow
def test_every_file_under_src_csphub_is_in_the_wheel(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if n.startswith("csphub/")}
    expected = source_files()
    missing = sorted(expected - shipped)
    assert not missing, f"{len(missing)} files of src/csphub are not in the wheel: {missing}"
    # The files the code reads at run time, named here so an empty tree cannot pass.
    for needed in (
        "csphub/hub/demo/partnership.json",
        "csphub/hub/access/data/roles.csv",
        "csphub/hub/static/hub.css",
        "csphub/hub/templates/hub/base.html",
        "csphub/reports/document/style.css",
        "csphub/data/harm/css_2020_by_policeuk.csv",
        "csphub/data/assessment/priorities.csv",
    ):
        assert needed in shipped
    assert not [n for n in shipped if n.endswith(".pyc") or "__pycache__" in n]
