"""Fixtures for the hub: the demo partnership (agencies, groups, users, meetings and
actions) in the test database, and signed-in clients.

Users of the demo (``csphub/hub/demo/partnership.json``): sam (council, coordinator, chairs
the board and the ASB group), inspector (police, chair; chairs the TTCG and the burglary
group), priya (police, analyst), dave (housing, member), jo (youth service, member), ahmed
(council, viewer), morgan (council, auditor), fiona (fire: on the board but not the
burglary group).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def partnership(db):
    from csphub.hub.demo.seed import seed_partnership

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
