"""Open311's ``api_key``: the personal API token of an account.

An Open311 client creates a request on behalf of a person, so its key is
that person's own token from ``POST /api/v1/auth/token/`` (django-rest-knox,
board/actions/tokens.py), sent as the form field ``api_key`` the
specification names instead of an ``Authorization`` header. It is checked
exactly like the header (expiry, an inactive account, a staff account
without its second factor); that the account is a citizen's with a verified
address is checked by the submitting action, as on the site.
"""

from board.api.authentication import TokenAuthentication


class ApiKeyAuthentication(TokenAuthentication):
    """The ``api_key`` of a POST form; no key, no user (the view refuses)."""

    def authenticate(self, request):
        if request.method != "POST":
            return None
        key = request.data.get("api_key", "")
        if not isinstance(key, str) or not key.strip():
            return None
        return self.authenticate_credentials(key.strip().encode())

    def authenticate_header(self, request):
        # No WWW-Authenticate challenge: the specification answers a wrong
        # key with 403, which DRF gives when there is no header to send.
        return None
