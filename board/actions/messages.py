"""A citizen's message: submit, edit while awaiting review, withdraw.

Each runs in one transaction: it locks the row, checks permission and the
lifecycle, changes the message and writes its timeline event.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from board import hooks, sanitizer
from board.actions.attachments import attachments_remove
from board.actions.common import (
    ensure_one_active_addressee,
    message_transition,
    prepare_images,
    timeline_record,
)
from board.errors import InvalidTransition, ValidationFailed
from board.images import ProcessedImage
from board.lifecycle import EDITABLE_STATUSES, MessageStatus
from board.models import (
    AuthorShownAs,
    Category,
    Department,
    IntakeChannel,
    Message,
    MessageAttachment,
    MessageEvent,
    MessageKind,
    Official,
    ReferenceSequence,
    Region,
    User,
)
from board.permissions import ensure_can_submit, ensure_is_author
from board.realtime import events
from board.selectors import region_ancestor_ids

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


@dataclass(frozen=True)
class MessageDraft:
    """What a citizen writes; the same for a new message and an edit."""

    region: Region
    category: Category
    kind: str
    title: str
    body: str
    addressee_official: Official | None = None
    addressee_department: Department | None = None
    is_public: bool = True
    contact_phone: str = ""
    # How the public sees the author: masked name or 匿名.
    author_shown_as: str = AuthorShownAs.MASKED


def validate_draft(draft: MessageDraft) -> None:
    """The domain's rules for a message; forms and serializers check them too."""
    ensure_one_active_addressee(
        draft.addressee_official,
        draft.addressee_department,
        field="addressee_official",
        choose_one=_("Choose either an official or a department to write to."),
        code="addressee",
    )
    addressee = draft.addressee_official or draft.addressee_department
    field = "addressee_official" if draft.addressee_official else "addressee_department"
    if addressee.region_id not in region_ancestor_ids(draft.region):
        raise ValidationFailed(
            _("The addressee does not serve the region you chose."), field=field
        )
    if not draft.category.is_active:
        raise ValidationFailed(_("Choose an available category."), field="category")
    if draft.kind not in MessageKind.values:
        raise ValidationFailed(_("Choose a kind of message."), field="kind")
    title = draft.title.strip()
    if not title:
        raise ValidationFailed(_("Write a title."), field="title")
    if len(title) > Message.TITLE_MAX_LENGTH:
        raise ValidationFailed(
            _("The title may have at most %(limit)d characters.")
            % {"limit": Message.TITLE_MAX_LENGTH},
            field="title",
        )
    body = draft.body.strip()
    if not body:
        raise ValidationFailed(_("Write your message."), field="body")
    if len(body) > Message.BODY_MAX_LENGTH:
        raise ValidationFailed(
            _("The message may have at most %(limit)d characters.")
            % {"limit": Message.BODY_MAX_LENGTH},
            field="body",
        )
    if len(draft.contact_phone) > Message.CONTACT_PHONE_MAX_LENGTH:
        raise ValidationFailed(
            _("A phone number may have at most %(limit)d characters.")
            % {"limit": Message.CONTACT_PHONE_MAX_LENGTH},
            field="contact_phone",
        )
    if draft.contact_phone and not PHONE_PATTERN.match(draft.contact_phone):
        raise ValidationFailed(
            _("Enter a phone number of digits, spaces or dashes."),
            field="contact_phone",
        )


def reference_next(*, year: int) -> str:
    """Hand out the next reference of the year; must run inside a transaction.

    The UPDATE holds the counter row's lock until commit, so two submissions
    never get the same number.
    """
    try:
        with transaction.atomic():
            ReferenceSequence.objects.get_or_create(year=year)
    except IntegrityError:  # created meanwhile by a concurrent submission
        pass
    ReferenceSequence.objects.filter(year=year).update(last_value=F("last_value") + 1)
    value = ReferenceSequence.objects.values_list("last_value", flat=True).get(
        year=year
    )
    return format_reference(year, value)


def format_reference(year: int, value: int) -> str:
    return f"ZT-{year}-{value:06d}"


def _attach(message: Message, processed: Sequence[ProcessedImage]) -> None:
    for image in processed:
        MessageAttachment.objects.create(
            message=message,
            image=image.content,
            content_type=image.content_type,
            width=image.width,
            height=image.height,
            size=image.size,
        )


def _apply_draft(message: Message, draft: MessageDraft) -> None:
    message.addressee_official = draft.addressee_official
    message.addressee_department = draft.addressee_department
    message.region = draft.region
    message.category = draft.category
    message.kind = draft.kind
    message.title = draft.title.strip()
    message.body = draft.body.strip()
    message.body_html = sanitizer.render_markdown(message.body)
    message.is_public = draft.is_public
    message.contact_phone = draft.contact_phone.strip()
    message.author_shown_as = draft.author_shown_as


@transaction.atomic
def message_submit(
    *, author: User, draft: MessageDraft, images: Sequence[UploadedFile] = ()
) -> Message:
    """A citizen submits a message; it waits for review, visible only to them."""
    ensure_can_submit(author)
    validate_draft(draft)
    # Images are checked and re-encoded before anything is written, so a bad
    # file never leaves a half-saved message behind.
    processed = prepare_images(images)
    return message_create_pending(author=author, draft=draft, processed=processed)


def message_create_pending(
    *,
    author: User,
    draft: MessageDraft,
    processed: Sequence[ProcessedImage],
    intake_channel: str = IntakeChannel.WEB,
    intake_by: User | None = None,
    note: str = "",
) -> Message:
    now = timezone.now()
    message = Message(
        author=author,
        status=MessageStatus.PENDING,
        submitted_for_review_at=now,
        intake_channel=intake_channel,
        intake_by=intake_by,
    )
    _apply_draft(message, draft)
    hooks.screen_submission(message, author)
    # Last before the save: the counter row stays locked until commit, and
    # every other submission waits for it.
    message.reference = reference_next(year=timezone.localtime(now).year)
    message.save()
    _attach(message, processed)
    verb = (
        MessageEvent.Verb.SUBMITTED
        if intake_by is None
        else MessageEvent.Verb.ENTERED_BY_STAFF
    )
    timeline_record(message=message, verb=verb, actor=intake_by or author, note=note)
    events.queue_changed(message, "arrived")
    return message


@transaction.atomic
def message_edit(
    *,
    message: Message,
    actor: User,
    draft: MessageDraft,
    new_images: Sequence[UploadedFile] = (),
    remove_attachment_ids: Sequence[int] = (),
) -> Message:
    """The author changes a message that is still awaiting review."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    ensure_is_author(actor, message)
    if message.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("Only a message awaiting review can be edited."), code="not_editable"
        )
    validate_draft(draft)
    keep = message.attachments.exclude(pk__in=remove_attachment_ids)
    processed = prepare_images(new_images, already_attached=keep.count())
    attachments_remove(message.attachments.filter(pk__in=remove_attachment_ids))
    _apply_draft(message, draft)
    # The text changed: a first approval given to the old text no longer
    # counts, and the screening and any hold are worked out again.
    message.first_approved_by = None
    hooks.screen_submission(message, actor)
    message.save()
    _attach(message, processed)
    if message.status == MessageStatus.CHANGES_REQUESTED:
        # The edit answers the moderator's request: back into the queue.
        message.submitted_for_review_at = timezone.now()
        message.save(update_fields=["submitted_for_review_at"])
        message_transition(
            message=message,
            actor=actor,
            to_status=MessageStatus.PENDING,
            verb=MessageEvent.Verb.RESUBMITTED,
        )
        events.queue_changed(message, "arrived")
    else:
        timeline_record(message=message, verb=MessageEvent.Verb.EDITED, actor=actor)
        events.queue_changed(message, "edited")
    return message


@transaction.atomic
def message_withdraw(*, message: Message, actor: User, note: str = "") -> Message:
    """The author withdraws a message that is still awaiting review."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    ensure_is_author(actor, message)
    message_transition(
        message=message,
        actor=actor,
        to_status=MessageStatus.WITHDRAWN,
        verb=MessageEvent.Verb.WITHDRAWN,
        note=note,
    )
    events.queue_changed(message, "resolved")
    return message
