"""Who may see and do what with a message. Actions and selectors call these."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _

from board.errors import NotAllowed
from board.lifecycle import EDITABLE_STATUSES, PUBLIC_STATUSES
from board.roles import Role, has_role, is_moderator


def handling_department_id(message) -> int | None:
    """The department that handles a message: its addressee, or the
    addressed official's department."""
    if message.addressee_department_id is not None:
        return message.addressee_department_id
    official = message.addressee_official
    return official.department_id if official is not None else None


def handling_department(message):
    """The department that handles a message, as an object; no query when
    the addressee and the official's department are loaded."""
    if message.addressee_department_id is not None:
        return message.addressee_department
    official = message.addressee_official
    return official.department if official is not None else None


def reply_needs_sign_off(user, message) -> bool:
    """A handler's reply in a department that requires sign-off waits, as a
    draft, for one of the department's officials; an official's never does."""
    department = handling_department(message)
    return (
        department is not None
        and department.requires_sign_off
        and getattr(user, "official", None) is None
        and has_role(user, Role.HANDLER)
    )


def is_author(user, message) -> bool:
    """The citizen who wrote the message; an anonymous visitor never is."""
    return user.is_authenticated and message.author_id == user.pk


def is_addressee(user, message) -> bool:
    """The official it is addressed to, an official of the department it is
    addressed to, or department staff (handlers) of the handling department."""
    if not user.is_authenticated:
        return False
    official = getattr(user, "official", None)
    if official is not None:
        if message.addressee_official_id == official.pk:
            return True
        if (
            message.addressee_department_id is not None
            and official.department_id == message.addressee_department_id
        ):
            return True
    if user.department_id is not None and has_role(user, Role.HANDLER):
        return user.department_id == handling_department_id(message)
    return False


def is_department_official(user, department_id: int | None) -> bool:
    """An official of the department: may sign off its staff's replies."""
    official = getattr(user, "official", None) if user.is_authenticated else None
    return (
        official is not None
        and department_id is not None
        and official.department_id == department_id
    )


def can_view_message(user, message) -> bool:
    if message.is_on_public_board:
        return True
    if not user.is_authenticated:
        return False
    if is_author(user, message) or is_moderator(user):
        return True
    # The addressee sees a private message once it has been reviewed and routed;
    # a pending one may still be rejected as abusive.
    return message.status in PUBLIC_STATUSES and is_addressee(user, message)


def is_involved(user, message) -> bool:
    """The author, moderators and the addressee: they see the original text,
    the contact phone and the staff notes on the timeline."""
    if not user.is_authenticated:
        return False
    return is_author(user, message) or is_moderator(user) or is_addressee(user, message)


def can_see_hidden_attachments(user, message) -> bool:
    """A photo a moderator hid from the public is kept for those involved."""
    return is_involved(user, message)


def can_view_attachment(user, message, attachment) -> bool:
    """Whether ``user``, who may view ``message``, may see this photo of it."""
    return not attachment.is_hidden_from_public or can_see_hidden_attachments(
        user, message
    )


def message_title_for(user, message) -> str:
    """The title of ``message`` as ``user`` may read it now, in a
    notification (the page, the API, the socket, an email).

    Who may still view the message, or is involved in it, reads the title
    the public is shown (the redacted one after a redaction). Anyone else, a
    follower of a message hidden since, reads the redacted public title when
    a moderator redacted it, and otherwise a neutral "Hidden message": never
    the original of a title the public may no longer see.
    """
    if can_view_message(user, message) or is_involved(user, message):
        return message.shown_title
    if message.is_redacted and message.public_title:
        return message.public_title
    return _("Hidden message")


def has_verified_email(user) -> bool:
    # A request asks up to three times (the API's permission, the action,
    # the pre-screen); a verified address stays verified for its length.
    if getattr(user, "_zhitong_verified_email", False):
        return True
    verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    if verified:
        user._zhitong_verified_email = True
    return verified


def ensure_verified_email(user) -> None:
    """An account acts (an API token, 同问, a report, a socket ticket) only
    once it has a verified email address; until then it can only verify."""
    if not has_verified_email(user):
        raise NotAllowed(
            _(
                "Please verify your email address first: open the link in the "
                "verification email."
            ),
            code="email_unverified",
        )


def ensure_can_submit(user) -> None:
    if not user.is_authenticated:
        raise NotAllowed(_("Please log in to write a message."))
    if not has_role(user, Role.CITIZEN):
        raise NotAllowed(_("Only citizen accounts can write messages."))
    if not has_verified_email(user):
        raise NotAllowed(
            _("Please verify your email address before writing a message."),
            code="email_unverified",
        )


def can_edit_message(user, message) -> bool:
    return is_author(user, message) and message.status in EDITABLE_STATUSES


def ensure_is_author(user, message) -> None:
    if not is_author(user, message):
        raise NotAllowed(_("Only the author can change this message."))
