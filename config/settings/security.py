"""The security settings (docs/security.md), star-imported by base.py: what
the settings refuse to load with when DEBUG is off, the Content-Security-
Policy, TLS and cookies, the staff idle timeout, the login lockout and API
tokens, input caps, the client address and rate limits.

Without DEBUG, a secret key that is public (the built-in one, or any other
written in this repository) or weak, and an email setup nobody chose, raise
``ImproperlyConfigured`` while the settings load.
"""

import os
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from .environment import env_bool

# The embedded key serves `make run` (DEBUG on) only. It and every other key
# that has been written in this repository are public: anyone can sign
# sessions, password-reset and email-confirmation links with them.
EMBEDDED_SECRET_KEY = "embedded-insecure-key-set-SECRET_KEY-in-production"  # noqa: S105
PUBLIC_SECRET_KEYS = frozenset(
    {EMBEDDED_SECRET_KEY, "multi-worker-test", "bench-pages", "bench-realtime"}
)
EMAIL_BACKEND_ALIASES = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}


def secret_key_is_unsafe(key: str) -> bool:
    """Public, or too weak for Django's own check (security.W009: under 50
    characters or under 5 distinct ones)."""
    return (
        key in PUBLIC_SECRET_KEYS
        or "insecure" in key
        or len(key) < 50
        or len(set(key)) < 5
    )


def secret_key_from_environment(*, debug: bool) -> str:
    """DJANGO_SECRET_KEY (SECRET_KEY is still read for existing deployments);
    the embedded key with DEBUG only."""
    key = (
        os.environ.get("DJANGO_SECRET_KEY")
        or os.environ.get("SECRET_KEY")
        or EMBEDDED_SECRET_KEY
    )
    if not debug and secret_key_is_unsafe(key):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is missing, published in the repository or too "
            "weak, and DJANGO_DEBUG is off. Set DJANGO_SECRET_KEY to a random "
            "value of at least 50 characters (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or DJANGO_DEBUG=1 for local "
            "development only."
        )
    return key


def email_backend_from_environment(*, debug: bool) -> str:
    """Verification and password-reset links must reach the user, not the
    log: without DEBUG, SMTP needs EMAIL_HOST and the console backend must be
    chosen by name (EMAIL_BACKEND=console). EMAIL_BACKEND also takes "smtp"
    or a dotted path."""
    name = os.environ.get("EMAIL_BACKEND", "").strip()
    if not name and "EMAIL_HOST" in os.environ:
        name = "smtp"
    elif not name and debug:
        name = "console"
    backend = EMAIL_BACKEND_ALIASES.get(name, name)
    is_smtp = backend.endswith("smtp.EmailBackend")
    if not debug and (not backend or (is_smtp and not os.environ.get("EMAIL_HOST"))):
        raise ImproperlyConfigured(
            "Email is not configured and DJANGO_DEBUG is off: set EMAIL_HOST "
            "(with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
            "EMAIL_USE_TLS) for SMTP, or EMAIL_BACKEND=console to write emails, "
            "links included, to the log."
        )
    return backend


# django-csp 4. board.middleware.ContentSecurityPolicyMiddleware adds the
# page's own ws:/wss: origin to connect-src and the Reporting-Endpoints
# header that report-to names. No inline script or style anywhere; the API
# docs load their start-up script as a file (config/urls.py).
CSP_REPORT_PATH = "/csp-report/"
CSP_REPORT_GROUP = "csp"
# A violation report larger than this is refused (413) unread.
CSP_REPORT_MAX_BYTES = 16 * 1024
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "report-uri": [CSP_REPORT_PATH],
        "report-to": CSP_REPORT_GROUP,
    },
}


DEBUG = env_bool("DJANGO_DEBUG")

# --- Secrets, settings and headers: TLS, cookies, CSP, sessions ---
# BEHIND_TLS_PROXY=1: the proxy in front terminates TLS and sets
# X-Forwarded-Proto (it must overwrite any value the client sent). Plain
# HTTP is redirected, and HSTS tells browsers to use HTTPS for a year.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(
        os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60))
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The preload list is hard to leave: only when asked for.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        # security.W021 only says "not on the preload list", a choice.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Secure cookies whenever DEBUG is off; SECURE_COOKIES=0 turns them off.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# CONTENT_SECURITY_POLICY and the report endpoint: config/settings/security.py.
# Staff (moderators, officials, department staff, admins) are signed out
# after this many minutes without a request; citizens keep Django's
# two-week session (board.middleware.StaffIdleTimeoutMiddleware).
ZHITONG_STAFF_IDLE_MINUTES = int(os.environ.get("ZHITONG_STAFF_IDLE_MINUTES", "30"))

# --- Accounts and tokens (docs/security.md) ---
# One lockout for every way in: allauth's login form, /admin/login/ and
# POST /api/v1/auth/token/ all go through django.contrib.auth.authenticate,
# which django-axes watches. Failures count per account (a username or any of
# its email addresses, board.lockout) and client address together: a
# guesser is stopped on that account, yet a stranger cannot lock a citizen
# out from elsewhere, nor one shared address (a campus, a carrier's NAT)
# lock out everyone behind it.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHITONG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("ZHITONG_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No log of every successful login (addresses and browsers kept forever);
# failures are kept only until their cool-off has passed.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "board.clients.client_address"
AXES_USERNAME_CALLABLE = "board.selectors.accounts.login_account_key"
AXES_LOCKOUT_CALLABLE = "board.lockout.lockout_response"
# allauth's own failed-login limit would answer differently (a form error
# after its own count): off, so django-axes alone rules. allauth's other
# limits (signup, password reset, its per-address "login") stay.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# API tokens (django-rest-knox): only a hash is stored; each lives this long,
# and password change, deactivation and logout revoke them (board.signals).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("ZHITONG_API_TOKEN_HOURS", "24"))),
    # Clients keep sending "Authorization: Token <token>".
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# Live tokens per user beyond this: the oldest is revoked.
ZHITONG_API_TOKENS_PER_USER = 10
# The second factor (board/second_factor.py): allauth.mfa's authenticator
# app codes, with recovery codes for a lost phone. Required of staff
# whenever DEBUG is off (ZHITONG_STAFF_SECOND_FACTOR=0 lifts it, =1 asks it
# of `make run`'s demo staff too); any account may add one. A wrong code
# counts in django-axes' lockout like a wrong password.
ZHITONG_STAFF_SECOND_FACTOR = env_bool("ZHITONG_STAFF_SECOND_FACTOR", not DEBUG)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Zhitong"
# One period either side (RFC 6238 §5.2): a code typed as its 30 s run out,
# or from a phone whose clock drifts, still works; each is used once.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "board.forms.second_factor.SecondFactorForm",
    "reauthenticate": "board.forms.second_factor.SecondFactorReauthenticateForm",
}

# --- Input robustness (docs/security.md) ---
# JSON bodies nested deeper than this are refused with a 400.
ZHITONG_JSON_MAX_DEPTH = 32
# A socket frame over this many bytes closes the socket (1009); a client may
# send a burst of this many frames, refilled at this many per second, and
# is closed (1008) beyond it.
ZHITONG_WS_MAX_FRAME_BYTES = 4096
ZHITONG_WS_FRAME_RATE = (20, 5.0)

# --- Client address and rate limits (docs/security.md) ---
# How many reverse proxies of our own stand in front of the app (the README's
# nginx: 1). The client is then the Nth X-Forwarded-For entry from the right;
# 0 ignores the header, so a client can never choose its own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# allauth asks moderation's adapter (board.clients); this keeps its own
# reading of the header in step should anything call it directly.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# RATE_LIMITS=off switches every limit below off (benchmarks, tests).
_rate_limits = os.environ.get("RATE_LIMITS", "on").strip().lower()
ZHITONG_RATE_LIMITS_ENABLED = _rate_limits not in {"off", "0", "false", "no"}
# Per family (board/ratelimits.py): "N/period" parts, comma-separated, each
# per account ("/user"), per client address ("/ip") or, without a suffix,
# both. Environment: RATE_LIMIT_<FAMILY>, e.g. RATE_LIMIT_POSTING="10/h".
ZHITONG_RATE_LIMITS = {
    family: os.environ.get(f"RATE_LIMIT_{family.upper()}", default)
    for family, default in {
        # Submitting and editing a message.
        "posting": "10/h/user,30/h/ip",
        # Reporting a message or a reply.
        "reporting": "20/h/user,60/h/ip",
        # 同问 on and off: every toggle is pushed to every viewer.
        "following": "10/m/user,60/h/user,300/h/ip",
        "follow_ups": "10/h/user,30/h/ip",
        "ratings": "10/h/user,30/h/ip",
        # Officials' replies and corrections.
        "replies": "60/h/user,300/h/ip",
        # POST /api/v1/realtime/ticket/.
        "realtime_tickets": "30/m/user,120/m/ip",
        "registration": "10/h/ip",
        "password_reset": "10/h/ip",
        # Every API read without an account.
        "api_reads": "300/m/ip",
        # Similar messages and routing suggestions as a draft is typed (the
        # API's and the compose page's check).
        "search": "30/m/user,60/m/ip",
        # Open data downloads (/open-data/*.csv|jsonl): each may stream a
        # million rows.
        "exports": "30/h/ip",
    }.items()
}
# Open notification sockets per account; the next is closed with 4409.
ZHITONG_MAX_SOCKETS_PER_USER = int(os.environ.get("MAX_SOCKETS_PER_USER", "10"))
# Redis unreachable: let requests through uncounted rather than refuse all.
RATELIMIT_FAIL_OPEN = True
