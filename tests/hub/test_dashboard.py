"""The dashboard: the user's own and agency's live actions (overdue first, tagged), the next
meetings of their groups, and the plan's priorities in figures from the evidence store."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from csphub.hub.access.models import Agency
from csphub.hub.access.policy import policy
from csphub.hub.actions.models import Action
from csphub.hub.dashboard import figures as figures_module
from csphub.hub.groups.models import Group, Meeting

DEMO_AREA = "E06999001"


def action(group, agency, owner, due_days, state="open", title=None):
    today = timezone.localdate()
    return Action.objects.create(
        group=Group.objects.get(code=group),
        owner_agency=Agency.objects.get(code=agency),
        owner=owner,
        due=today + dt.timedelta(days=due_days),
        state=state,
        title=title or f"{group} {agency} {due_days} {state}",
    )


def linked_actions(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/actions/(\d+)/"', page)]


def test_own_live_actions_overdue_first_and_tagged(client_for, users):
    sam = users["sam"]
    later = action("board", "council", sam, 20, title="Later one")
    late = action("asb", "council", sam, -10, state="blocked", title="Long overdue one")
    done = action("board", "council", sam, -30, state="done", title="Finished one")
    response = client_for("sam").get("/")
    assert response.status_code == 200
    mine = response.context["mine"]
    assert mine[0].pk == late.pk
    assert later.pk in [a.pk for a in mine] and done.pk not in [a.pk for a in mine]
    assert all(a.owner_id == sam.pk for a in mine)
    overdue = [a for a in mine if a.due < timezone.localdate()]
    assert [a.pk for a in mine[: len(overdue)]] == [a.pk for a in overdue]  # overdue first
    page = response.content.decode()
    section = page.split('id="my-actions"')[1].split('id="agency-actions"')[0]
    first_row = section.split("<tr")[2]  # [0] before the table, [1] the header row
    assert f'href="/actions/{late.pk}/"' in first_row and "Overdue" in first_row
    later_row = section.split(f'href="/actions/{later.pk}/"')[1].split("</tr>")[0]
    assert "Overdue" not in later_row
    assert "Finished one" not in page
    assert f"{len(overdue)} overdue" in section


def test_agency_actions_are_the_agencys_live_ones_not_the_users_own(client_for, users):
    ours = action("board", "council", users["ahmed"], -2, title="Ahmed's overdue action")
    theirs = action("board", "police", users["inspector"], 5, title="A police action")
    page = client_for("sam").get("/").content.decode()
    agency = page.split('id="agency-actions"')[1].split('id="meetings"')[0]
    assert f'href="/actions/{ours.pk}/"' in agency and "Overdue" in agency
    assert "A police action" not in page  # visible to sam on the board, but not his agency's
    assert theirs.pk not in linked_actions(page)


def test_no_action_outside_the_users_scope(client_for, users):
    # fiona (fire) sits on the board but not the burglary group: a council action there is
    # out of her scope, and one her agency owns is hers to see.
    hidden = action("burglary", "council", users["sam"], -5, title="Burglary group only")
    fire = action("board", "fire", None, -1, title="Fire service action")
    for name in ("fiona", "jo", "dave", "sam", "priya", "ahmed"):
        page = client_for(name).get("/").content.decode()
        visible = set(policy("action").visible(users[name]).values_list("pk", flat=True))
        assert set(linked_actions(page)) <= visible, name
    fiona = client_for("fiona").get("/").content.decode()
    assert "Burglary group only" not in fiona and hidden.pk not in linked_actions(fiona)
    assert fire.pk in linked_actions(fiona)


def test_agency_list_is_capped_with_a_link_to_the_log(client_for, users):
    from csphub.hub.dashboard.views import AGENCY_ROWS

    for i in range(AGENCY_ROWS + 3):
        action("board", "council", None, i - 5, title=f"Council action {i}")
    response = client_for("sam").get("/")
    assert len(response.context["agency"]) == AGENCY_ROWS
    assert response.context["agency_total"] == AGENCY_ROWS + 3
    page = response.content.decode()
    assert 'href="/actions/?show=agency"' in page
    assert f"{AGENCY_ROWS + 3} live actions owned by your agency" in page


def test_next_five_meetings_of_the_users_groups(client_for, users):
    sam = client_for("sam").get("/").context["meetings"]
    assert any(m.group.code == "burglary" for m in sam)  # sam's: the council sits on it
    board = Group.objects.get(code="board")
    now = timezone.now()
    made = [
        Meeting.objects.create(
            group=board, title=f"Board {i}", starts_at=now + dt.timedelta(days=i)
        )
        for i in range(1, 8)
    ]
    Meeting.objects.create(
        group=board, title="Cancelled board", starts_at=now + dt.timedelta(hours=2),
        status="cancelled",
    )  # fmt: skip
    response = client_for("fiona").get("/")
    shown = response.context["meetings"]
    assert [m.pk for m in shown] == [m.pk for m in made[:5]]
    page = response.content.decode()
    assert f'href="/meetings/{made[0].pk}/"' in page
    assert "Cancelled board" not in page
    assert "Burglary Working Group" not in page  # fiona's agency is not on it


def test_without_an_area_or_store_the_figures_say_why_in_one_line(client_for, settings, tmp_path):
    settings.CSPHUB_AREA = ""
    page = client_for("sam").get("/").content.decode()
    section = page.split('id="priorities"')[1]
    assert "No figures: no area is set (CSPHUB_AREA)." in section
    assert "csphub ingest" in section and "<table" not in section
    settings.CSPHUB_AREA = DEMO_AREA
    settings.CSPHUB_STORE = str(tmp_path / "nowhere")
    section = client_for("sam").get("/").content.decode().split('id="priorities"')[1]
    assert f"there is no evidence store at {tmp_path / 'nowhere'}" in section


# The priorities in figures, on the demo store -------------------------------------------


@pytest.fixture(scope="module")
def demo_store(demo_run):
    """The demo store (``csphub demo``), shared by the run: read only."""
    return demo_run.store


def expected_figures(store_dir, priorities):
    """The figures computed here from counts and the E-test, independently of the view."""
    from csphub.analysis.counts import counts
    from csphub.analysis.store_inputs import loaded_months, parse_area, shift_month
    from csphub.analysis.trends import poisson_etest
    from csphub.store import open_store

    with open_store(store_dir, create=False, read_only=True) as store:
        last = loaded_months(store)[-1]
        area = parse_area(store, DEMO_AREA)
        out = {}
        for p in priorities:
            if not p.crime_types:
                continue
            where = {"crime_type": p.crime_types}
            now = counts(
                store, ["month"], start=shift_month(last, -11), end=last, area=area, where=where
            ).total
            before = counts(
                store, ["month"], start=shift_month(last, -23), end=shift_month(last, -12),
                area=area, where=where,
            ).total  # fmt: skip
            out[p.title] = (before, now, poisson_etest(before, now).p_value)
    return last, out


@pytest.mark.slow
def test_priority_figures_equal_counts_on_the_demo_store(client_for, settings, demo_store):
    from csphub.hub.plan.queries import current_plan

    settings.CSPHUB_STORE = str(demo_store)
    settings.CSPHUB_AREA = DEMO_AREA
    response = client_for("dave").get("/")
    figures = response.context["figures"]
    assert figures.unavailable == ""
    plan = current_plan(timezone.localdate())
    last, expected = expected_figures(demo_store, plan.priorities.all())
    assert figures.recent_period.endswith(last)
    assert [r.title for r in figures.rows] == list(expected)  # the plan's order
    assert len(figures.rows) >= 3
    for row in figures.rows:
        before, now, p = expected[row.title]
        assert (row.previous, row.recent, row.change) == (before, now, now - before)
        assert row.p_value == pytest.approx(p)
    assert any(r.recent > 0 for r in figures.rows)
    section = response.content.decode().split('id="priorities"')[1]
    burglary = next(r for r in figures.rows if "urglary" in r.title)
    row = next(r for r in section.split("<tr") if f">{burglary.title}<br>" in r)
    assert f">{burglary.previous}<" in row and f">{burglary.recent}<" in row


@pytest.mark.slow
def test_priority_figures_are_cached_until_the_store_changes(settings, demo_store):
    settings.CSPHUB_STORE = str(demo_store)
    settings.CSPHUB_AREA = DEMO_AREA
    priorities = [("Burglary", ["Burglary"]), ("Robbery", ["Robbery"])]
    first = figures_module.priority_figures(priorities)
    assert first.unavailable == "" and first.rows[0].recent > 0
    assert figures_module.priority_figures(priorities) is first  # from the cache
    catalog = demo_store / "csphub.duckdb"
    stat = catalog.stat()
    os.utime(catalog, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = figures_module.priority_figures(priorities)
    assert again is not first and again == first  # recomputed: the store "changed"


def test_while_an_ingest_holds_the_store_the_figures_are_being_refreshed(
    client_for, settings, tmp_path
):
    from csphub.ingest.load import ingest_sources
    from csphub.ingest.sources import expand_paths
    from csphub.store import open_store
    from policeuk_files import month_rows, write_street
    from store_lock import held_for_writing

    root = tmp_path / "store"
    f = write_street(tmp_path / "2022-01-testshire-street.csv", month_rows("2022-01", 5))
    with open_store(root) as store:
        ingest_sources(store, expand_paths([f])[0])
    settings.CSPHUB_STORE = str(root)
    settings.CSPHUB_AREA = DEMO_AREA
    with held_for_writing(root):
        page = client_for("sam").get("/").content.decode()
    section = page.split('id="priorities"')[1].split("</section>")[0]
    assert "figures are being refreshed" in section
    assert str(tmp_path) not in page and "PID" not in page and "python" not in section
