"""Casework in a real browser (Debian chromium through Playwright, found by
tests/reports/axe.py; skips without it unless CSPHUB_REQUIRE_BROWSER is set), signed in
through the sign-in form: dave (housing) opens an ASB case, types its subject slightly
differently from the Kyle Marsden housing already holds, is warned and links him, adds the
place, assesses risk and shares the case with the police; priya (police analyst) finds it
by part of the name and opens it; fiona (fire) gets only its locked-down profile; morgan
(information governance) finds each of their views in the audit trail.

The expectations come from the story (who should see what), not from the code."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

TITLE = "Shouting and banging at night, Plover Lane"
ADDRESS = "9 Plover Lane"
POSTCODE = "BW3 9PL"
HOUSING, POLICE, FIRE = (
    "Brackwater Homes",
    "Demoshire Constabulary",
    "Demoshire Fire and Rescue Service",
)


def heading(page: Page) -> str:
    """The page's one h1: what the user sees they are on."""
    return page.get_by_role("heading", level=1).inner_text()


def cells(table: Locator) -> list[list[str]]:
    """The text of each body row's cells, as the user reads the table."""
    return [row.locator("td").all_inner_texts() for row in table.locator("tbody tr").all()]


def audit_rows(page: Page, base: str, **criteria: str) -> list[tuple[str, str]]:
    """The view rows of cases in the audit trail, searched through its form: (who and for
    which agency, the record and about whom) for each row."""
    page.goto(f"{base}/audit/")
    labels = {"person": "Person", "object_id": "Record number", "subject": "Data subject"}
    page.get_by_label("Record type", exact=True).fill("casework.case")
    for field, value in criteria.items():
        page.get_by_label(labels[field], exact=True).fill(value)
    page.get_by_label("Action", exact=True).select_option(label="View")
    page.get_by_role("button", name="Search", exact=True).click()
    table = page.get_by_role("table", name=re.compile("^Audit events"))
    return [(who, what) for _, who, _, what, *_ in cells(table)]


@pytest.mark.slow
def test_dave_opens_shares_a_case_that_priya_finds_fiona_cannot_open_and_morgan_audits(
    audit_triggers_lifted, transactional_db, live_hub, axe, sign_in, banner
):
    executable = axe.require_chromium()
    from playwright.sync_api import sync_playwright

    from csphub.hub.casework.models import Person
    from csphub.hub.demo.seed import seed_partnership

    password = seed_partnership().password
    # The ORM is used before Playwright starts (it runs an event loop in this thread).
    kyle = Person.objects.get(given_name="Kyle", family_name="Marsden").pk
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            dave = sign_in(browser.new_context().new_page(), live_hub, "dave", password)
            dave.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
            dave.get_by_role("link", name="Open a case").click()
            dave.get_by_label("Type of case").select_option(label="Antisocial behaviour")
            dave.get_by_label("Title").fill(TITLE)
            dave.get_by_label("Summary").fill("Neighbour at number 11 reports nightly noise.")
            dave.get_by_role("button", name="Open the case").click()
            opened = re.search(r"Case (ASB-\d{6}) opened", banner(dave))
            assert opened, banner(dave)
            reference = opened.group(1)
            assert heading(dave) == f"{reference}: {TITLE}"
            case_url = dave.url
            assert re.fullmatch(rf"{live_hub}/cases/\d+/", case_url)

            dave.get_by_role("link", name="Add a person").click()
            dave.get_by_label("Their part in the case").select_option(
                label="Subject or perpetrator"
            )
            dave.get_by_label("First name").fill("Kyle")
            dave.get_by_label("Last name").fill("Marsdon")
            dave.get_by_label("Date of birth").fill("1998-03-14")
            dave.get_by_role("button", name="Continue").click()
            assert heading(dave) == "This person may already be known"
            warning = dave.locator(".govuk-warning-text").inner_text()
            assert "1 existing record may be Kyle Marsdon" in warning, warning
            card = dave.locator(".govuk-summary-card", has_text="Kyle Marsden")
            assert "14 March 1998" in card.inner_text()
            card.get_by_role("button", name="Link Kyle Marsden to the case").click()
            assert dave.url == case_url
            assert "Kyle Marsden linked to the case" in banner(dave)
            parties = dave.get_by_role("table", name="People and places on the case")
            assert ["Subject or perpetrator", "Kyle Marsden, 14 March 1998"] in cells(parties)

            dave.get_by_role("link", name="Add a place").click()
            dave.get_by_label("Address").fill(ADDRESS)
            dave.get_by_label("Town").fill("Brackwater")
            dave.get_by_label("Postcode").fill(POSTCODE)
            dave.get_by_role("button", name="Add the place").click()
            assert dave.url == case_url
            assert "added to the case" in banner(dave)
            assert ["Place of concern", f"{ADDRESS}, {POSTCODE}"] in cells(parties)

            dave.get_by_role("link", name="Assess risk").click()
            for question in (
                "Has the victim reported antisocial behaviour before in the last 6 months?",
                "Is the victim afraid to leave or stay in the home?",
                "Has there been violence or a threat of violence?",
            ):
                dave.get_by_label(question).check()
            dave.get_by_label("Reasons for the level").fill("Threats through the letterbox.")
            dave.get_by_role("button", name="Record the assessment").click()
            # 2 + 2 + 3 by the tool's weights: medium from 4, high from 8.
            assert "Risk recorded: medium (score 7)" in banner(dave)

            dave.get_by_role("link", name="Share with an agency").click()
            dave.get_by_label("Share with").select_option(label=POLICE)
            dave.get_by_label("Data-sharing agreement").select_option(
                label="Brackwater Community Safety Partnership information sharing protocol"
            )
            dave.get_by_label("Why this agency needs the case").fill(
                "Threats of violence: the neighbourhood team may need to act."
            )
            dave.get_by_role("button", name="Share the case").click()
            assert f"Shared with {POLICE}" in banner(dave)
            shares = dave.get_by_role("table", name="Agencies the case is shared with")
            assert POLICE in shares.inner_text()
            assert "Crime and Disorder Act 1998 s.115" in shares.inner_text()

            priya = sign_in(browser.new_context().new_page(), live_hub, "priya", password)
            priya.get_by_role("navigation", name="Menu").get_by_role("link", name="Search").click()
            priya.get_by_label("Search people, places and cases").fill("marsd")
            priya.get_by_role("button", name="Search", exact=True).click()
            priya.get_by_role("link", name="Kyle Marsden").click()
            assert heading(priya) == "Kyle Marsden"
            cases = priya.get_by_role("table", name="Cases about Kyle Marsden you can open")
            cases.get_by_role("link", name=reference).click()
            assert priya.url == case_url
            assert heading(priya) == f"{reference}: {TITLE}"

            fiona = sign_in(browser.new_context().new_page(), live_hub, "fiona", password)
            assert fiona.goto(case_url).status == 200
            assert fiona.title().startswith(f"Case {reference}: locked down")
            assert heading(fiona) == f"Case {reference}"
            seen = fiona.locator("main").inner_text()
            assert "not shared with your agency" in seen and HOUSING in seen
            for secret in ("Kyle", "Marsden", "Plover", TITLE, "Threats", "medium"):
                assert secret not in seen, secret

            morgan = sign_in(browser.new_context().new_page(), live_hub, "morgan", password)
            case_pk = case_url.rstrip("/").rsplit("/", 1)[1]
            about_kyle = audit_rows(morgan, live_hub, subject=f"person:{kyle}", object_id=case_pk)
            assert {who for who, _ in about_kyle} == {
                f"dave\nfor {HOUSING}",
                f"priya\nfor {POLICE}",
            }
            assert all(reference in what and f"person:{kyle}" in what for _, what in about_kyle)
            by_fiona = audit_rows(morgan, live_hub, person="fiona", object_id=case_pk)
            assert [who for who, _ in by_fiona] == [f"fiona\nfor {FIRE}"], by_fiona
            assert f"locked-down profile of {reference}" in by_fiona[0][1]
        finally:
            browser.close()
