"""Accessibility of every report product's ``index.html`` in a real browser: axe-core's
WCAG 2.0/2.1/2.2 A and AA rules (serious and critical violations fail), keyboard basics
and reflow at 320 CSS px. The products are ``PRODUCTS`` in ``conftest.py`` (one line each).

Needs chromium (Debian's package) and the test extras; see ``axe.py``.
"""

from __future__ import annotations

import axe
import pytest
from axe import DESKTOP, NARROW, bundled_axe_version, open_page, run_axe

BROKEN_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Broken</title></head>
<body><main><h1>Broken on purpose</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
<p style="color: #c8c8c8; background: #fff">Pale grey text on white.</p>
</main></body></html>
"""

CLEAN_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Clean</title></head>
<body><main><h1>Clean</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40" alt="A dot">
<p style="color: #0b0c0c; background: #fff">Near-black text on white.</p>
</main></body></html>
"""

# The element focused now, and whether it shows a focus indicator (an outline that is not
# transparent, or a box shadow: the GOV.UK yellow and black).
FOCUSED = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && s.outlineWidth !== "0px"
    && s.outlineColor !== "rgba(0, 0, 0, 0)";
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    href: el.getAttribute("href"),
    cls: el.className,
    inMain: el.closest("main") !== null,
    indicator: outline || s.boxShadow !== "none",
    visible: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
  };
}"""

FOCUSABLE = "a[href], summary, button, input, select, textarea, [tabindex]:not([tabindex='-1'])"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def test_bundled_axe_core_knows_wcag_2_2():
    # wcag22aa rules (target-size) arrived in axe-core 4.7; older would pass them silently.
    assert _version(bundled_axe_version()) >= (4, 7)


def test_chromium_from_the_environment_comes_first(monkeypatch):
    monkeypatch.setenv("CSPHUB_CHROMIUM", "/opt/elsewhere/chromium")
    assert axe.chromium_path() == "/opt/elsewhere/chromium"


def test_missing_chromium_skips_or_fails_when_required(monkeypatch):
    monkeypatch.setattr(axe, "chromium_path", lambda: None)
    monkeypatch.delenv("CSPHUB_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium found"):
        axe.require_chromium()
    monkeypatch.setenv("CSPHUB_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="CSPHUB_REQUIRE_BROWSER is set"):
        axe.require_chromium()


def test_axe_fails_a_broken_page(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(BROKEN_PAGE, encoding="utf-8")
    run = run_axe(page)
    assert run.version == bundled_axe_version()
    failing = {v["id"]: v["impact"] for v in run.failing}
    assert failing.get("image-alt") == "critical", run.summary()
    assert failing.get("color-contrast") == "serious", run.summary()


def test_axe_passes_a_small_accessible_page(tmp_path):
    page = tmp_path / "clean.html"
    page.write_text(CLEAN_PAGE, encoding="utf-8")
    run = run_axe(page)
    assert {"image-alt", "color-contrast"} <= run.rules_run
    assert not run.failing, run.summary(run.failing)


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "320px"])
def test_no_serious_or_critical_axe_violations(product, viewport):
    run = run_axe(product / "index.html", viewport=viewport)
    # The WCAG 2.2 AA and contrast rules really ran.
    assert {"target-size", "color-contrast", "scrollable-region-focusable"} <= run.rules_run
    assert not run.failing, run.summary(run.failing)


def test_skip_link_is_first_focusable_and_moves_to_main(product):
    with open_page(product / "index.html") as page:
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUSED)
        assert first["href"] == "#main-content" and "govuk-skip-link" in first["cls"], first
        assert first["visible"] and first["indicator"], first
        assert page.evaluate("document.getElementById('main-content')?.tagName") == "MAIN"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main-content"
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["inMain"]


def test_tab_reaches_every_focusable_element_with_a_visible_focus(product):
    with open_page(product / "index.html") as page:
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        expected = page.evaluate(f'document.querySelectorAll("{FOCUSABLE}").length')
        reached = []
        for _ in range(expected + 1):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["tag"] == "body":
                break
            reached.append(focused)
        assert len(reached) == expected
        assert [f for f in reached if not (f["visible"] and f["indicator"])] == []


def test_page_reflows_at_320_css_pixels(product):
    # WCAG 1.4.10: no sideways scrolling of the page (wide tables scroll in their own box).
    with open_page(product / "index.html", NARROW) as page:
        assert axe.sideways_scroll(page) == []
