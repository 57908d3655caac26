"""Deny by default: every request's view must declare an access rule (:mod:`.rules`).

Order of checks: no rule, 403 (and a log line naming the view); public, allowed; not
signed in, to the sign-in page; a compulsory second factor not done, to the two-factor
page; a temporary password not yet changed, to the change-password page; a missing named
permission, 403. Object scope is checked by the view (404 / 403).
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseForbidden, HttpResponseRedirect

from csphub.hub.access.acting import bind
from csphub.hub.access.denials import record_refusal
from csphub.hub.access.passwords import change_first
from csphub.hub.access.rules import PASSWORD_ONLY, rule_of
from csphub.hub.access.scope import has_permission
from csphub.hub.access.twofactor import second_factor_needed

log = logging.getLogger("csphub.hub.access")


class AccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        rule = rule_of(view_func)
        if rule is None:
            log.error("no access rule on %s: denied", getattr(view_func, "__name__", view_func))
            return HttpResponseForbidden("This page has no access rule, so it is refused.")
        if rule.public:
            return None
        if not request.user.is_authenticated:
            return HttpResponseRedirect(
                f"{settings.LOGIN_URL}?next={quote(request.get_full_path())}"
            )
        bind(request)  # the membership the user acts for, from the session
        if rule is not PASSWORD_ONLY and second_factor_needed(request):
            return HttpResponseRedirect(f"/two-factor/?next={quote(request.get_full_path())}")
        if rule is not PASSWORD_ONLY and (change := change_first(request, view_func)):
            return change  # a temporary password is changed before anything else
        if rule.permission and not has_permission(request.user, rule.permission):
            record_refusal(request, 403)
            return HttpResponseForbidden("You do not have permission to see this page.")
        return None

    def process_exception(self, request, exception):
        """A view's refusal (404 out of sight, 403 not theirs) is recorded, then Django
        answers it as usual."""
        if isinstance(exception, Http404 | PermissionDenied):
            record_refusal(request, 404 if isinstance(exception, Http404) else 403)
        return None


class SecurityHeadersMiddleware:
    """Content-Security-Policy and a few headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "no-store")
        return response
