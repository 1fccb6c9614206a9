"""What the moderation API's modules share: who may call them and the error
responses of the schema. The pieces ``board`` shares too are in
``board.api.common``."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from board.api.common import (
    INVALID_INPUT,
    MESSAGE_NOT_FOUND,
    NOT_LOGGED_IN,
    REPLY_NOT_FOUND,
    error_response,
)
from board.roles import is_moderator


class IsModerator(BasePermission):
    """Moderators and admins; anyone else is refused before any lookup."""

    message = _("Only moderators can do this.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and is_moderator(request.user)


MODERATION_ERRORS = {
    400: INVALID_INPUT,
    401: NOT_LOGGED_IN,
    403: error_response("Not a moderator, or not allowed (second approval)."),
}
ITEM_ERRORS = {
    **MODERATION_ERRORS,
    404: MESSAGE_NOT_FOUND,
    409: error_response(
        "Another moderator holds the item (code claimed), it changed since "
        "seen_updated_at (code stale), or its status does not allow this "
        "(code invalid_transition)."
    ),
}
REPLY_ERRORS = {**ITEM_ERRORS, 404: REPLY_NOT_FOUND}
