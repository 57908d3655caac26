"""Sign-in, sign-out, throttling and the TOTP second factor, through the real pages."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from csphub.hub.access import crypto, twofactor
from csphub.hub.access.models import Agency, SignInCounter, TwoFactor
from csphub.hub.access.views import PENDING_KEY
from csphub.hub.audit.models import AuditEvent
from csphub.hub.audit.service import MASK

from .factories import PASSWORD, AgencyFactory, MembershipFactory

FIXED = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC)


@pytest.fixture
def users(db):
    """Three people made here, not the demo partnership: ava (coordinator) and ben
    (information governance) at a council, cal (analyst) at the police."""
    council = AgencyFactory(code="test-council", kind="council")
    police = AgencyFactory(code="test-police", kind="police")
    made = [
        MembershipFactory(user__username="ava", agency=council, roles=["coordinator"]),
        MembershipFactory(user__username="ben", agency=council, roles=["auditor"]),
        MembershipFactory(user__username="cal", agency=police, roles=["analyst"]),
    ]
    return {m.user.username: m.user for m in made}


@pytest.fixture
def password(users):
    return PASSWORD


@pytest.fixture
def fixed_clock(monkeypatch):
    """The second factor's clock stopped at ``FIXED``, so codes are deterministic."""
    monkeypatch.setattr(twofactor, "_now", lambda: FIXED)
    return FIXED


def sign_in(client: Client, username: str, password: str, next_: str = "", **extra):
    url = "/sign-in/" + (f"?next={next_}" if next_ else "")
    return client.post(url, {"username": username, "password": password}, **extra)


def test_sign_in_page_has_the_fields_other_tests_rely_on(db):
    page = Client().get("/sign-in/").content.decode()
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert re.search(r"<button[^>]*>Sign in</button>", page)


def test_sign_in_rotates_the_session_and_is_audited(users, password):
    client = Client()
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    response = sign_in(client, "ava", password)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies["sessionid"].value != before
    assert client.session["_auth_user_id"] == str(users["ava"].pk)
    row = AuditEvent.objects.filter(action="sign-in").first()
    assert row.actor == users["ava"] and row.address == "127.0.0.1"


@pytest.mark.parametrize(
    ("next_", "lands"),
    [
        ("/audit/?action=view", "/audit/?action=view"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_is_honoured_only_for_same_site_paths(users, password, next_, lands):
    from urllib.parse import quote

    response = sign_in(Client(), "ben", password, quote(next_, safe=""))
    assert response.status_code == 302
    assert response["Location"] == lands


def test_a_failed_sign_in_says_nothing_specific_and_is_recorded(users, password):
    client = Client()
    wrong_password = sign_in(client, "ava", "not-the-password", REMOTE_ADDR="10.1.2.3")
    no_such_user = sign_in(client, "nobody", "not-the-password", REMOTE_ADDR="10.1.2.3")
    for response in (wrong_password, no_such_user):
        assert response.status_code == 200
        assert "The user name or password is not correct" in response.content.decode()
        assert "_auth_user_id" not in client.session
    rows = AuditEvent.objects.filter(action="sign-in-failed").order_by("id")
    # The account is named; a user name that is no account is not kept (it may be a
    # password typed into the wrong box), only that an unknown one was tried.
    assert [(r.object_repr, r.address, r.actor, r.justification) for r in rows] == [
        ("ava", "10.1.2.3", None, "wrong password"),
        ("unknown user name", "10.1.2.3", None, "unknown user name"),
    ]
    assert rows[0].object_id == str(users["ava"].pk) and rows[1].object_id == ""


def test_throttling_by_user_name_refuses_even_the_right_password(users, password):
    client = Client()
    for _ in range(5):
        sign_in(client, "ava", "wrong", REMOTE_ADDR="10.0.0.1")
    refused = sign_in(client, "ava", password, REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "too many failed sign-in attempts" in text
    assert re.search(r"Try again after \d\d:\d\d", text)
    assert "_auth_user_id" not in client.session
    # Ava from her own address, and another user from the same address, are not affected.
    assert sign_in(Client(), "ava", password, REMOTE_ADDR="10.9.9.9").status_code == 302
    assert sign_in(Client(), "cal", password, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_failures_older_than_the_window_no_longer_count(users, password):
    for _ in range(5):
        sign_in(Client(), "ava", "wrong")
    assert sign_in(Client(), "ava", password).status_code == 429
    old = timezone.now() - dt.timedelta(seconds=15 * 60 + 1)
    SignInCounter.objects.update(started=old)
    assert sign_in(Client(), "ava", password).status_code == 302


def test_sign_out_is_post_only_and_audited(client_for, users):
    client = client_for("ava")
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert AuditEvent.objects.filter(action="sign-out", actor=users["ava"]).exists()
    assert client.get("/audit/")["Location"].startswith("/sign-in/")


# The second factor ------------------------------------------------------------------


def test_totp_correct_code_passes_replay_and_wrong_codes_fail(users, fixed_clock):
    secret = twofactor.new_secret()
    device = TwoFactor.objects.create(user=users["ava"], secret=secret, confirmed=True)
    totp = pyotp.TOTP(secret)
    code = totp.at(fixed_clock)
    assert twofactor.verify(device, code)
    assert not twofactor.verify(device, code)  # replayed
    assert not twofactor.verify(TwoFactor.objects.get(pk=device.pk), code)  # from the database
    near = {totp.at(fixed_clock + dt.timedelta(seconds=30 * k)) for k in range(-2, 3)}
    wrong = next(c for c in (f"{n:06d}" for n in range(1000)) if c not in near)
    assert not twofactor.verify(device, wrong)
    assert not twofactor.verify(device, "12345")  # too short
    # The previous step's code (clock drift) passes once, unless a later step was used.
    fresh = TwoFactor.objects.create(user=users["cal"], secret=secret, confirmed=True)
    assert twofactor.verify(fresh, totp.at(fixed_clock - dt.timedelta(seconds=30)))
    assert twofactor.verify(fresh, code)
    assert not twofactor.verify(fresh, totp.at(fixed_clock - dt.timedelta(seconds=30)))


def require_two_factor(agency_code: str = "test-council") -> None:
    Agency.objects.filter(code=agency_code).update(requires_two_factor=True)


def test_an_agency_requiring_two_factor_sends_members_through_setup(users, password, fixed_clock):
    require_two_factor("test-council")
    client = Client()
    response = sign_in(client, "ben", password, "/audit/")
    assert response["Location"] == "/two-factor/?next=/audit/"
    # Nothing else is reachable until the second factor is done.
    assert client.get("/audit/")["Location"] == "/two-factor/?next=/audit/"
    assert client.get("/two-factor/?next=/audit/")["Location"] == (
        "/two-factor/setup/?next=/audit/"
    )
    page = client.get("/two-factor/setup/?next=/audit/")
    assert page.status_code == 200
    secret = crypto.decrypt(client.session[PENDING_KEY])  # encrypted in the session too
    assert secret not in str(client.session[PENDING_KEY])
    text = page.content.decode()
    assert 'src="data:image/svg+xml' in text
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in text
    assert not TwoFactor.objects.filter(user=users["ben"]).exists()

    wrong = client.post("/two-factor/setup/?next=/audit/", {"code": "000000"})
    assert wrong.status_code == 200 and "The code is not correct" in wrong.content.decode()
    code = pyotp.TOTP(secret).at(fixed_clock)
    done = client.post("/two-factor/setup/?next=/audit/", {"code": code})
    assert done.status_code == 302 and done["Location"] == "/audit/"
    device = TwoFactor.objects.get(user=users["ben"])
    assert device.confirmed and device.secret == secret
    created = AuditEvent.objects.get(action="create", object_type="access.twofactor")
    assert created.after["secret"] == MASK and secret not in str(created.after)
    assert created.actor == users["ben"]
    assert client.get("/audit/").status_code == 200
    # Setup cannot be repeated to replace a device once it is confirmed.
    assert client.get("/two-factor/setup/")["Location"] == "/"


def test_a_confirmed_device_asks_for_a_code_at_every_sign_in(users, password, fixed_clock):
    secret = twofactor.new_secret()
    TwoFactor.objects.create(user=users["ben"], secret=secret, confirmed=True)
    client = Client()
    assert sign_in(client, "ben", password, "/audit/")["Location"] == ("/two-factor/?next=/audit/")
    # Setup is not a way round the code: it sends back to the code page.
    assert client.get("/two-factor/setup/")["Location"] == "/two-factor/"
    assert client.get("/two-factor/").status_code == 200
    wrong = client.post("/two-factor/?next=/audit/", {"code": "abcdef"})
    assert wrong.status_code == 200 and "Enter the 6-digit code" in wrong.content.decode()
    code = pyotp.TOTP(secret).at(fixed_clock)
    before = client.cookies["sessionid"].value
    ok = client.post("/two-factor/?next=/audit/", {"code": code})
    assert ok.status_code == 302 and ok["Location"] == "/audit/"
    assert client.cookies["sessionid"].value != before  # rotated on verification
    assert client.session[twofactor.SESSION_KEY] is True
    assert client.get("/audit/").status_code == 200
    # Signed out and in again, the same code is refused (replay).
    client.post("/sign-out/")
    sign_in(client, "ben", password)
    replay = client.post("/two-factor/", {"code": code})
    assert replay.status_code == 200
    assert "already been used" in replay.content.decode()
    assert client.get("/audit/")["Location"].startswith("/two-factor/")


def test_wrong_codes_are_throttled_like_passwords(users, password, fixed_clock):
    secret = twofactor.new_secret()
    TwoFactor.objects.create(user=users["ben"], secret=secret, confirmed=True)
    client = Client()
    sign_in(client, "ben", password)
    totp = pyotp.TOTP(secret)
    near = {totp.at(fixed_clock + dt.timedelta(seconds=30 * k)) for k in range(-1, 2)}
    wrong = next(c for c in (f"{n:06d}" for n in range(1000)) if c not in near)
    for _ in range(5):
        client.post("/two-factor/", {"code": wrong})
    refused = client.post("/two-factor/", {"code": totp.at(fixed_clock)})
    assert refused.status_code == 429
    assert "Try again after" in refused.content.decode()
    assert twofactor.SESSION_KEY not in client.session
    # Five failures recorded, the fifth saying that the limit was reached; the refusal
    # after them writes no row.
    rows = AuditEvent.objects.filter(action="sign-in-failed", object_repr="ben").order_by("id")
    assert [r.justification.split(";")[0] for r in rows] == [
        "wrong or reused second-factor code"
    ] * 5
    assert "limit reached" in rows[4].justification


def test_without_a_requirement_or_a_device_no_code_is_asked(client_for, users):
    client = client_for("ben")
    assert client.get("/audit/").status_code == 200
    # The setup page is open to a user who wants a second factor anyway.
    assert client.get("/two-factor/setup/").status_code == 200
