"""Replies: interim and final replies, corrections, and the sign-off a
department may require before a staff member's reply is published."""

from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from board import sanitizer
from board.actions.common import (
    lock_for_handling,
    message_transition,
    prepare_images,
    timeline_record,
)
from board.actions.handling import ensure_can_handle
from board.actions.notifications import followers_notify_on_commit, notify
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import IN_HANDLING_STATUSES, MessageStatus
from board.models import (
    FollowUpStatus,
    Message,
    MessageAttachment,
    MessageEvent,
    NotificationKind,
    Official,
    Reply,
    ReplyStatus,
    User,
)
from board.permissions import (
    handling_department,
    handling_department_id,
    is_department_official,
    reply_needs_sign_off,
)
from board.realtime import events
from board.statistics import record_reply


def _office(actor: User, message: Message) -> str:
    """The office a reply is published under, never a person: an official's
    department, or their post when they head no department (a mayor); a
    handler's handling department, or the addressee's post."""
    official = getattr(actor, "official", None)
    department = official.department if official else handling_department(message)
    if department is not None:
        return str(department)[: Reply._meta.get_field("office").max_length]
    official = official or message.addressee_official
    if official is not None:
        return official.display_title
    return _("The handling office")


def reply_office_names(actor: User, message: Message) -> tuple[str, str]:
    """The office's name in Chinese and in English, both fixed when the reply
    is written, so that each reader sees it in their language."""
    with translation.override("zh-hans"):
        chinese = _office(actor, message)
    with translation.override("en"):
        english = _office(actor, message)
    return chinese, english


@transaction.atomic
def reply_create(
    *,
    message: Message,
    actor: User,
    body: str,
    final: bool,
    images: Sequence[UploadedFile] = (),
    corrects: Reply | None = None,
) -> Reply:
    """Write an interim or final reply, or a correction of a published one.

    A handler's reply in a department that requires sign-off stays a draft,
    visible only inside the department, until one of its officials signs it.
    """
    message = lock_for_handling(message)
    ensure_can_handle(actor, message)
    body = body.strip()
    if not body:
        raise ValidationFailed(_("Write the reply."), field="body")
    if len(body) > Reply.BODY_MAX_LENGTH:
        raise ValidationFailed(
            _("A reply may have at most %(limit)d characters.")
            % {"limit": Reply.BODY_MAX_LENGTH},
            field="body",
        )
    if corrects is not None:
        if (
            corrects.message_id != message.pk
            or corrects.status != ReplyStatus.PUBLISHED
        ):
            raise ValidationFailed(
                _("Only a published reply to this message can be corrected."),
                field="corrects",
            )
        final = False
    elif final and message.status != MessageStatus.ACCEPTED:
        raise InvalidTransition(
            _("Accept the message before giving the final reply.")
            if message.status == MessageStatus.PUBLISHED
            else _("This message cannot take a final reply now.")
        )
    elif not final and message.status not in IN_HANDLING_STATUSES:
        raise InvalidTransition(_("Progress updates are for messages being handled."))
    processed = prepare_images(images)
    office, office_en = reply_office_names(actor, message)
    reply = Reply.objects.create(
        message=message,
        author=actor,
        office=office,
        office_en=office_en,
        body=body,
        body_html=sanitizer.render_markdown(body),
        is_final=final,
        corrects=corrects,
        status=ReplyStatus.DRAFT,
    )
    for attachment in _attach_reply_images(message, reply, processed):
        attachment.save()
    if reply_needs_sign_off(actor, message):
        for official in Official.objects.filter(
            department_id=handling_department_id(message), user__isnull=False
        ).select_related("user"):
            notify(
                recipient=official.user,
                kind=NotificationKind.REPLY_AWAITING_SIGN_OFF,
                message=message,
                reply_id=reply.pk,
            )
        return reply
    return _publish_reply(reply=reply, message=message, actor=actor)


def _attach_reply_images(message: Message, reply: Reply, processed) -> Iterable:
    for image in processed:
        yield MessageAttachment(
            message=message,
            reply=reply,
            image=image.content,
            content_type=image.content_type,
            width=image.width,
            height=image.height,
            size=image.size,
        )


def _publish_reply(*, reply: Reply, message: Message, actor: User) -> Reply:
    now = timezone.now()
    reply.status = ReplyStatus.PUBLISHED
    reply.published_at = now
    answered = None
    if reply.is_final:
        answered = message.follow_ups.filter(status=FollowUpStatus.APPROVED).first()
        reply.follow_up = answered
    reply.save()
    counted = record_reply(message, is_final=reply.is_final, now=now)
    if reply.is_final:
        message.last_reply_at = now
        counted.append("last_reply_at")
    if counted:
        message.save(update_fields=counted)
    if reply.is_final:
        message_transition(
            message=message,
            actor=actor,
            to_status=MessageStatus.REPLIED,
            verb=MessageEvent.Verb.REPLIED,
        )
        if answered is not None:
            answered.status = FollowUpStatus.ANSWERED
            answered.save(update_fields=["status"])
        kind = (
            NotificationKind.FOLLOW_UP_ANSWERED
            if answered is not None
            else NotificationKind.MESSAGE_REPLIED
        )
    else:
        if reply.corrects_id is None:
            timeline_record(
                message=message, verb=MessageEvent.Verb.INTERIM_REPLY, actor=actor
            )
        kind = NotificationKind.MESSAGE_INTERIM_REPLY
    notify(recipient=message.author, kind=kind, message=message, reply_id=reply.pk)
    follower_kind = (
        NotificationKind.MESSAGE_REPLIED
        if reply.is_final
        else NotificationKind.MESSAGE_INTERIM_REPLY
    )
    followers_notify_on_commit(message, follower_kind, reply_id=reply.pk)
    events.reply_published(message, reply)
    return reply


@transaction.atomic
def reply_sign_off(*, reply: Reply, actor: User) -> Reply:
    """An official of the department approves a staff draft; it is published."""
    # The message first, then the reply: the order every action locks in.
    message = lock_for_handling(reply.message)
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if not is_department_official(actor, handling_department_id(message)):
        raise NotAllowed(_("Only an official of the department can sign off replies."))
    if reply.status != ReplyStatus.DRAFT:
        raise InvalidTransition(
            _("This reply is not a draft awaiting sign-off."), code="not_draft"
        )
    if reply.is_final and message.status != MessageStatus.ACCEPTED:
        raise InvalidTransition(_("This message cannot take a final reply now."))
    if (
        not reply.is_final
        and reply.corrects_id is None
        and message.status not in IN_HANDLING_STATUSES
    ):
        raise InvalidTransition(_("Progress updates are for messages being handled."))
    reply.signed_off_by = actor
    return _publish_reply(reply=reply, message=message, actor=actor)
