"""Search reads a postcode district as a postcode, not as a case reference: "BW2" (two
letters and a digit, the shape of a reference such as "ASB12") found nothing before. The
demo's Gannet Walk flats are in BW2 7GW; Lewis Crane (on dave's case) and Jason Reeve (on
the youth service's exploitation case, not shared with housing) live there."""

from __future__ import annotations

import pytest

from csphub.hub.casework.models import Case

pytestmark = pytest.mark.django_db


def test_a_postcode_district_finds_the_places_and_people_there(client_for):
    page = client_for("dave").get("/search/", {"q": "BW2"}).content.decode()
    assert "Read as a postcode" in page
    assert "Gannet Walk flats" in page and "Lewis Crane" in page
    assert "Records you cannot open" in page and "Jason Reeve" not in page


@pytest.mark.parametrize("typed", ["{prefix}-{number}", "{prefix}{number}", "{lower} {number}"])
def test_a_case_reference_is_still_a_case_reference(client_for, typed):
    case = Case.objects.get(title="Noise, threats and damage, Capstan Court")
    prefix, number = case.reference.split("-")
    query = typed.format(prefix=prefix, lower=prefix.lower(), number=int(number))
    page = client_for("dave").get("/search/", {"q": query}).content.decode()
    assert "Read as a case reference" in page
    assert f"{case.reference}: {case.title}" in page
