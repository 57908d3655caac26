"""axe-core in headless Debian chromium, driven by Playwright: no browser download.

Playwright launches the system chromium (``$CSPHUB_CHROMIUM``, else ``/usr/bin/chromium``,
else ``chromium`` on the PATH); ``playwright install`` is never run. axe-core is the
``axe.min.js`` that the ``axe-playwright-python`` package bundles, injected into the page.

Without chromium the tests that need it skip, saying so, unless ``CSPHUB_REQUIRE_BROWSER``
is set (CI sets it): then they fail, so accessibility is never skipped silently.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: WCAG 2.0, 2.1 and 2.2, levels A and AA: axe-core's tags for them.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
#: What a run reports: WCAG A and AA plus axe's best practices.
TAGS = (*WCAG_TAGS, "best-practice")
#: The impacts that fail a test; "minor" and "moderate" are reported only.
FAILING = frozenset({"serious", "critical"})
#: Desktop, and the 320 CSS px at which WCAG 1.4.10 (reflow) asks for no sideways scroll.
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}

DEBIAN_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "apt-get install chromium (Debian's package; Playwright's browsers are not used)"


def chromium_path() -> str | None:
    """``$CSPHUB_CHROMIUM``, else Debian's ``/usr/bin/chromium``, else ``chromium`` on the
    PATH; ``None`` when there is none. A ``$CSPHUB_CHROMIUM`` that is not a file is
    returned as it is, so the launch fails and says which path was wrong."""
    if os.environ.get("CSPHUB_CHROMIUM"):
        return os.environ["CSPHUB_CHROMIUM"]
    if Path(DEBIAN_CHROMIUM).is_file():
        return DEBIAN_CHROMIUM
    return shutil.which("chromium")


def browser_required() -> bool:
    return os.environ.get("CSPHUB_REQUIRE_BROWSER", "") not in ("", "0")


def require_chromium() -> str:
    """The chromium to launch, or skip the test (fail it under ``CSPHUB_REQUIRE_BROWSER``)."""
    path = chromium_path()
    missing = None
    if path is None:
        missing = f"no chromium found (set CSPHUB_CHROMIUM, or {INSTALL_HINT})"
    else:
        try:
            import axe_playwright_python  # noqa: F401
            import playwright  # noqa: F401
        except ImportError as exc:
            missing = f"{exc.name} is not installed: pip install -e '.[test]'"
    if missing is None:
        return path
    if browser_required():
        pytest.fail(f"CSPHUB_REQUIRE_BROWSER is set but {missing}", pytrace=False)
    pytest.skip(missing)


def axe_script_path() -> Path:
    from axe_playwright_python.base import AXE_FILE_PATH

    return Path(AXE_FILE_PATH)


def bundled_axe_version() -> str:
    """The version in the bundled ``axe.min.js`` banner (``/*! axe v4.12.1``)."""
    head = axe_script_path().read_text(encoding="utf-8")[:200]
    match = re.search(r"axe v(\d+\.\d+\.\d+)", head)
    assert match, f"no version banner in {axe_script_path()}"
    return match.group(1)


@contextmanager
def open_page(path: Path, viewport: dict[str, int] = DESKTOP) -> Iterator[Any]:
    """A Playwright page showing the local file ``path`` in headless system chromium."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            page = browser.new_page(viewport=viewport)
            page.goto(Path(path).resolve().as_uri())
            yield page
        finally:
            browser.close()


@dataclass(frozen=True)
class AxeRun:
    """One axe-core run: its engine version, the rules it ran and its violations."""

    version: str
    rules_run: frozenset[str]
    violations: tuple[dict[str, Any], ...]

    @property
    def failing(self) -> list[dict[str, Any]]:
        """Violations whose impact is serious or critical."""
        return [v for v in self.violations if v.get("impact") in FAILING]

    def summary(self, violations: list[dict[str, Any]] | None = None) -> str:
        """One line per violation (rule, impact, help) with up to three of its elements."""
        lines = []
        for v in self.violations if violations is None else violations:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
            lines.append(f"{v['id']} [{v['impact']}] {v['help']}: {targets}{more}")
        return "\n".join(lines) or "no violations"


def _axe_result(page: Any, tags, open_details: bool) -> dict[str, Any]:
    if open_details:
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.evaluate(axe_script_path().read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": list(tags)}}
    return page.evaluate("options => axe.run(document, options)", options)


def run_axe_on_page(page: Any, *, tags=TAGS, open_details: bool = True) -> AxeRun:
    """Inject axe-core into ``page`` and run it with ``tags``. ``open_details`` opens every
    ``<details>`` first, so the tables folded inside them are checked too."""
    for attempt in range(3):
        # A click that navigates returns once the new page starts loading: wait for it to
        # finish, and run again if the document was swapped under axe all the same.
        page.wait_for_load_state("load")
        try:
            result = _axe_result(page, tags, open_details)
            break
        except Exception as error:  # playwright's Error, without importing playwright here
            swapped = ("documentElement" in str(error)) or ("context was destroyed" in str(error))
            if not swapped or attempt == 2:
                raise
    kinds = ("passes", "violations", "incomplete", "inapplicable")
    return AxeRun(
        version=result["testEngine"]["version"],
        rules_run=frozenset(r["id"] for kind in kinds for r in result[kind]),
        violations=tuple(result["violations"]),
    )


def run_axe(
    path: Path, *, viewport: dict[str, int] = DESKTOP, tags=TAGS, open_details: bool = True
) -> AxeRun:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA (and best-practice) checks of a local HTML
    file in headless chromium. Fail a test on ``AxeRun.failing``."""
    with open_page(path, viewport) as page:
        return run_axe_on_page(page, tags=tags, open_details=open_details)


#: Elements, outside a table's own scroll box, whose content is wider than they are.
OVERFLOWING = """() => Array.from(document.querySelectorAll("body *"))
  .filter(e => !e.parentElement.closest(".app-table-wrap"))
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible")
  .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${e.scrollWidth}px`)"""


def sideways_scroll(page: Any) -> list[str]:
    """WCAG 1.4.10 (reflow): empty when the page does not scroll sideways (a wide table may
    scroll in its own ``.app-table-wrap`` box); else the elements that are too wide."""
    wide, viewport = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if wide <= viewport:
        return []
    return [f"page {wide}px wide in {viewport}px", *page.evaluate(OVERFLOWING)]


def main(argv: list[str] | None = None) -> int:
    """``python tests/reports/axe.py PAGE.html [--narrow]``: every violation, minor too."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("page", type=Path)
    parser.add_argument("--narrow", action="store_true", help="a 320 px wide viewport")
    args = parser.parse_args(argv)
    run = run_axe(args.page, viewport=NARROW if args.narrow else DESKTOP)
    print(f"axe-core {run.version}, {len(run.rules_run)} rules run")
    print(run.summary())
    return 1 if run.failing else 0


if __name__ == "__main__":
    raise SystemExit(main())
