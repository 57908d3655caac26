"""A hot spot's LSOA links to its casework: ``/places/in/<lsoa>/`` lists the places recorded
there and the cases that name them, opened as the case policy allows and locked down
(reference, type, lead agency) otherwise; the TTCG agenda's hot spots link to it.

The demo's places are located in the demo store here (the session's hub is seeded without
one). Who sees what is the demo's facts, written out by hand (``casework_table.py``):
Capstan Court is named by housing's ASB case shared with the police; the Anchor car park
and Old Quay share an LSOA and are named by the youth service's exploitation case (shared
with the police) and the council's serious-violence case (shared with police and health).
"""

from __future__ import annotations

import re

import pytest

from csphub.hub.audit.models import AuditEvent
from csphub.hub.casework.models import Case, Place
from csphub.hub.casework.places import locate
from csphub.hub.groups.models import Meeting

CAPSTAN = "Noise, threats and damage, Capstan Court"
EXPLOITATION = "Child criminal exploitation concerns"
NIGHT_TIME = "Night-time economy violence, Old Quay"


@pytest.fixture
def located(partnership, settings, demo_run) -> dict[str, str]:
    """Each demo place's LSOA from the demo store, by address."""
    settings.CSPHUB_STORE = str(demo_run.store)
    out = {}
    for place in Place.objects.all():
        where = locate(place.longitude, place.latitude)
        assert where is not None, place
        Place.objects.filter(pk=place.pk).update(
            lsoa_code=where.lsoa_code, lsoa_name=where.lsoa_name
        )
        out[place.address] = where.lsoa_code
    return out


def _page(client, code: str):
    return client.get(f"/places/in/{code}/")


def test_the_lead_agency_opens_the_case_and_others_see_it_locked_down(located, client_for):
    code = located["12 Capstan Court"]
    case = Case.objects.get(title=CAPSTAN)
    ref = case.reference
    dave = _page(client_for("dave"), code).content.decode()
    assert "12 Capstan Court" in dave and f"{ref}: {CAPSTAN}" in dave
    assert "Locked down" not in dave
    locked = (
        f'Locked down: <a class="govuk-link" href="/cases/{case.pk}/">case {ref}</a>, '
        "antisocial behaviour, led by Brackwater Homes"
    )
    for user in ("fiona", "ahmed"):
        page = _page(client_for(user), code).content.decode()
        assert "12 Capstan Court" in page and locked in page
        assert CAPSTAN not in page
    assert _page(client_for("morgan"), code).status_code == 403  # the auditor: no casework


def test_one_lsoa_shows_each_case_as_the_users_agency_may(located, client_for):
    code = located["Old Quay"]
    assert located["Old Quay Road"] == code  # the car park and the night-time area
    jo = _page(client_for("jo"), code).content.decode()
    assert EXPLOITATION in jo and NIGHT_TIME not in jo
    sv = Case.objects.get(title=NIGHT_TIME).reference
    assert f"case {sv}</a>, serious violence, led by Brackwater Council" in jo
    inspector = _page(client_for("inspector"), code).content.decode()
    assert EXPLOITATION in inspector and NIGHT_TIME in inspector
    assert "Locked down" not in inspector


def test_the_page_writes_its_view_row_and_an_empty_lsoa_says_so(located, client_for):
    before = AuditEvent.objects.order_by("-pk").first().pk
    page = _page(client_for("dave"), "E01000001")
    assert page.status_code == 200
    assert "No casework place is recorded in E01000001" in page.content.decode()
    [row] = AuditEvent.objects.filter(pk__gt=before, action="view")
    assert row.actor_name == "dave" and "E01000001" in row.object_repr


@pytest.mark.slow
def test_the_ttcg_agendas_hot_spots_link_to_their_casework(located, client_for, settings):
    settings.CSPHUB_AREA = "E06999001"
    ttcg = Meeting.objects.get(group__code="ttcg")
    page = client_for("inspector").get(f"/meetings/{ttcg.pk}/agenda/new/").content.decode()
    hot = re.findall(r'name="evidence" value="hotspot:([^"]+)"', page)
    assert hot
    for code in hot:
        assert f'href="/places/in/{code}/"' in page
    # the demo's town-centre places are in its hot spots
    assert located["12 Capstan Court"] in hot and located["Old Quay"] in hot
    # once on the agenda, the hot spot's item links to the same page
    code = hot[0]
    client = client_for("inspector")
    added = client.post(f"/meetings/{ttcg.pk}/agenda/new/", {"evidence": f"hotspot:{code}"})
    assert added.status_code == 302
    meeting = client.get(f"/meetings/{ttcg.pk}/").content.decode()
    assert f'href="/places/in/{code}/"' in meeting
