"""The staff idle timeout, written once: staff (moderators, officials,
department staff, admins) are signed out after
``ZHITONG_STAFF_IDLE_MINUTES`` without a request; citizens keep the long
session. ``board.middleware.StaffIdleTimeoutMiddleware`` applies it to
requests, the notification socket to itself at each heartbeat, so that an
open tab does not keep receiving the moderation queue for someone who left.
"""

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.module_loading import import_string

# The session key of a staff member's last request, in seconds since the epoch.
LAST_ACTIVITY_KEY = "zhitong_last_activity"
# The stored time is refreshed at most this often, so that a busy page does
# not write the session on every request.
LAST_ACTIVITY_RESOLUTION_SECONDS = 60


def idle_limit_seconds() -> int:
    return settings.ZHITONG_STAFF_IDLE_MINUTES * 60


def is_idle(session: SessionBase, now: float | None = None) -> bool:
    """Whether the session's last request is longer ago than the limit."""
    last = session.get(LAST_ACTIVITY_KEY)
    now = time.time() if now is None else now
    return isinstance(last, int) and now - last > idle_limit_seconds()


def session_key_is_idle(session_key: str) -> bool:
    """For a socket: reads the session afresh (a request in another tab may
    have refreshed it). A session that is gone counts as idle."""
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")(session_key)
    if not store.exists(session_key):
        return True
    return is_idle(store)
