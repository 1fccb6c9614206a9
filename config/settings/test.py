"""Test settings: the base settings with fast hashing and in-memory email."""

import copy
import os

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, CHANNEL_LAYERS, REDIS_URL

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

# Parallel test workers (pytest-xdist) share one Redis: each gets its own
# channel-layer and cache prefix so their groups never cross.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and REDIS_URL:
    CHANNEL_LAYERS = copy.deepcopy(CHANNEL_LAYERS)
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"zhitong-{_worker}"
    CACHES = copy.deepcopy(CACHES)
    CACHES["default"]["KEY_PREFIX"] = f"zhitong-{_worker}"
