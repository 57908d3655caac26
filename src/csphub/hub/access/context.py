"""Template context: the navigation a signed-in user may use."""

from __future__ import annotations

from csphub.hub.access.acting import acting
from csphub.hub.access.scope import has_permission


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = [("/", "Dashboard")]
    if has_permission(user, "group.view"):
        nav += [("/groups/", "Groups"), ("/meetings/", "Meetings")]
    if has_permission(user, "action.view"):
        nav.append(("/actions/", "Actions"))
    if has_permission(user, "case.view"):
        nav.append(("/cases/", "Cases"))
    if has_permission(user, "case.profile"):
        nav.append(("/search/", "Search"))
    if has_permission(user, "report.view"):
        nav.append(("/committee-report/", "Committee report"))
    if has_permission(user, "agreement.manage"):
        nav.append(("/casework/agreements/", "Agreements"))
    if has_permission(user, "partnership.manage"):
        nav.append(("/partnership/", "Partnership"))
    if has_permission(user, "audit.view"):
        nav.append(("/audit/", "Audit"))
    return {"nav": nav, "current_path": request.path, "acting": acting(user)}
