"""Test settings: the base settings with fast hashing and in-memory email."""

import copy
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

# Secrets, settings and headers: the base settings refuse, without DEBUG, the
# keys written in the repository and an email setup that was not chosen. The
# test run uses a throwaway key (shared with the server processes it starts,
# which inherit the environment) and in-memory email (below).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, CACHES, CHANNEL_LAYERS, DATABASES, REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Serve static files from the app folders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run in-process in tests, whichever services the run uses; the
# multi-worker tests start a real worker where they need one.
CELERY_TASK_ALWAYS_EAGER = True
# Test databases start with an empty working calendar: each test adds the
# holidays it needs (config/settings/working_calendar.py).
ZHITONG_IMPORT_HOLIDAYS_ON_MIGRATE = False
# Client address and rate limits: off unless RATE_LIMITS=on; the tests of
# the limits switch them on themselves.
ZHITONG_RATE_LIMITS_ENABLED = os.environ.get("RATE_LIMITS", "off") == "on"
# allauth's own per-address login limit (30 a minute) too: the browser tests
# sign in through the form from 127.0.0.1 more often than that.
if not ZHITONG_RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": None}
# A second alias for the read-replica router's tests: a mirror of the test
# database, used only where a test lists ZHITONG_READ_REPLICAS.
DATABASES = {
    **DATABASES,
    "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}},
}
# The page cache keeps pages across tests that roll their data back (its
# versions move only when a transaction commits): off, but in its own tests.
ZHITONG_PAGE_CACHE_SECONDS = 0
# Likewise the filter forms' lists (board/filter_choices.py).
ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 0
# The second factor for staff: off, so that tests log staff in with
# force_login; its own tests switch it on.
ZHITONG_STAFF_SECOND_FACTOR = False

# Parallel test workers (pytest-xdist) share one Redis: each gets its own
# channel-layer prefix so their groups never cross, and its own cache
# database, because a test's cache.clear() empties a whole database.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and REDIS_URL:
    CHANNEL_LAYERS = copy.deepcopy(CHANNEL_LAYERS)
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"zhitong-{_worker}"
    CACHES = copy.deepcopy(CACHES)
    CACHES["default"]["KEY_PREFIX"] = f"zhitong-{_worker}"
    _url = urlsplit(REDIS_URL)
    _cache_db = int(_url.path.strip("/") or 0) + 1 + int(_worker.removeprefix("gw"))
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_cache_db % 16}"))
