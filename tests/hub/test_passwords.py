"""Passwords, through the real pages: users change their own; an administrator (holder of
partnership.manage) sets a temporary password that must be changed at the next sign-in,
or resets a second factor with a reason; nobody resets their own account this way."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from csphub.hub.access import twofactor
from csphub.hub.access.models import TwoFactor
from csphub.hub.audit.models import AuditEvent
from csphub.hub.audit.service import MASK

from .factories import PASSWORD, AgencyFactory, MembershipFactory

NEW = "quiet-meadow-kettle-81"
TEMPORARY = "amber-lighthouse-tundra-27"


@pytest.fixture
def users(db):
    """ada (coordinator: partnership.manage), bob (member), cy (another coordinator)."""
    council = AgencyFactory(code="pw-council")
    made = [
        MembershipFactory(user__username="ada", agency=council, roles=["coordinator"]),
        MembershipFactory(user__username="bob", agency=council, roles=["member"]),
        MembershipFactory(user__username="cy", agency=council, roles=["coordinator"]),
    ]
    return {m.user.username: m.user for m in made}


def signed_in(username: str, password: str = PASSWORD, address: str = "192.0.2.1") -> Client:
    client = Client()
    response = client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    assert response.status_code == 302, response.content.decode()
    return client


def change(client: Client, current: str, new: str, again: str | None = None, **extra):
    data = {"current_password": current, "new_password": new, "confirm_password": again or new}
    return client.post("/account/password/", data, **extra)


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def rows(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# Changing your own password ---------------------------------------------------------


def test_a_user_changes_their_password_keeps_this_session_and_ends_others(users):
    here, elsewhere = signed_in("bob"), signed_in("bob")
    page = here.get("/account/password/")
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("current_password", "new_password", "confirm_password"):
        assert f'name="{name}"' in text
    assert 'autocomplete="new-password"' in text and 'autocomplete="current-password"' in text

    response = change(here, PASSWORD, NEW)
    assert response.status_code == 302 and response["Location"] == "/"
    assert fresh(users["bob"]).check_password(NEW)
    assert here.get("/account/password/").status_code == 200  # still signed in
    assert elsewhere.get("/account/password/")["Location"].startswith("/sign-in/")
    row = rows("update")[-1]
    assert (row.actor, row.object_id, row.after) == (
        users["bob"],
        str(users["bob"].pk),
        {"password": MASK},
    )
    assert NEW not in str(row.after) + row.justification


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("not-my-password", NEW, NEW, "Your current password is not correct"),
        (PASSWORD, NEW, NEW + "x", "The new passwords do not match"),
        (PASSWORD, "short1", "short1", "too short"),
        (PASSWORD, "123456789012345", "123456789012345", "entirely numeric"),
        (PASSWORD, PASSWORD, PASSWORD, "not your current one"),
    ],
)
def test_a_change_is_refused_with_a_reason_and_changes_nothing(users, current, new, again, message):
    client = signed_in("bob")
    before = AuditEvent.objects.filter(action="update").count()
    response = change(client, current, new, again)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text and "govuk-error-summary" in text
    assert fresh(users["bob"]).check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="update").count() == before


def test_guessing_the_current_password_is_throttled(users):
    client = signed_in("bob")
    for _ in range(5):
        assert change(client, "guess", NEW, REMOTE_ADDR="192.0.2.1").status_code == 200
    refused = change(client, PASSWORD, NEW, REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert fresh(users["bob"]).check_password(PASSWORD)


# An administrator's temporary password ----------------------------------------------


def test_a_temporary_password_must_be_changed_before_anything_else(users):
    bob_before = signed_in("bob")
    admin = signed_in("ada")
    page = admin.get(f"/partnership/users/{users['bob'].pk}/password/")
    assert page.status_code == 200 and 'name="temporary_password"' in page.content.decode()
    done = admin.post(
        f"/partnership/users/{users['bob'].pk}/password/", {"temporary_password": TEMPORARY}
    )
    assert done.status_code == 302 and done["Location"] == "/partnership/"
    row = rows("update")[-1]
    assert (row.actor, row.object_id) == (users["ada"], str(users["bob"].pk))
    assert row.after == {"password": MASK, "must_change_password": True}
    assert TEMPORARY not in str(row.after) + row.justification
    # bob's session ended with the old password.
    assert bob_before.get("/account/password/")["Location"].startswith("/sign-in/")

    bob = Client()
    landed = bob.post("/sign-in/?next=/audit/", {"username": "bob", "password": TEMPORARY})
    assert landed["Location"] == "/account/password/?next=/audit/"
    for path in ("/", "/partnership/", "/audit/"):
        assert bob.get(path)["Location"] == f"/account/password/?next={path}"
    forced = bob.get("/account/password/")
    assert "temporary password" in forced.content.decode()
    assert change(bob, TEMPORARY, NEW)["Location"] == "/"
    assert bob.get("/").status_code == 200
    # Signed out and in again with the new password, nothing is asked.
    bob.post("/sign-out/")
    assert signed_in("bob", NEW).get("/").status_code == 200


@pytest.mark.parametrize(("days_ago", "signs_in"), [(6, True), (8, False)])
def test_a_temporary_password_signs_in_for_seven_days_only(users, days_ago, signs_in):
    """The README: a temporary password signs in for 7 days; after that the sign-in is
    refused with the reason, audited as a failure, and the administrator sets a new one."""
    import datetime as dt

    from django.utils import timezone

    from csphub.hub.access.models import AccountState

    signed_in("ada").post(
        f"/partnership/users/{users['bob'].pk}/password/", {"temporary_password": TEMPORARY}
    )
    set_at = timezone.now() - dt.timedelta(days=days_ago)
    AccountState.objects.filter(user=users["bob"]).update(password_changed_at=set_at)
    answer = Client().post("/sign-in/", {"username": "bob", "password": TEMPORARY})
    if signs_in:
        assert answer.status_code == 302
        assert answer["Location"].startswith("/account/password/")
        return
    assert answer.status_code == 200
    assert "temporary password has expired" in answer.content.decode()
    row = rows("sign-in-failed")[-1]
    assert (row.object_repr, row.justification) == ("bob", "temporary password expired")
    # A new temporary password from the administrator signs in again.
    signed_in("ada").post(
        f"/partnership/users/{users['bob'].pk}/password/", {"temporary_password": NEW}
    )
    assert signed_in("bob", NEW).get("/")["Location"] == "/account/password/?next=/"


def test_a_weak_temporary_password_is_refused(users):
    admin = signed_in("ada")
    response = admin.post(
        f"/partnership/users/{users['bob'].pk}/password/", {"temporary_password": "bob12345"}
    )
    assert response.status_code == 200 and "too short" in response.content.decode()
    assert fresh(users["bob"]).check_password(PASSWORD)
    assert not rows("update")


def test_a_reset_lifts_the_users_sign_in_block(users):
    for _ in range(5):
        Client().post("/sign-in/", {"username": "bob", "password": "x"}, REMOTE_ADDR="192.0.2.9")
    blocked = Client().post(
        "/sign-in/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    assert blocked.status_code == 429
    signed_in("ada").post(
        f"/partnership/users/{users['bob'].pk}/password/", {"temporary_password": TEMPORARY}
    )
    signed_in("bob", TEMPORARY, address="192.0.2.9")


# Second factor reset ----------------------------------------------------------------


def test_an_administrator_resets_a_second_factor_with_a_reason(users):
    TwoFactor.objects.create(user=users["bob"], secret="JBSWY3DPEHPK3PXP", confirmed=True)
    admin = signed_in("ada")
    path = f"/partnership/users/{users['bob'].pk}/two-factor/"
    assert 'name="reason"' in admin.get(path).content.decode()
    missing = admin.post(path, {"reason": "  "})
    assert missing.status_code == 200
    assert "Enter the reason for resetting the second factor" in missing.content.decode()
    assert TwoFactor.objects.filter(user=users["bob"]).exists()
    assert not rows("delete")

    done = admin.post(path, {"reason": "Phone lost, reported by phone on 3 March"})
    assert done.status_code == 302
    assert not TwoFactor.objects.filter(user=users["bob"]).exists()
    row = rows("delete")[-1]
    assert row.actor == users["ada"] and row.object_type == "access.twofactor"
    assert row.justification == "Phone lost, reported by phone on 3 March"
    assert row.before["secret"] == MASK and "JBSWY3DPEHPK3PXP" not in str(row.before)
    assert "nothing to reset" in admin.get(path).content.decode()


# Nobody resets their own account; only administrators reset others ---------------------


@pytest.mark.parametrize(
    ("route", "data"),
    [
        ("password", {"temporary_password": TEMPORARY}),
        ("two-factor", {"reason": "testing"}),
    ],
)
def test_nobody_resets_their_own_account(users, route, data):
    TwoFactor.objects.create(user=users["ada"], secret="JBSWY3DPEHPK3PXP", confirmed=True)
    admin = Client()
    admin.force_login(users["ada"])
    session = admin.session
    session[twofactor.SESSION_KEY] = True  # ada's second factor done
    session.save()
    path = f"/partnership/users/{users['ada'].pk}/{route}/"
    page = admin.get(path)
    assert page.status_code == 200 and "This is your own account" in page.content.decode()
    assert admin.post(path, data).status_code == 403
    assert fresh(users["ada"]).check_password(PASSWORD)
    assert TwoFactor.objects.filter(user=users["ada"]).exists()
    assert not rows("update") and not rows("delete")
    # Another administrator may.
    other = Client()
    other.force_login(users["cy"])
    assert other.post(path, data).status_code == 302


@pytest.mark.parametrize("route", ["password", "two-factor"])
def test_only_administrators_reset_others(users, route):
    member = Client()
    member.force_login(users["bob"])
    path = f"/partnership/users/{users['cy'].pk}/{route}/"
    assert member.get(path).status_code == 403
    assert member.post(path, {"temporary_password": TEMPORARY, "reason": "x"}).status_code == 403
    assert fresh(users["cy"]).check_password(PASSWORD)
    assert not rows("update") and not rows("delete")


# Where the pages are found, and how they read -----------------------------------------


def test_the_pages_are_linked_where_they_are_needed(users):
    admin = signed_in("ada")
    home = admin.get("/partnership/").content.decode()
    for other in ("bob", "cy"):
        pk = users[other].pk
        assert f'href="/partnership/users/{pk}/password/"' in home
        assert f'href="/partnership/users/{pk}/two-factor/"' in home
    assert f'href="/partnership/users/{users["ada"].pk}/password/"' not in home
    assert 'href="/account/password/"' in signed_in("bob").get("/").content.decode()


@pytest.mark.slow
def test_password_pages_have_no_serious_accessibility_violations(
    audit_triggers_lifted, transactional_db, live_hub, axe, sign_in
):
    executable = axe.require_chromium()
    from playwright.sync_api import sync_playwright

    council = AgencyFactory(code="axe-council")
    ada = MembershipFactory(user__username="ada", agency=council, roles=["coordinator"]).user
    bob = MembershipFactory(user__username="bob", agency=council, roles=["member"]).user
    TwoFactor.objects.create(user=bob, secret="JBSWY3DPEHPK3PXP", confirmed=True)
    pages = [
        "/account/password/",
        f"/partnership/users/{bob.pk}/password/",
        f"/partnership/users/{bob.pk}/two-factor/",
        f"/partnership/users/{ada.pk}/password/",
    ]
    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            for viewport in (axe.DESKTOP, axe.NARROW):
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                sign_in(page, live_hub, "ada", PASSWORD)
                for path in pages:
                    assert page.goto(f"{live_hub}{path}").status == 200, path
                    run = axe.run_axe_on_page(page)
                    if run.failing:
                        failures.append(f"{path} {viewport}:\n{run.summary(run.failing)}")
                # A form with errors: the error summary and the marked fields.
                page.goto(f"{live_hub}/account/password/")
                page.get_by_role("button", name="Change your password").click()
                page.wait_for_load_state()
                assert page.locator(".govuk-error-summary").count() == 1
                run = axe.run_axe_on_page(page)
                if run.failing:
                    failures.append(f"errors {viewport}:\n{run.summary(run.failing)}")
                context.close()
        finally:
            browser.close()
    assert not failures, "\n".join(failures)
