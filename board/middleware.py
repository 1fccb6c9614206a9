"""Request middleware for the site's security headers and staff sessions.

``ContentSecurityPolicyMiddleware`` is django-csp's, with the page's own
WebSocket origin (``static/js/realtime.js`` and ``live-message.js`` open
``ws://`` or ``wss://`` to the host that served the page) added to
``connect-src``, and the ``Reporting-Endpoints`` header that ``report-to``
names. ``StaffIdleTimeoutMiddleware`` signs staff out after
``ZHITONG_STAFF_IDLE_MINUTES`` without a request; citizens keep the long
session. ``SecondFactorSetupMiddleware`` keeps staff without a second factor
on its set-up page.
"""

import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import DisallowedHost
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from board.lockout import API_PREFIX
from board.roles import is_staff_member
from board.second_factor import (
    SECOND_FACTOR_REQUIRED,
    SETUP_REQUIRED_MESSAGE,
    needs_second_factor_setup,
)
from board.staff_sessions import (
    LAST_ACTIVITY_KEY,
    LAST_ACTIVITY_RESOLUTION_SECONDS,
    is_idle,
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        scheme = "wss" if request.is_secure() else "ws"
        parts.update = {**(parts.update or {}), "connect-src": [f"{scheme}://{host}"]}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if "Content-Security-Policy" in response:
            response.headers.setdefault(
                "Reporting-Endpoints",
                f'{settings.CSP_REPORT_GROUP}="{settings.CSP_REPORT_PATH}"',
            )
        return response


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_member(user):
            self.check_idle(request)
        return self.get_response(request)

    def check_idle(self, request):
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY_KEY)
        if is_idle(request.session, now):
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)d minutes without activity.")
                % {"minutes": settings.ZHITONG_STAFF_IDLE_MINUTES},
            )
            return
        if not isinstance(last, int) or now - last >= LAST_ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_KEY] = now


class SecondFactorSetupMiddleware:
    """Staff who must have a second factor and have none yet may only set
    one up (or sign out): pages redirect to allauth's set-up page, the API
    answers 403 ``second_factor_required`` (board/second_factor.py)."""

    # allauth's account pages (set-up, re-authentication, logout, email),
    # the language and elder-mode switches and CSP reports stay open; so
    # does the JavaScript catalog, which the set-up page itself loads: sent
    # to the set-up page, its request would draw a new secret behind the
    # QR code the person is scanning.
    OPEN_PREFIXES = (
        "/accounts/",
        "/i18n/",
        "/jsi18n/",
        "/preferences/",
        "/csp-report/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and not request.path_info.startswith(self.OPEN_PREFIXES)
            and needs_second_factor_setup(user)
        ):
            return self.setup_required(request)
        return self.get_response(request)

    def setup_required(self, request):
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "detail": str(SETUP_REQUIRED_MESSAGE),
                    "code": SECOND_FACTOR_REQUIRED,
                },
                status=403,
            )
        messages.info(request, SETUP_REQUIRED_MESSAGE)
        return redirect("mfa_activate_totp")
