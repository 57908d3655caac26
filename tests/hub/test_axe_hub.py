"""axe-core on the hub's pages, served by a live server and signed in through the real
sign-in form: no serious or critical WCAG 2.0-2.2 A/AA violation, at desktop width and at
320 px. Uses tests/reports/axe.py (Debian chromium through Playwright, no downloads); the
pages of other parts of the hub are checked once their routes exist."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve


def exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def hub_pages() -> list[tuple[str, str]]:
    """(user, path) for every page checked, the other parts' pages when they exist."""
    from csphub.hub.access.models import Membership
    from csphub.hub.access.policy import policy

    sam = Membership.objects.get(user__username="sam").user
    pages = [("sam", "/two-factor/setup/"), ("morgan", "/audit/")]
    pages += [("sam", p) for p in ("/", "/groups/", "/meetings/", "/actions/") if exists(p)]
    meeting = policy("meeting").visible(sam).filter(status="held").first()
    if meeting and exists(f"/meetings/{meeting.pk}/"):
        pages.append(("sam", f"/meetings/{meeting.pk}/"))
    action = policy("action").visible(sam).first()
    if action and exists(f"/actions/{action.pk}/"):
        pages.append(("sam", f"/actions/{action.pk}/"))
    # The trust kernel's own pages: the reason a restricted record asks for, the
    # partnership page with a change waiting for a second administrator, and its page.
    pages.append(("sam", "/reason/?record=meeting%3A1&next=%2F"))
    pages.append(("sam", "/partnership/"))
    change = _waiting_change()
    pages.append(("sam", f"/partnership/changes/{change.pk}/"))
    return pages


def _waiting_change():
    """A change to dave's roles proposed by a second coordinator, for sam to decide."""
    from django.contrib.auth import get_user_model

    from csphub.hub.access.models import Agency, Membership, PendingChange

    ann, _ = get_user_model().objects.get_or_create(username="ann")
    council = Agency.objects.get(code="council")
    Membership.objects.get_or_create(user=ann, agency=council, defaults={"roles": []})
    daves = Membership.objects.get(user__username="dave")
    return PendingChange.objects.create(
        membership=daves, kind="roles", roles=["member", "chair"], proposed_by=ann
    )


@pytest.mark.slow
def test_hub_pages_have_no_serious_accessibility_violations(
    audit_triggers_lifted, transactional_db, live_hub, axe, sign_in
):
    executable = axe.require_chromium()
    from playwright.sync_api import sync_playwright

    from csphub.hub.demo.seed import seed_partnership

    password = seed_partnership().password
    pages = hub_pages()
    failures, checked = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            for viewport in (axe.DESKTOP, axe.NARROW):
                signed_out = browser.new_page(viewport=viewport)
                signed_out.goto(f"{live_hub}/sign-in/")
                run = axe.run_axe_on_page(signed_out)
                checked.append("/sign-in/")
                if run.failing:
                    failures.append(f"/sign-in/ {viewport}:\n{run.summary(run.failing)}")
                signed_out.close()
                for username in dict.fromkeys(user for user, _ in pages):
                    context = browser.new_context(viewport=viewport)
                    page = context.new_page()
                    sign_in(page, live_hub, username, password)
                    for _, path in (p for p in pages if p[0] == username):
                        response = page.goto(f"{live_hub}{path}")
                        assert response.status == 200, (path, response.status)
                        assert page.url.endswith(path), (path, page.url)
                        if path == "/two-factor/setup/":  # the QR code loads under the CSP
                            width = "document.querySelector('img.app-qr').naturalWidth"
                            assert page.evaluate(width) > 100
                        run = axe.run_axe_on_page(page)
                        checked.append(path)
                        if run.failing:
                            failures.append(f"{path} {viewport}:\n{run.summary(run.failing)}")
                    context.close()
        finally:
            browser.close()
    assert {"/sign-in/", "/two-factor/setup/", "/audit/"} <= set(checked)
    assert not failures, "\n".join(failures)
