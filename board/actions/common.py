"""What the board's actions share: the message's lifecycle move with its
timeline entry, the row lock the handling actions take, and image checks."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from board.errors import ValidationFailed
from board.images import process_image, validate_attachment_count
from board.lifecycle import MessageStatus, ensure_transition
from board.models import (
    Department,
    Message,
    MessageEvent,
    Official,
    User,
)
from board.realtime import events


def ensure_one_active_addressee(
    official: Official | None,
    department: Department | None,
    *,
    field: str,
    choose_one: str | None = None,
    code: str = "invalid",
) -> None:
    """A message goes to exactly one addressee, an official or a department,
    and an official only while they receive messages."""
    if (official is None) == (department is None):
        raise ValidationFailed(
            choose_one or _("Choose either an official or a department."),
            field=field,
            code=code,
        )
    if official is not None and not official.is_active:
        raise ValidationFailed(
            _("This official does not receive messages at present."), field=field
        )


def prepare_images(images: Sequence[UploadedFile], already_attached: int = 0):
    validate_attachment_count([*range(already_attached), *images])
    return [process_image(image) for image in images]


def timeline_record(
    *,
    message: Message,
    verb: str,
    actor: User | None,
    from_status: str = "",
    note: str = "",
    note_is_public: bool = False,
) -> MessageEvent:
    return MessageEvent.objects.create(
        message=message,
        verb=verb,
        actor=actor,
        from_status=from_status,
        to_status=message.status,
        note=note,
        note_is_public=note_is_public,
    )


def message_transition(
    *,
    message: Message,
    actor: User | None,
    to_status: str,
    verb: str,
    note: str = "",
    note_is_public: bool = False,
) -> Message:
    """Move a locked message along its lifecycle and record it on the timeline.

    Should be called inside a transaction, holding a SELECT FOR UPDATE lock on
    the message, after the caller has checked the actor's permission.
    """
    from_status = message.status
    ensure_transition(from_status, to_status)
    message.status = to_status
    update_fields = ["status", "updated_at"]
    if to_status == MessageStatus.PUBLISHED and message.published_at is None:
        message.published_at = timezone.now()
        update_fields.append("published_at")
    message.save(update_fields=update_fields)
    timeline_record(
        message=message,
        verb=verb,
        actor=actor,
        from_status=from_status,
        note=note,
        note_is_public=note_is_public,
    )
    events.message_status_changed(message)
    return message


# --- Handling ---


def lock_for_handling(message: Message) -> Message:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("addressee_official", "addressee_department", "author")
        .get(pk=message.pk)
    )
