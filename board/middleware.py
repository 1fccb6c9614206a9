"""Request middleware for the site's security headers and staff sessions.

``ContentSecurityPolicyMiddleware`` is django-csp's, with the page's own
WebSocket origin (``static/js/realtime.js`` and ``live-message.js`` open
``ws://`` or ``wss://`` to the host that served the page) added to
``connect-src``, and the ``Reporting-Endpoints`` header that ``report-to``
names. ``StaffIdleTimeoutMiddleware`` signs staff out after
``ZHITONG_STAFF_IDLE_MINUTES`` without a request; citizens keep the long
session.
"""

import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import DisallowedHost
from django.utils.translation import gettext as _

from board.roles import Role, user_roles

# The session key of a staff member's last request, in seconds since the epoch.
LAST_ACTIVITY_KEY = "zhitong_last_activity"
# The stored time is refreshed at most this often, so that a busy page does
# not write the session on every request.
LAST_ACTIVITY_RESOLUTION_SECONDS = 60


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


def is_staff_member(user) -> bool:
    """Anyone with more than a citizen's rights, or with admin access."""
    if user.is_staff or user.is_superuser:
        return True
    return any(role != Role.CITIZEN.value for role in user_roles(user))


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
        limit = settings.ZHITONG_STAFF_IDLE_MINUTES * 60
        last = request.session.get(LAST_ACTIVITY_KEY)
        if isinstance(last, int) and now - last > limit:
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)d minutes without activity.")
                % {"minutes": settings.ZHITONG_STAFF_IDLE_MINUTES},
            )
            return
        if not isinstance(last, int) or now - last >= LAST_ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_KEY] = now
