"""Security headers, cookies, CSRF, password hashing and the HTTPS settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def check_headers(response) -> None:
    for name, value in HEADERS.items():
        assert response[name] == value, name
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_pages_send_the_security_headers(client_for, partnership):
    check_headers(Client().get("/sign-in/"))
    check_headers(Client().get("/static/hub.css"))
    signed_in = client_for("morgan").get("/audit/")
    check_headers(signed_in)
    assert signed_in["Cache-Control"] == "no-store"  # nothing personal kept in caches
    check_headers(client_for("dave").get("/audit/"))  # a refusal too


def test_cookies_are_http_only_and_same_site(partnership):
    client = Client()
    page = client.get("/sign-in/")
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post("/sign-in/", {"username": "sam", "password": partnership.password})
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert not session["secure"]  # plain HTTP in tests; see the HTTPS test below


def _csrf_token(page) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, "no CSRF token in the form"
    return match.group(1)


def test_csrf_is_enforced_on_post(partnership):
    client = Client(enforce_csrf_checks=True)
    credentials = {"username": "sam", "password": partnership.password}
    assert client.post("/sign-in/", credentials).status_code == 403
    assert "_auth_user_id" not in client.session
    token = _csrf_token(client.get("/sign-in/"))
    signed_in = client.post("/sign-in/", {**credentials, "csrfmiddlewaretoken": token})
    assert signed_in.status_code == 302
    # Signing out without the token is refused and leaves the session signed in.
    assert client.post("/sign-out/").status_code == 403
    assert "_auth_user_id" in client.session
    token = _csrf_token(client.get("/two-factor/setup/"))
    assert client.post("/sign-out/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(partnership, settings):
    import importlib

    # The production hashers (the hub tests' fixture swaps in a fast one, and the session's
    # demo partnership was seeded with it): each demo user's password set again, as the
    # seed sets it.
    settings.PASSWORD_HASHERS = importlib.import_module("csphub.hub.settings").PASSWORD_HASHERS
    for user in get_user_model().objects.all():
        user.set_password(partnership.password)
        user.save()
    for user in get_user_model().objects.all():
        assert user.password.startswith("argon2$"), user.username
        assert partnership.password not in user.password


PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
page = Client().get("/sign-in/", secure=True)
plain = Client().get("/sign-in/")
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": page.get("Strict-Transport-Security", ""),
    "csrf_cookie_secure": bool(page.cookies["csrftoken"]["secure"]),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
}))
"""


def _settings_with(tmp_path, https: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CSPHUB_HTTPS", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="csphub.hub.settings",
        CSPHUB_HUB_DIR=str(tmp_path),
        CSPHUB_SECRET_KEY="probe-only-" + "x" * 40,
    )
    if https:
        env["CSPHUB_HTTPS"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("https", [True, False])
def test_https_turns_on_hsts_secure_cookies_and_the_redirect(tmp_path, https):
    got = _settings_with(tmp_path, https)
    if https:
        assert got["session_secure"] and got["csrf_secure"] and got["csrf_cookie_secure"]
        assert "max-age=31536000" in got["hsts"] and "includeSubDomains" in got["hsts"]
        assert got["plain_status"] == 301
        assert got["plain_location"] == "https://testserver/sign-in/"
    else:
        assert not got["session_secure"] and not got["csrf_secure"]
        assert got["hsts"] == "" and got["plain_status"] == 200
