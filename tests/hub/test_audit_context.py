"""The audit context: every row says who acted, for which agency, from which address and in
which request; its kind is a typed event; it can name its data subjects, and a disclosure
its recipient and legal basis (DPA 2018 s.62). Expected values come from the test's own
set-up (the agency it made the user act for, the header the server sent back), not from
the code that writes the rows."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from csphub.hub.access.models import Agency, Membership
from csphub.hub.audit.context import for_user, system
from csphub.hub.audit.events import Event
from csphub.hub.audit.models import AuditEvent, AuditSubject
from csphub.hub.audit.service import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim(partnership):
    """A fire chair who is also a youth-service member."""
    fire, youth = Agency.objects.get(code="fire"), Agency.objects.get(code="youth")
    user = get_user_model().objects.create_user("kim", password=None)
    at_fire = Membership.objects.create(user=user, agency=fire, roles=["chair"])
    at_youth = Membership.objects.create(user=user, agency=youth, roles=["member"])
    return user, at_fire, at_youth


def _last_view(user) -> AuditEvent:
    return AuditEvent.objects.filter(actor=user, action="view").order_by("-seq").first()


def test_a_pages_view_row_names_the_agency_acted_for_the_request_and_address(kim):
    user, at_fire, at_youth = kim
    client = Client(REMOTE_ADDR="198.51.100.23")
    client.force_login(user)
    client.post("/acting/", {"membership": at_fire.pk})
    response = client.get("/")
    assert response.status_code == 200
    row = _last_view(user)
    assert row.acting_agency == at_fire.agency.name
    assert row.request_id == response["X-Request-ID"] and len(row.request_id) == 16
    assert row.address == "198.51.100.23"
    assert row.path == "/"
    client.post("/acting/", {"membership": at_youth.pk})
    second = client.get("/")
    row = _last_view(user)
    assert row.acting_agency == at_youth.agency.name
    assert row.request_id == second["X-Request-ID"] != response["X-Request-ID"]


def test_every_request_gets_its_own_id_even_when_refused(client_for, users):
    client = client_for("ahmed")  # a viewer: the action list is not theirs
    response = client.get("/actions/")
    assert response.status_code == 403
    row = AuditEvent.objects.filter(actor=users["ahmed"], action="denied").latest("seq")
    assert row.request_id == response["X-Request-ID"]


def test_a_kind_is_a_typed_event_and_an_author_is_a_context(users):
    with pytest.raises(TypeError):
        record("view", users["sam"], ctx=for_user(users["sam"]))
    with pytest.raises(TypeError):
        record(Event.VIEW, users["sam"], ctx=users["sam"])
    with pytest.raises(ValueError):
        system("")


def test_a_disclosure_names_its_recipient_and_legal_basis(users):
    sam = users["sam"]
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="recipient and legal basis"):
        record(Event.DISCLOSE, ctx=for_user(sam), object_type="x", recipient="Health")
    with pytest.raises(ValueError, match="recipient and legal basis"):
        record(Event.DISCLOSE, ctx=for_user(sam), object_type="x", legal_basis="CDA s.115")
    assert AuditEvent.objects.count() == before
    row = record(
        Event.DISCLOSE,
        ctx=for_user(sam),
        object_type="x",
        recipient="Blackpool Teaching Hospitals",
        legal_basis="Crime and Disorder Act 1998 s.115",
        subjects=[("user", users["dave"].pk)],
    )
    stored = AuditEvent.objects.get(pk=row.pk)
    assert (stored.recipient, stored.legal_basis, stored.action) == (
        "Blackpool Teaching Hospitals",
        "Crime and Disorder Act 1998 s.115",
        "disclose",
    )
    assert stored.acting_agency == Agency.objects.get(code="council").name  # sam's one


def test_subjects_are_stored_sorted_once_and_indexed(users):
    dave, jo = users["dave"], users["jo"]
    row = record(
        Event.VIEW,
        ctx=system("test"),
        object_type="x",
        subjects=[("user", jo.pk), ("user", dave.pk), ("user", jo.pk)],
    )
    wanted = sorted([f"user:{dave.pk}", f"user:{jo.pk}"])
    assert AuditEvent.objects.get(pk=row.pk).subjects == wanted
    index = AuditSubject.objects.filter(event=row).values_list("subject_type", "subject_id")
    assert sorted(f"{t}:{i}" for t, i in index) == wanted
    with pytest.raises(ValueError):
        record(Event.VIEW, ctx=system("test"), subjects=[("per:son", 1)])


def test_the_audit_search_finds_every_row_about_a_person(client_for, users):
    dave = users["dave"]
    sam = client_for("sam")  # the coordinator opens dave's password reset page
    assert sam.get(f"/partnership/users/{dave.pk}/password/").status_code == 200
    record(Event.VIEW, ctx=system("unrelated"), object_type="x", subjects=[("user", 999999)])
    page = client_for("morgan").get("/audit/", {"subject": f"user:{dave.pk}"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"user:{dave.pk}" in text and "user:999999" not in text
    bad = client_for("morgan").get("/audit/", {"subject": "dave"})
    assert "Enter a data subject as type:number" in bad.content.decode()


def test_verify_finds_a_subject_index_changed_by_hand_on_either_database(users):
    """The index check runs in the database (its JSON functions): tried on the one the
    suite runs on, with the index's triggers lifted inside the test's transaction."""
    from django.db import connection

    from csphub.hub.audit.verify import check_subject_index

    about = record(
        Event.VIEW, ctx=system("test"), object_type="x", subjects=[("person", 7), ("person", 9)]
    )
    other = record(Event.VIEW, ctx=system("test"), object_type="x")
    assert list(check_subject_index()) == []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER
            cursor.execute("ALTER TABLE audit_auditsubject DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_subject_no_delete")
        cursor.execute(
            "DELETE FROM audit_auditsubject WHERE event_id = %s AND subject_id = '9'", [about.pk]
        )
        cursor.execute(
            "INSERT INTO audit_auditsubject (event_id, subject_type, subject_id) "
            "VALUES (%s, 'person', '9')",
            [other.pk],
        )
    found = [(b.row_id, b.kind, b.detail) for b in check_subject_index()]
    assert found == [
        (about.pk, "index", "its subject index entries differ from its subjects"),
        (other.pk, "index", "subject index entries for a row that names none"),
    ]
