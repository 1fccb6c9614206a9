"""Every change to a message goes through one of these functions.

Each runs in one transaction: it locks the row, checks permission and the
lifecycle, changes the message and writes its timeline event.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation import screening

from . import sanitizer
from .errors import InvalidTransition, NotAllowed, ValidationFailed
from .images import ProcessedImage, process_image, validate_attachment_count
from .lifecycle import EDITABLE_STATUSES, MessageStatus, ensure_transition
from .models import (
    Category,
    Department,
    IntakeChannel,
    Message,
    MessageAttachment,
    MessageEvent,
    MessageFollow,
    MessageKind,
    Official,
    ReferenceSequence,
    Region,
    User,
)
from .permissions import ensure_can_submit, ensure_is_author
from .realtime import events
from .selectors import region_ancestor_ids

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


def validate_draft(draft: MessageDraft) -> None:
    """The domain's rules for a message; forms and serializers check them too."""
    if (draft.addressee_official is None) == (draft.addressee_department is None):
        raise ValidationFailed(
            _("Choose either an official or a department to write to."),
            field="addressee_official",
            code="addressee",
        )
    addressee = draft.addressee_official or draft.addressee_department
    field = "addressee_official" if draft.addressee_official else "addressee_department"
    if isinstance(addressee, Official) and not addressee.is_active:
        raise ValidationFailed(
            _("This official does not receive messages at present."), field=field
        )
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


def _process_images(images: Sequence[UploadedFile], already_attached: int = 0):
    validate_attachment_count([*range(already_attached), *images])
    return [process_image(image) for image in images]


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


@transaction.atomic
def message_submit(
    *, author: User, draft: MessageDraft, images: Sequence[UploadedFile] = ()
) -> Message:
    """A citizen submits a message; it waits for review, visible only to them."""
    ensure_can_submit(author)
    validate_draft(draft)
    # Images are checked and re-encoded before anything is written, so a bad
    # file never leaves a half-saved message behind.
    processed = _process_images(images)
    return _create_pending_message(author=author, draft=draft, processed=processed)


def _create_pending_message(
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
    message.held_reason = screening.held_reason_for(author)
    message.reference = reference_next(year=timezone.localtime(now).year)
    screening.apply_screening(message)
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
def message_intake(
    *,
    actor: User,
    author: User,
    draft: MessageDraft,
    channel: str,
    note: str = "",
    images: Sequence[UploadedFile] = (),
) -> Message:
    """A moderator enters a message received by phone, letter or visit.

    ``author`` is the citizen's account where they have one, else the
    moderator; the timeline says it was entered by staff, and how it came.
    """
    from moderation.actions import audit_record, ensure_moderator
    from moderation.models import AuditVerb

    ensure_moderator(actor)
    if channel not in IntakeChannel.values or channel == IntakeChannel.WEB:
        raise ValidationFailed(
            _("Choose how the message was received."), field="channel"
        )
    validate_draft(draft)
    processed = _process_images(images)
    message = _create_pending_message(
        author=author,
        draft=draft,
        processed=processed,
        intake_channel=channel,
        intake_by=actor,
        note=note,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.STAFF_INTAKE,
        message=message,
        reason=note,
        new={"channel": channel, "author": author.username},
    )
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
    processed = _process_images(new_images, already_attached=keep.count())
    message.attachments.filter(pk__in=remove_attachment_ids).delete()
    _apply_draft(message, draft)
    # The text changed: a first approval given to the old text no longer
    # counts, and the screening and any hold are worked out again.
    message.first_approved_by = None
    message.held_reason = screening.held_reason_for(actor)
    screening.apply_screening(message)
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


def user_language_set(*, user: User, language: str) -> bool:
    """Remember the language a user chose; their emails come in it.

    An unknown code changes nothing. Answers whether it changed.
    """
    if not user.is_authenticated or language not in dict(settings.LANGUAGES):
        return False
    if user.language == language:
        return False
    user.language = language
    User.objects.filter(pk=user.pk).update(language=language)
    return True


def user_grant_role(*, user: User, role: str) -> None:
    """Add a role (a group) to a user; granting one twice changes nothing."""
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if hasattr(user, "_zhitong_roles"):
        del user._zhitong_roles


@transaction.atomic
def message_follow(*, message: Message, user: User) -> bool:
    """同问: support a public message and follow it; False if already done."""
    if not user.is_authenticated:
        raise NotAllowed(_("Please log in to support a message."))
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not message.is_on_public_board:
        raise ValidationFailed(_("Only published messages can be supported."))
    _follow, created = MessageFollow.objects.get_or_create(message=message, user=user)
    if created:
        Message.objects.filter(pk=message.pk).update(
            support_count=F("support_count") + 1
        )
        events.support_changed(message.pk)
    return created


@transaction.atomic
def message_unfollow(*, message: Message, user: User) -> bool:
    if not user.is_authenticated:
        raise NotAllowed(_("Please log in."))
    deleted, _rows = MessageFollow.objects.filter(message=message, user=user).delete()
    if deleted:
        Message.objects.filter(pk=message.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        events.support_changed(message.pk)
    return bool(deleted)
