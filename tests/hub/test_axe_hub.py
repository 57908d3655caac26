"""axe-core on the hub's pages, served by a live server and signed in through the real
sign-in form: no serious or critical WCAG 2.0-2.2 A/AA violation, at desktop width and at
320 px. Uses tests/reports/axe.py (Debian chromium through Playwright, no downloads); the
pages of other parts of the hub are checked once their routes exist. The casework pages
(lists, a case, its forms, also sent with errors, people, places, search and the locked-down
profile) are checked on the demo's casework, and must also reflow at 320 px."""

from __future__ import annotations

import functools
import re
from typing import Any

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


#: The demo's open ASB case with people, a place, risk, sharing, timeline and a document.
CAPSTAN = "Noise, threats and damage, Capstan Court"


def casework_pages() -> list[tuple[str, str, str, str]]:
    """(user, path, where the browser ends up, a heading it shows) for each casework page
    read as it is; the restricted case sends its user to the reason page first."""
    from csphub.hub.casework.models import Case, Person, Place

    capstan = Case.objects.get(title=CAPSTAN)
    case = capstan.pk
    kyle = Person.objects.get(given_name="Kyle", family_name="Marsden").pk
    place = Place.objects.get(address="12 Capstan Court").pk
    locked_case = Case.objects.get(case_type="exploitation").reference  # not shared with housing
    restricted = Case.objects.get(case_type="domestic_abuse").pk  # shared with housing
    locked = "Records you cannot open"
    dave = [
        ("/cases/", "My cases"),
        ("/cases/?show=shared&state=all", "Shared with my agency"),
        ("/cases/new/", "Open a case"),
        (f"/cases/{case}/", "Timeline"),
        (f"/cases/{case}/people/add/", "Add a person to the case"),
        (f"/cases/{case}/places/add/", "Add a place to the case"),
        (f"/cases/{case}/share/", "Share the case with an agency"),
        (f"/cases/{case}/owner/", "Change the case owner"),
        (f"/cases/{case}/risk/", "ASB victim vulnerability and harm screening"),
        (f"/cases/{case}/agenda/", "Put the case on a meeting's agenda"),
        (f"/cases/{case}/documents/add/", "Add a document"),
        (f"/people/{kyle}/", "Cases"),
        (f"/people/{kyle}/addresses/add/", "Add an address"),
        (f"/people/{kyle}/contacts/add/", "Add contact details"),
        (f"/places/{place}/", "Police records near here"),
        ("/search/", "Search"),
        ("/search/?q=BW2", locked),  # a place, a person dave may open and one he may not
        ("/search/?q=Capstan", "Cases"),  # a case by its title, and a place
        (f"/search/?q={locked_case}", locked),  # a locked-down case
    ]
    pages = [("dave", path, path, shows) for path, shows in dave]
    reason = "This record is restricted"
    pages.append(("dave", f"/cases/{restricted}/", "/reason/?record=case%3A", reason))
    pages += [
        ("fiona", f"/cases/{case}/", f"/cases/{case}/", f"Case {capstan.reference}"),
        ("fiona", "/search/?q=Marsden", "/search/?q=Marsden", locked),
    ]
    at = Place.objects.get(address="12 Capstan Court")
    lsoa = at.lsoa_code or "E01999999"  # located only when the store was there at seeding
    heading = f"Casework places in {at.lsoa_name or lsoa}"
    pages.append(("dave", f"/places/in/{lsoa}/", f"/places/in/{lsoa}/", heading))
    # The coordinator's merge-review queue, the demo's pair and the (empty) history.
    from csphub.hub.casework.models import DuplicateCandidate

    pair = DuplicateCandidate.objects.get().pk
    for path, shows in (
        ("/casework/duplicates/", "Possible duplicate people"),
        (f"/casework/duplicates/{pair}/", "Is this the same person?"),
        ("/casework/merges/", "Merge history"),
        ("/casework/agreements/", "Data-sharing agreements"),
        ("/casework/agreements/new/", "Record a data-sharing agreement"),
    ):
        pages.append(("sam", path, path, shows))
    return pages


def _sent_with_errors(page, base: str, path: str, button: str) -> None:
    """``path``'s form sent empty: the form again, with its errors."""
    from playwright.sync_api import expect

    page.goto(f"{base}{path}")
    page.get_by_role("button", name=button).click()
    expect(page).to_have_title(re.compile("^Error: "))  # waits for the page sent back
    page.wait_for_load_state()


def casework_forms_sent(base: str, case: int) -> list[tuple[str, Any]]:
    """(name, step) for each page that only a sent form shows, for dave on ``case``."""

    def matches(page) -> None:
        page.goto(f"{base}/cases/{case}/people/add/")
        page.get_by_label("First name").fill("Kyle")
        page.get_by_label("Last name").fill("Marsdon")
        page.get_by_label("Date of birth").fill("1998-03-14")
        page.get_by_role("button", name="Continue").click()
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == "This person may already be known", heading
        page.wait_for_load_state()

    forms = [
        ("/cases/new/", "Open the case"),
        (f"/cases/{case}/", "Add to the timeline"),
        (f"/cases/{case}/people/add/", "Continue"),
        (f"/cases/{case}/places/add/", "Add the place"),
        (f"/cases/{case}/share/", "Share the case"),
        (f"/cases/{case}/risk/", "Record the assessment"),
        (f"/cases/{case}/documents/add/", "Upload"),
    ]
    steps = [
        (f"{path} sent empty", functools.partial(_sent_with_errors, base=base, path=path, button=b))
        for path, b in forms
    ]
    return [*steps, ("the 'may already be known' matches", matches)]


@pytest.mark.slow
def test_casework_pages_have_no_serious_accessibility_violations(
    audit_triggers_lifted, transactional_db, live_hub, axe, sign_in, demo_run, settings
):
    """The casework pages, their forms sent empty and the matches page, at both widths;
    at 320 px the page must not scroll sideways either (a wide table scrolls in its own
    box). With the demo evidence store, so the place page shows its police.uk tables."""
    executable = axe.require_chromium()
    from playwright.sync_api import sync_playwright

    from csphub.hub.casework.models import Case
    from csphub.hub.demo.seed import seed_partnership

    settings.CSPHUB_STORE = str(demo_run.store)
    password = seed_partnership().password
    pages = casework_pages()
    case = Case.objects.get(title=CAPSTAN).pk
    failures, checked = [], []

    def check(page, label: str, viewport: dict[str, int]) -> None:
        run = axe.run_axe_on_page(page)
        checked.append(label)
        if run.failing:
            failures.append(f"{label} {viewport}:\n{run.summary(run.failing)}")
        if viewport == axe.NARROW and (wide := axe.sideways_scroll(page)):
            failures.append(f"{label} scrolls sideways at 320 px: {wide}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            for viewport in (axe.DESKTOP, axe.NARROW):
                for username in dict.fromkeys(user for user, *_ in pages):
                    context = browser.new_context(viewport=viewport)
                    page = context.new_page()
                    sign_in(page, live_hub, username, password)
                    for _, path, lands, shows in (p for p in pages if p[0] == username):
                        response = page.goto(f"{live_hub}{path}")
                        assert response.status == 200, (path, response.status)
                        assert page.url.startswith(f"{live_hub}{lands}"), (path, page.url)
                        assert page.get_by_role("heading", name=shows, exact=True).count(), (
                            path,
                            shows,
                        )
                        if (
                            path.startswith("/places/") and "/in/" not in path
                        ):  # the store's records are shown
                            assert page.get_by_role("table", name="By type").count() == 1
                        check(page, path, viewport)
                    if username == "dave":
                        for label, step in casework_forms_sent(live_hub, case):
                            step(page)
                            check(page, label, viewport)
                    context.close()
        finally:
            browser.close()
    assert len(checked) == 2 * (len(pages) + len(casework_forms_sent("", case)))
    assert not failures, "\n".join(failures)
