"""Who may do what in the demo partnership, written by hand for the access sweep.

Nothing here is read from the code under test. The sets follow the roles' reach as the
README and ``roles.csv`` state it in words (a viewer sees the public committee report
only; an auditor the audit trail and the full report, not the meetings; a member the
groups their agency sits on; a chair manages the groups they chair; a coordinator the
partnership's business in the groups their agency sits on; a deactivated membership gives
nothing; a user with two memberships holds only the rights of the agency they act for),
applied to the demo partnership's facts (``hub/demo/partnership.json``):

=================  ==========================================================
group              agencies on it (chair)
=================  ==========================================================
board              council police fire health probation housing pcc (sam)
ttcg               police council housing fire youth (inspector)
serious-violence   council police health probation fire ambulance (kim, here)
aquazure           police council health (lee, here: a leaver)
domestic-abuse     council police health housing probation voluntary
asb                council police housing fire (sam)
youth-asb          council police youth housing
exploitation       police council health youth
burglary           police council housing (inspector)
=================  ==========================================================

The sweep's extra users: ``kim`` is a chair at the fire service (chairing the serious
violence group) and a member at the youth service, tried acting for each
(``kim@fire``, ``kim@youth``); ``lee`` was a police chair (chairing Aquazure) whose
membership has been deactivated.
"""

from __future__ import annotations

ALL = frozenset(
    {
        "board",
        "ttcg",
        "serious-violence",
        "aquazure",
        "domestic-abuse",
        "asb",
        "youth-asb",
        "exploitation",
        "burglary",
    }
)
FIRE = frozenset({"board", "ttcg", "serious-violence", "asb"})
YOUTH = frozenset({"ttcg", "youth-asb", "exploitation"})
HOUSING = frozenset({"board", "ttcg", "domestic-abuse", "asb", "youth-asb", "burglary"})

#: The users the sweep tries.
USERS = (
    "sam",
    "priya",
    "inspector",
    "dave",
    "jo",
    "fiona",
    "ahmed",
    "morgan",
    "kim@fire",
    "kim@youth",
    "lee",
)

#: The groups (their meetings, agenda, attendance and decisions) each user sees.
SEES = {
    "sam": ALL,  # the council sits on every group
    "priya": ALL,  # so does the police
    "inspector": ALL,
    "dave": HOUSING,
    "jo": YOUTH,
    "fiona": FIRE,
    "ahmed": frozenset(),  # viewer: the public report only
    "morgan": frozenset(),  # auditor: the trail and the report, not the meetings
    "kim@fire": FIRE,  # serious violence is both a fire seat and kim's chair
    "kim@youth": YOUTH,
    "lee": frozenset(),  # deactivated: nothing
}

#: The groups in which each user schedules meetings, keeps agendas, attendance and
#: minutes, records decisions and raises actions.
MANAGES = {
    "sam": ALL,  # coordinator: the partnership's business where the council sits
    "inspector": frozenset({"ttcg", "burglary"}),  # chair: the groups he chairs
    "kim@fire": frozenset({"serious-violence"}),
}

#: The agency each user acts for, where their role lets them see and update the actions
#: that agency owns.
OWNS_ACTIONS_OF = {
    "sam": "council",
    "priya": "police",  # sees the police's actions (analyst) but updates none
    "inspector": "police",
    "dave": "housing",
    "jo": "youth",
    "fiona": "fire",
    "kim@fire": "fire",
    "kim@youth": "youth",
}
#: Those whose role updates the actions their agency owns (not the analyst).
UPDATES_OWNED = frozenset({"sam", "inspector", "dave", "jo", "fiona", "kim@fire", "kim@youth"})
#: Those who update every action of the groups they chair, by group.
UPDATES_CHAIRED = {
    "sam": frozenset({"board", "asb"}),
    "inspector": frozenset({"ttcg", "burglary"}),
    "kim@fire": frozenset({"serious-violence"}),
}

#: The pages that are not about one object, and who may open each: a route name to the
#: set of users answered 200 (everyone else 403). ``None``: any signed-in user.
PAGES = {
    "dashboard": None,
    "group-list": frozenset(u for u in USERS if SEES.get(u)),
    "meeting-list": frozenset(u for u in USERS if SEES.get(u)),
    "action-list": frozenset(OWNS_ACTIONS_OF),
    "action-export": frozenset({"sam", "priya", "inspector", "kim@fire"}),
    "committee-report": frozenset(set(USERS) - {"lee"}),
    "audit-list": frozenset({"morgan"}),
    "audit-export": frozenset({"morgan"}),
    "partnership-home": frozenset({"sam"}),
    "partnership-agency-new": frozenset({"sam"}),
    "partnership-user-new": frozenset({"sam"}),
}
#: Who may open the full (exempt) committee report.
FULL_REPORT = frozenset({"sam", "inspector", "morgan", "kim@fire"})


def sees_action(user: str, group: str, raised_in: str | None, owner_agency: str) -> bool:
    """An action is seen in its group, in the group whose decision raised it, and by the
    agency that owns it."""
    if user not in OWNS_ACTIONS_OF:
        return False
    seen = SEES[user]
    return group in seen or raised_in in seen or OWNS_ACTIONS_OF[user] == owner_agency


def updates_action(user: str, group: str, owner_agency: str) -> bool:
    owned = user in UPDATES_OWNED and OWNS_ACTIONS_OF.get(user) == owner_agency
    return owned or group in UPDATES_CHAIRED.get(user, frozenset())
