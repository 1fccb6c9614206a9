"""Links in e-mails, star-imported by base.py: every link opens on the
address being served. ``make run`` sets SITE_URL to what it serves; a
deployment sets it to its public address (README.md)."""

import os
from urllib.parse import urlsplit

from .environment import env_bool

# The public address, for links in e-mails sent outside a request
# (notifications, the digest) and for the demo's printed logins.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def link_protocol(*, site_url_is_set: bool, site_url: str, debug: bool) -> str:
    """The scheme of allauth's links (verification, password reset): SITE_URL's
    when it is set, so that `make run`'s plain-HTTP links open; otherwise
    HTTPS unless DEBUG is on. allauth takes host and port from the request."""
    if site_url_is_set:
        return urlsplit(site_url).scheme or "http"
    return "http" if debug else "https"


ACCOUNT_DEFAULT_HTTP_PROTOCOL = link_protocol(
    site_url_is_set="SITE_URL" in os.environ,
    site_url=SITE_URL,
    debug=env_bool("DJANGO_DEBUG"),
)
# No "[127.0.0.1:8000] " before allauth's subjects: the subject templates
# (templates/account/email/) name the site in the reader's language.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
