"""Fixtures for the hub: the demo partnership (agencies, groups, users, meetings and
actions) in the test database, and signed-in clients.

Users of the demo (``csphub/hub/demo/partnership.json``): sam (council, coordinator, chairs
the board and the ASB group), inspector (police, chair; chairs the TTCG and the burglary
group), priya (police, analyst), dave (housing, member), jo (youth service, member), ahmed
(council, viewer), morgan (council, auditor), fiona (fire: on the board but not the
burglary group).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """MD5 instead of Argon2 in tests (seeding hashes eight passwords); the production
    hasher is tested on its own in test_security.py."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the demo partnership seeded once for the session (each
    worker's own database under pytest-xdist). Every ``db`` test runs in a transaction
    that is rolled back, so each starts from this state and none sees another's rows."""
    from django.test.utils import override_settings

    from csphub.hub.demo.seed import seed_partnership

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        return seed_partnership()


@pytest.fixture
def partnership(django_db_setup, db):
    """The demo partnership (seeded once for the session). A transactional test empties
    the database when it ends (pytest-django runs those last): then it is seeded again,
    inside this test's transaction."""
    from csphub.hub.demo.seed import seed_partnership

    if get_user_model().objects.filter(username="sam").exists():
        return django_db_setup
    return seed_partnership()


@pytest.fixture
def users(partnership):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def client_for(users):
    """``client_for("sam")``: a client signed in as that demo user."""

    def make(username: str) -> Client:
        client = Client(enforce_csrf_checks=False)
        client.force_login(users[username])
        return client

    return make


@pytest.fixture
def audit_triggers_lifted(django_db_setup, django_db_blocker):
    """A transactional test ends by emptying every table, which the audit trail's
    append-only triggers refuse: they are lifted for the test and put back afterwards.
    Request it before ``transactional_db`` (not a ``django_db(transaction=True)`` mark), so
    they come back only after the flush."""
    from django.db import connection

    from csphub.hub.audit import triggers

    undo, redo = triggers.lift(connection.vendor), triggers.restore(connection.vendor)
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for statement in undo:
            cursor.execute(statement)
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for statement in redo:
            cursor.execute(statement)


@pytest.fixture
def live_hub(transactional_db):
    """pytest-django's live server without Django's static-files handler: the hub sets no
    ``STATIC_URL`` (its stylesheet is a view at /static/hub.css), and that handler fails on
    an unset one or would shadow the view under a set one."""
    from django.db import connections
    from django.test.testcases import LiveServerThread

    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LiveServerThread(
        "localhost", static_handler=lambda app: app, connections_override=shared
    )
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


def _load_axe():
    """tests/reports/axe.py (axe-core in Debian chromium through Playwright), loaded once."""
    if "axe" not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "reports" / "axe.py"
        spec = importlib.util.spec_from_file_location("axe", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["axe"] = module
        spec.loader.exec_module(module)
    return sys.modules["axe"]


@pytest.fixture(scope="session")
def axe():
    return _load_axe()


@pytest.fixture
def accessible(axe):
    """``accessible(page)``: no serious or critical WCAG 2.0-2.2 A/AA violation on it."""

    def check(page) -> None:
        run = axe.run_axe_on_page(page)
        assert not run.failing, f"{page.url}:\n{run.summary(run.failing)}"

    return check


def _sign_in(page, base: str, username: str, password: str):
    page.goto(f"{base}/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"{username} could not sign in"
    return page


@pytest.fixture
def sign_in():
    """``sign_in(page, base_url, username, password)``: through the real sign-in form."""
    return _sign_in


@pytest.fixture
def banner():
    """``banner(page)``: the text of the message a page shows after a form is sent."""

    def text(page) -> str:
        return page.locator(".govuk-notification-banner").inner_text()

    return text
