"""Template context every page gets from the board: the inbox link and the
notification bell."""

from board.languages import choice_labels
from board.models import NotificationKind
from board.roles import Role, has_role
from board.selectors import bell_figures

# --- Who has an inbox ---


def inbox_nav(request) -> dict:
    """Context processor: the "Inbox" link for officials and department
    staff, and "Write a message" for visitors and citizens only (staff
    accounts cannot write one: they got a 403 for pressing it)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    show = bool(
        signed_in and (has_role(user, Role.OFFICIAL) or has_role(user, Role.HANDLER))
    )
    return {
        "show_inbox_link": show,
        "show_compose_link": not signed_in or has_role(user, Role.CITIZEN),
    }


def bell(request):
    """Context processor: the bell's unread count and the id to resume from."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread, last_id = bell_figures(user)
    return {
        "bell_unread": unread,
        "bell_last_id": last_id,
        # Toast labels in the reader's language: a frame's own label is in the
        # language of whoever acted.
        "notification_labels": choice_labels(NotificationKind),
    }
