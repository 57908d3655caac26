"""Sign-in throttling that cannot lock everyone out (csphub.hub.access.throttle), the
client's address behind a trusted proxy (csphub.hub.access.proxy), and what failed and
refused attempts leave in the audit trail. Through the real sign-in page; the limits are
the documented ones: 5 per user name and address, 20 per user name from anywhere but its
user's own networks, 20 unknown user names per address, in a 15-minute window."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client

from csphub.hub.access.models import Membership, SignInCounter
from csphub.hub.audit.models import AuditEvent

from .factories import PASSWORD, AgencyFactory, MembershipFactory

PER_ADDRESS, PER_ACCOUNT, UNKNOWN_PER_ADDRESS = 5, 20, 20


@pytest.fixture
def users(db):
    council = AgencyFactory(code="throttle-council")
    made = [
        MembershipFactory(user__username=name, agency=council, roles=["member"])
        for name in ("alice", "bob")
    ]
    return {m.user.username: m.user for m in made}


def post(username: str, password: str, address: str, path: str = "/sign-in/", **extra):
    client = Client()
    response = client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )
    return response, client


def status(username: str, password: str, address: str, **extra) -> int:
    return post(username, password, address, **extra)[0].status_code


def failures() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="sign-in-failed").order_by("id"))


# Nobody locks out everyone ----------------------------------------------------------


def test_failures_of_others_at_a_shared_address_do_not_block_a_user(users):
    """Behind a proxy that does not pass the client's address (or one NAT), everyone has
    the same address: bob's typos and a spray of unknown names do not stop alice."""
    proxy = "10.0.0.1"
    for _ in range(PER_ADDRESS):
        assert status("bob", "wrong", proxy) == 200
    for n in range(UNKNOWN_PER_ADDRESS + 5):
        status(f"nobody{n}", "wrong", proxy)
    assert status("bob", PASSWORD, proxy) == 429  # bob's own guesses stop bob here
    assert status("alice", PASSWORD, proxy) == 302
    # Unknown names from that address are refused now; known ones are not.
    assert status("nobody-else", "wrong", proxy) == 429
    assert status("alice", "wrong", proxy) == 200


def test_an_attacker_at_one_address_does_not_lock_out_the_user(users):
    for _ in range(PER_ADDRESS + 10):
        status("alice", "wrong", "203.0.113.66")
    assert status("alice", PASSWORD, "203.0.113.66") == 429
    assert status("alice", PASSWORD, "198.51.100.7") == 302


def test_many_addresses_fill_the_account_but_not_the_users_own_network(users):
    status("alice", PASSWORD, "192.0.2.10")  # alice's office, where she signed in before
    for n in range(PER_ACCOUNT // PER_ADDRESS):
        for _ in range(PER_ADDRESS):
            assert status("alice", "wrong", f"203.0.113.{n + 1}") == 200
    assert status("alice", PASSWORD, "198.51.100.99") == 429  # a new address: refused
    assert status("alice", PASSWORD, "192.0.2.10") == 302  # her own network: not
    assert status("bob", PASSWORD, "198.51.100.99") == 302


def test_an_ipv6_host_cannot_pose_as_many_addresses(users):
    for n in range(PER_ADDRESS):
        status("alice", "wrong", f"2001:db8:1:2::{n + 1:x}")
    assert status("alice", PASSWORD, "2001:db8:1:2:ffff::1") == 429  # the same /64
    assert status("alice", PASSWORD, "2001:db8:1:3::1") == 302


def test_an_unknown_user_name_is_answered_like_a_known_one(users):
    known = [status("alice", "wrong", "203.0.113.5") for _ in range(PER_ADDRESS + 1)]
    unknown = [status("alyce", "wrong", "203.0.113.5") for _ in range(PER_ADDRESS + 1)]
    assert known == unknown == [200] * PER_ADDRESS + [429]


# The client's address behind a trusted proxy ----------------------------------------


def test_behind_a_configured_proxy_the_client_address_counts(users, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for n in range(PER_ADDRESS):
        # The attacker writes a different address of their own each time; the proxy
        # appends the one it saw, and only that one is believed.
        forged = f"192.0.2.{n + 1}, 203.0.113.66"
        assert status("alice", "wrong", proxy, HTTP_X_FORWARDED_FOR=forged) == 200
    assert status("alice", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.66") == 429
    response, _ = post("alice", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
    assert [r.address for r in failures()] == ["203.0.113.66"] * PER_ADDRESS
    signed_in = AuditEvent.objects.get(action="sign-in")
    assert signed_in.address == "198.51.100.7"


def test_two_trusted_proxies_take_the_second_address_from_the_right(users, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 2
    chain = "6.6.6.6, 198.51.100.7, 10.0.0.2"  # forged, client, outer proxy
    assert status("alice", "wrong", "10.0.0.1", HTTP_X_FORWARDED_FOR=chain) == 200
    assert failures()[0].address == "198.51.100.7"


def test_without_a_configured_proxy_the_header_is_ignored(users, settings):
    settings.TRUSTED_PROXY_HEADER = None
    for n in range(PER_ADDRESS):
        status("alice", "wrong", "203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")
    assert status("alice", PASSWORD, "203.0.113.66", HTTP_X_FORWARDED_FOR="192.0.2.99") == 429
    assert {r.address for r in failures()} == {"203.0.113.66"}


# What the audit trail keeps ---------------------------------------------------------


def test_refused_attempts_write_no_audit_row_and_the_path_is_not_the_attackers(users):
    junk = "/sign-in/?next=/" + "x" * 400
    for _ in range(PER_ADDRESS + 25):
        post("alice", "wrong", "203.0.113.66", path=junk)
    rows = failures()
    assert len(rows) == PER_ADDRESS
    assert {r.path for r in rows} == {"/sign-in/"}
    assert [("limit reached" in r.justification) for r in rows] == [False] * 4 + [True]


def test_unknown_user_names_are_bounded_and_never_kept(users):
    typed = [f"Correct-Horse-{n}!" for n in range(UNKNOWN_PER_ADDRESS + 30)]
    for name in typed:  # passwords typed into the user-name box
        status(name, "wrong", "203.0.113.66")
    rows = failures()
    assert len(rows) == UNKNOWN_PER_ADDRESS
    assert {(r.object_repr, r.object_id) for r in rows} == {("unknown user name", "")}
    kept = " ".join(
        f"{r.object_repr} {r.justification} {r.path} {r.before} {r.after}" for r in rows
    )
    kept += " ".join(SignInCounter.objects.values_list("key", flat=True))
    assert not any(name.lower() in kept.lower() for name in typed)


def test_a_user_without_an_active_membership_cannot_sign_in(users):
    Membership.objects.filter(user=users["alice"]).update(active=False)
    response, client = post("alice", PASSWORD, "192.0.2.10")
    assert response.status_code == 200
    assert "The user name or password is not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session
    row = failures()[-1]
    assert (row.object_repr, row.justification) == ("alice", "no active membership")
    assert not AuditEvent.objects.filter(action="sign-in").exists()


# No race ----------------------------------------------------------------------------


class CountingHasher(MD5PasswordHasher):
    """MD5 that counts the passwords it checks (a real hasher, not a mock)."""

    algorithm = "counting_md5"
    checked = 0
    lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingHasher.lock:
            CountingHasher.checked += 1
        return super().verify(password, encoded)


def test_concurrent_wrong_guesses_check_at_most_the_limit(
    audit_triggers_lifted, transactional_db, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests need a database server (PostgreSQL)")
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    MembershipFactory(user__username="alice", agency=AgencyFactory(code="race-council"))
    CountingHasher.checked = 0
    guesses = 24
    start = threading.Barrier(guesses)
    answers: list[int] = []

    def guess(n: int) -> None:
        try:
            client = Client()
            start.wait(timeout=30)
            response = client.post(
                "/sign-in/",
                {"username": "alice", "password": f"wrong-{n}"},
                REMOTE_ADDR="203.0.113.66",
            )
            answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == guesses
    assert CountingHasher.checked == PER_ADDRESS
    assert sorted(answers) == [200] * PER_ADDRESS + [429] * (guesses - PER_ADDRESS)
    assert AuditEvent.objects.filter(action="sign-in-failed").count() == PER_ADDRESS
