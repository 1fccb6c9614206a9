"""Who may call the API: the default permission, in a module of its own
because ``REST_FRAMEWORK`` imports it while DRF itself is loading."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from board.permissions import ensure_verified_email


class VerifiedEmailForWrites(BasePermission):
    """The default permission (``REST_FRAMEWORK``), and part of every
    view's own list: anyone may read; a signed-in account writes (同问, a
    report, a message, a socket ticket …) only with a verified email
    address, refused with 403 ``{"detail": …, "code": "email_unverified"}``.

    An anonymous write passes here so that the view answers it as before
    (401 where a login is required, the action's own refusal elsewhere).
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not request.user.is_authenticated:
            return True
        ensure_verified_email(request.user)
        return True
