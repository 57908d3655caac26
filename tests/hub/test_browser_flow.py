"""The cascade in a real browser (Debian chromium through Playwright, found by
tests/reports/axe.py; skips without it unless CSPHUB_REQUIRE_BROWSER is set): sam, the
board's chair, signs in, schedules a board meeting, records a decision and cascades an
action to the Burglary Working Group; the inspector finds it on that group's next agenda
and completes it; jo (youth service) gets 404 for the action and both meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone


# Transactional (the live server's thread must see committed rows): ``transactional_db`` is
# requested after ``audit_triggers_lifted`` rather than by a django_db(transaction=True)
# mark, whose database would be set up first and so flushed after the triggers are back.
@pytest.mark.slow
def test_chair_cascades_an_action_that_the_inspector_completes(
    audit_triggers_lifted, transactional_db, live_hub, axe, accessible, sign_in, banner
):
    executable = axe.require_chromium()
    from playwright.sync_api import sync_playwright

    from csphub.hub.actions.models import Action
    from csphub.hub.audit.models import AuditEvent
    from csphub.hub.demo.seed import seed_partnership
    from csphub.hub.groups.models import Group

    password = seed_partnership().password
    burglary = Group.objects.get(code="burglary")
    next_burglary = burglary.next_meeting()
    day = timezone.localdate() + dt.timedelta(days=7)
    due = timezone.localdate() + dt.timedelta(days=28)
    title = "Check window locks on the hot spot estates"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            sam = sign_in(browser.new_context().new_page(), live_hub, "sam", password)
            sam.goto(f"{live_hub}/groups/")
            sam.get_by_role("link", name="Safer Brackwater Partnership Board").click()
            sam.get_by_role("link", name="Schedule a meeting").click()
            sam.get_by_label("Title").fill("")
            sam.get_by_role("button", name="Schedule the meeting").click()
            assert sam.title().startswith("Error: ")  # the form again, with its errors
            accessible(sam)
            sam.get_by_label("Title").fill("Partnership Board (extraordinary)")
            sam.get_by_label("Date").fill(day.isoformat())
            sam.get_by_label("Time").fill("09:30")
            sam.get_by_label("Location").fill("Brackwater Town Hall")
            sam.get_by_role("button", name="Schedule the meeting").click()
            assert "Meeting scheduled" in banner(sam)
            assert (
                sam.get_by_role("heading", level=1)
                .inner_text()
                .startswith("Partnership Board (extraordinary)")
            )
            board_meeting = sam.url
            accessible(sam)
            sam.get_by_role("link", name="Record attendance").click()
            accessible(sam)
            sam.go_back()
            sam.get_by_role("link", name="Add an agenda item").click()
            accessible(sam)
            sam.go_back()
            sam.get_by_role("link", name="Record a decision").click()
            accessible(sam)
            sam.get_by_label("Decision", exact=True).fill(
                "The Burglary Working Group to check window locks on the hot spot estates."
            )
            sam.get_by_role("button", name="Record the decision").click()
            assert "Decision recorded" in banner(sam)
            sam.get_by_role("link", name="Raise an action from decision 1").click()
            accessible(sam)
            sam.get_by_label("Title").fill(title)
            sam.get_by_label("Group responsible").select_option(label="– Burglary Working Group")
            sam.get_by_label("Owner agency").select_option(label="Demoshire Constabulary")
            sam.get_by_label("Owner (optional)").select_option(
                label="Chris Walsh (Demoshire Constabulary)"
            )
            sam.get_by_label("Due date").fill(due.isoformat())
            sam.get_by_role("button", name="Raise the action").click()
            assert "on the agenda of Burglary Working Group" in banner(sam)
            action_url = sam.url  # the ORM is not used in here: Playwright runs an event loop

            inspector = sign_in(browser.new_context().new_page(), live_hub, "inspector", password)
            inspector.goto(f"{live_hub}/groups/{burglary.pk}/")
            upcoming = inspector.get_by_role("table", name="Upcoming meetings of Burglary")
            upcoming.get_by_role("link", name="Burglary Working Group").first.click()
            assert inspector.url.endswith(f"/meetings/{next_burglary.pk}/")
            item = inspector.locator("li", has_text=f"Cascaded action: {title}")
            assert "Action cascaded to this group" in item.inner_text()
            item.get_by_role("link", name=title).click()
            assert inspector.url == action_url
            accessible(inspector)
            inspector.get_by_label("Progress note").fill("Locks checked on 140 homes.")
            inspector.get_by_label("State").select_option(label="Done")
            inspector.get_by_role("button", name="Record progress").click()
            assert "It is now done" in banner(inspector)
            history = inspector.get_by_role("table", name="Progress notes").inner_text()
            assert "Open to Done" in history and "Locks checked on 140 homes." in history

            jo = sign_in(browser.new_context().new_page(), live_hub, "jo", password)
            for url in (action_url, board_meeting, f"{live_hub}/meetings/{next_burglary.pk}/"):
                assert jo.goto(url).status == 404, url
        finally:
            browser.close()
    action = Action.objects.get(title=title)
    assert action_url == f"{live_hub}/actions/{action.pk}/"
    assert (
        action.state == "done" and action.group == burglary and action.owner_agency.code == "police"
    )
    done = AuditEvent.objects.get(object_type="actions.action", action="update")
    assert done.actor_name == "inspector" and done.after["state"] == "done"
