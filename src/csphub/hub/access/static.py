"""The hub's stylesheet: the reports' GOV.UK styles plus the hub's forms and navigation,
served from the package (no CDN, nothing fetched; CSP allows only this site)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from csphub.hub.access.rules import PUBLIC, access


@cache
def stylesheet() -> str:
    base = files("csphub.reports.document").joinpath("style.css").read_text(encoding="utf-8")
    hub = files("csphub.hub").joinpath("static/hub.css").read_text(encoding="utf-8")
    return base + hub


@access(PUBLIC)
@require_GET
def hub_css(request):
    response = HttpResponse(stylesheet(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
