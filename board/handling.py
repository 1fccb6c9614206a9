"""Actions of the officials' side: accept, transfer, extend, reply, sign off;
and the author's: rate, follow up. Periodic checks of deadlines and closing.

Like every action, each locks the message, checks who acts and what the
lifecycle allows, writes the timeline, and notifies after commit.
"""

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import sanitizer
from .actions import _process_images, message_transition, timeline_record
from .deadlines import add_working_days, working_days_between
from .errors import InvalidTransition, NotAllowed, ValidationFailed
from .lifecycle import IN_HANDLING_STATUSES, MessageStatus
from .models import (
    Department,
    DepartmentDeadline,
    FollowUp,
    FollowUpStatus,
    Message,
    MessageEvent,
    NotificationKind,
    Official,
    Overall,
    Rating,
    Reply,
    ReplyStatus,
    Transfer,
    TransferRequest,
    User,
)
from .notifications import notify
from .permissions import (
    handling_department_id,
    is_addressee,
    is_department_official,
)
from .realtime import events
from .roles import Role, has_role

REPLY_MAX_LENGTH = 5000


# --- Who is notified ---


def addressee_users(message: Message) -> list[User]:
    """Everyone who works the message's inbox: the official or the department's
    officials, and the handling department's staff."""
    users: dict[int, User] = {}
    if message.addressee_official_id is not None:
        official = message.addressee_official
        if official.user_id is not None:
            users[official.user_id] = official.user
    else:
        for official in Official.objects.filter(
            department_id=message.addressee_department_id, user__isnull=False
        ).select_related("user"):
            users[official.user_id] = official.user
    department_id = handling_department_id(message)
    if department_id is not None:
        for user in User.objects.filter(
            department_id=department_id, groups__name=Role.HANDLER, is_active=True
        ):
            users[user.pk] = user
    return list(users.values())


def notify_addressees(message: Message, kind: str, **payload) -> None:
    for user in addressee_users(message):
        notify(recipient=user, kind=kind, message=message, **payload)


# --- Deadlines ---


def deadline_working_days(message: Message) -> int:
    """The response deadline for this kind of message at its department."""
    department_id = handling_department_id(message)
    if department_id is not None:
        override = (
            DepartmentDeadline.objects.filter(
                department_id=department_id, kind=message.kind
            )
            .values_list("working_days", flat=True)
            .first()
        )
        if override:
            return override
    return settings.ZHITONG_DEADLINE_WORKING_DAYS[message.kind]


def start_handling_clock(message: Message, *, now=None) -> None:
    """Route the message now: the deadline restarts (the caller saves)."""
    now = now or timezone.now()
    message.routed_at = now
    message.due_date = add_working_days(
        timezone.localdate(now), deadline_working_days(message)
    )
    message.extended_by_days = 0
    message.extension_reason = ""
    message.escalated_at = None
    message.near_deadline_notified_at = None


def working_days_left(message: Message) -> int | None:
    if message.due_date is None:
        return None
    return working_days_between(timezone.localdate(), message.due_date)


# --- Handling ---


def _lock(message: Message) -> Message:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("addressee_official", "addressee_department", "author")
        .get(pk=message.pk)
    )


def ensure_can_handle(actor: User, message: Message) -> None:
    if not is_addressee(actor, message):
        raise NotAllowed(_("This message is not routed to you."))


@transaction.atomic
def message_accept(*, message: Message, actor: User) -> Message:
    """The addressee takes the message on (受理)."""
    message = _lock(message)
    ensure_can_handle(actor, message)
    # The lifecycle also allows replied, closed and hidden messages to become
    # accepted (through a follow-up or a restore); accepting is not that way.
    if message.status != MessageStatus.PUBLISHED:
        raise InvalidTransition(_("Only a newly routed message can be accepted."))
    message_transition(
        message=message,
        actor=actor,
        to_status=MessageStatus.ACCEPTED,
        verb=MessageEvent.Verb.ACCEPTED,
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_ACCEPTED,
        message=message,
    )
    return message


def _target(official: Official | None, department: Department | None, field: str):
    if (official is None) == (department is None):
        raise ValidationFailed(
            _("Choose either an official or a department."), field=field
        )
    if official is not None and not official.is_active:
        raise ValidationFailed(
            _("This official does not receive messages at present."), field=field
        )
    return official, department


@transaction.atomic
def message_transfer(
    *,
    message: Message,
    actor: User,
    reason: str,
    to_official: Official | None = None,
    to_department: Department | None = None,
) -> Transfer | TransferRequest:
    """Hand the message to another official or department (转办).

    The deadline restarts and the public timeline shows the transfer. Past
    the transfer limit the request goes to the moderators instead, so no
    message bounces forever.
    """
    message = _lock(message)
    ensure_can_handle(actor, message)
    if message.status not in IN_HANDLING_STATUSES:
        raise InvalidTransition(_("Only a message being handled can be transferred."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for the transfer."), field="reason")
    to_official, to_department = _target(to_official, to_department, "to_official")
    if (
        to_official is not None and to_official.pk == message.addressee_official_id
    ) or (
        to_department is not None
        and to_department.pk == message.addressee_department_id
    ):
        raise ValidationFailed(
            _("The message is already with this addressee."), field="to_official"
        )
    if message.transfer_count >= settings.ZHITONG_MAX_TRANSFERS:
        if message.transfer_requests.filter(
            status=TransferRequest.Status.OPEN
        ).exists():
            raise InvalidTransition(
                _("The moderators already have a transfer request for it."),
                code="already_requested",
            )
        request = TransferRequest.objects.create(
            message=message,
            requested_by=actor,
            to_official=to_official,
            to_department=to_department,
            reason=reason,
        )
        timeline_record(
            message=message,
            verb=MessageEvent.Verb.TRANSFER_REQUESTED,
            actor=actor,
            note=reason,
            note_is_public=True,
        )
        events.queue_changed(message, "arrived")
        return request
    transfer = message_route(
        message=message,
        actor=actor,
        to_official=to_official,
        to_department=to_department,
        reason=reason,
    )
    message.transfer_count += 1
    message.save(update_fields=["transfer_count"])
    return transfer


def message_route(
    *,
    message: Message,
    actor: User,
    reason: str,
    to_official: Official | None,
    to_department: Department | None,
) -> Transfer:
    """Move a locked message to a new addressee and restart its clock.

    Shared by transfers and by the moderators' decisions on transfer requests.
    """
    transfer = Transfer.objects.create(
        message=message,
        actor=actor,
        from_official=message.addressee_official,
        from_department=message.addressee_department,
        to_official=to_official,
        to_department=to_department,
        reason=reason,
    )
    message.addressee_official = to_official
    message.addressee_department = to_department
    start_handling_clock(message)
    message.save()
    target = to_official or to_department
    timeline_record(
        message=message,
        verb=MessageEvent.Verb.TRANSFERRED,
        actor=actor,
        note=_("To %(target)s: %(reason)s") % {"target": target, "reason": reason},
        note_is_public=True,
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_TRANSFERRED,
        message=message,
        due_date=message.due_date.isoformat(),
    )
    notify_addressees(
        message,
        NotificationKind.INBOX_NEW_MESSAGE,
        due_date=message.due_date.isoformat(),
    )
    events.message_status_changed(message)
    return transfer


@transaction.atomic
def message_extend(
    *, message: Message, actor: User, working_days: int, reason: str
) -> Message:
    """Extend the deadline once, by at most 15 working days, with a public reason."""
    message = _lock(message)
    ensure_can_handle(actor, message)
    if message.status not in IN_HANDLING_STATUSES or message.due_date is None:
        raise InvalidTransition(_("Only a message being handled has a deadline."))
    if message.extended_by_days:
        raise ValidationFailed(
            _("The deadline has already been extended once."),
            field="working_days",
            code="already_extended",
        )
    limit = settings.ZHITONG_MAX_EXTENSION_WORKING_DAYS
    if (
        isinstance(working_days, bool)
        or not isinstance(working_days, int)
        or not 1 <= working_days <= limit
    ):
        raise ValidationFailed(
            _("Extend by 1 to %(limit)d working days.") % {"limit": limit},
            field="working_days",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the public reason."), field="reason")
    message.due_date = add_working_days(message.due_date, working_days)
    message.extended_by_days = working_days
    message.extension_reason = reason
    message.escalated_at = None
    message.near_deadline_notified_at = None
    message.save()
    timeline_record(
        message=message,
        verb=MessageEvent.Verb.EXTENDED,
        actor=actor,
        note=_("New deadline %(date)s: %(reason)s")
        % {"date": message.due_date.isoformat(), "reason": reason},
        note_is_public=True,
    )
    notify(
        recipient=message.author,
        kind=NotificationKind.MESSAGE_EXTENDED,
        message=message,
        due_date=message.due_date.isoformat(),
    )
    return message


def _office_name(actor: User, message: Message) -> str:
    official = getattr(actor, "official", None)
    if official is not None:
        return str(official)
    department = Department.objects.filter(pk=handling_department_id(message)).first()
    return str(department) if department is not None else str(actor)


def _needs_sign_off(actor: User, message: Message) -> bool:
    department = Department.objects.filter(pk=handling_department_id(message)).first()
    return (
        department is not None
        and department.requires_sign_off
        and getattr(actor, "official", None) is None
        and has_role(actor, Role.HANDLER)
    )


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
    message = _lock(message)
    ensure_can_handle(actor, message)
    body = body.strip()
    if not body:
        raise ValidationFailed(_("Write the reply."), field="body")
    if len(body) > REPLY_MAX_LENGTH:
        raise ValidationFailed(
            _("A reply may have at most %(limit)d characters.")
            % {"limit": REPLY_MAX_LENGTH},
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
    processed = _process_images(images)
    reply = Reply.objects.create(
        message=message,
        author=actor,
        office=_office_name(actor, message),
        body=body,
        body_html=sanitizer.render_markdown(body),
        is_final=final,
        corrects=corrects,
        status=ReplyStatus.DRAFT,
    )
    for attachment in _attach_reply_images(message, reply, processed):
        attachment.save()
    if _needs_sign_off(actor, message):
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
    from .models import MessageAttachment

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
    if reply.is_final:
        message.last_reply_at = now
        message.save(update_fields=["last_reply_at"])
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
    _notify_followers_on_commit(message, follower_kind, reply_id=reply.pk)
    events.reply_published(message, reply)
    return reply


def _notify_followers_on_commit(message: Message, kind: str, **payload) -> None:
    """Followers (同问) are notified by a task, so a reply returns at once
    however many follow the message."""
    from .tasks import enqueue, notify_followers

    message_id = message.pk
    transaction.on_commit(
        lambda: enqueue(notify_followers, message_id, kind, **payload)
    )


@transaction.atomic
def reply_sign_off(*, reply: Reply, actor: User) -> Reply:
    """An official of the department approves a staff draft; it is published."""
    # The message first, then the reply: the order every action locks in.
    message = _lock(reply.message)
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


# --- The author's side ---


def derive_overall(attitude: int, speed: int, resolved: int) -> str:
    """满意 / 基本满意 / 不满意 from the three scores; resolution weighs most."""
    average = (attitude + speed + resolved) / 3
    if resolved >= 4 and average >= 4:
        return Overall.SATISFIED
    if resolved >= 3 and average >= 3:
        return Overall.BASICALLY_SATISFIED
    return Overall.DISSATISFIED


def _score(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationFailed(_("Give a score from 1 to 5."), field=field)
    return value


def latest_final_reply(message: Message) -> Reply | None:
    return (
        message.replies.published()
        .filter(is_final=True)
        .order_by("-published_at")
        .first()
    )


@transaction.atomic
def rating_submit(
    *,
    message: Message,
    actor: User,
    attitude: int,
    speed: int,
    resolved: int,
    comment: str = "",
) -> Rating:
    """The author rates the final reply; rated satisfied, the message closes."""
    message = _lock(message)
    if message.author_id != actor.pk:
        raise NotAllowed(_("Only the author can rate the reply."))
    scores = {
        "attitude": _score(attitude, "attitude"),
        "speed": _score(speed, "speed"),
        "resolved": _score(resolved, "resolved"),
    }
    comment = comment.strip()
    if len(comment) > 1000:
        raise ValidationFailed(
            _("A comment may have at most 1,000 characters."), field="comment"
        )
    reply = latest_final_reply(message)
    if (
        message.status not in {MessageStatus.REPLIED, MessageStatus.CLOSED}
        or reply is None
    ):
        raise InvalidTransition(_("There is no final reply to rate yet."))
    if Rating.objects.filter(reply=reply).exists():
        raise InvalidTransition(
            _("You have already rated this reply."), code="already_rated"
        )
    rating = Rating.objects.create(
        message=message,
        reply=reply,
        comment=comment,
        overall=derive_overall(**scores),
        **scores,
    )
    timeline_record(
        message=message,
        verb=MessageEvent.Verb.RATED,
        actor=actor,
        note=str(rating.get_overall_display()),
        note_is_public=True,
    )
    if rating.overall == Overall.SATISFIED and message.status == MessageStatus.REPLIED:
        message_close(message=message, actor=actor)
    events.message_status_changed(message)
    return rating


def follow_up_allowed(message: Message) -> tuple[bool, str]:
    """Whether the author may ask again now, and why not."""
    if message.status not in {MessageStatus.REPLIED, MessageStatus.CLOSED}:
        return False, _("A follow-up is possible after a final reply.")
    if message.last_reply_at is None:
        return False, _("A follow-up is possible after a final reply.")
    window = timedelta(days=settings.ZHITONG_FOLLOW_UP_WINDOW_DAYS)
    if timezone.now() - message.last_reply_at > window:
        return False, _("Follow-ups are possible within 30 days of the reply.")
    used = message.follow_ups.exclude(status=FollowUpStatus.REJECTED).count()
    if used >= settings.ZHITONG_MAX_FOLLOW_UPS:
        return False, _("A message can have at most 2 follow-ups.")
    if message.follow_ups.filter(status=FollowUpStatus.PENDING).exists():
        return False, _("Your follow-up is awaiting review.")
    reply = latest_final_reply(message)
    rating = getattr(reply, "rating", None) if reply is not None else None
    if rating is not None and rating.overall == Overall.SATISFIED:
        return False, _("You rated the reply satisfied; the message is closed.")
    return True, ""


@transaction.atomic
def follow_up_submit(*, message: Message, actor: User, body: str) -> FollowUp:
    """The author asks again; moderators review it before it goes back."""
    message = _lock(message)
    if message.author_id != actor.pk:
        raise NotAllowed(_("Only the author can ask a follow-up."))
    body = body.strip()
    if not body:
        raise ValidationFailed(_("Write your follow-up question."), field="body")
    if len(body) > Message.BODY_MAX_LENGTH:
        raise ValidationFailed(
            _("A follow-up may have at most %(limit)d characters.")
            % {"limit": Message.BODY_MAX_LENGTH},
            field="body",
        )
    allowed, why = follow_up_allowed(message)
    if not allowed:
        raise InvalidTransition(why, code="follow_up_not_allowed")
    follow_up = FollowUp.objects.create(
        message=message,
        author=actor,
        body=body,
        body_html=sanitizer.render_markdown(body),
    )
    events.queue_changed(message, "arrived")
    return follow_up


def message_close(*, message: Message, actor: User | None, note: str = "") -> Message:
    """Close a replied message (locked by the caller) and tell its author."""
    message_transition(
        message=message,
        actor=actor,
        to_status=MessageStatus.CLOSED,
        verb=MessageEvent.Verb.CLOSED,
        note=note,
        note_is_public=bool(note),
    )
    notify(
        recipient=message.author, kind=NotificationKind.MESSAGE_CLOSED, message=message
    )
    _notify_followers_on_commit(message, NotificationKind.MESSAGE_CLOSED)
    return message


# --- Periodic ---


def messages_auto_close(*, now=None) -> int:
    """Close messages 14 days after their last reply when nobody followed up."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ZHITONG_AUTO_CLOSE_DAYS)
    candidates = Message.objects.filter(
        status=MessageStatus.REPLIED, last_reply_at__lte=cutoff
    ).values_list("pk", flat=True)
    closed = 0
    for pk in list(candidates):
        with transaction.atomic():
            message = Message.objects.select_for_update().get(pk=pk)
            if message.status != MessageStatus.REPLIED:
                continue
            if message.follow_ups.filter(
                status__in=[FollowUpStatus.PENDING, FollowUpStatus.APPROVED]
            ).exists():
                continue
            message_close(
                message=message,
                actor=None,
                note=_("Closed automatically 14 days after the reply."),
            )
            closed += 1
    return closed


def deadlines_check(*, now=None) -> dict[str, int]:
    """Warn addressees of near deadlines, and escalate (督办) overdue messages
    to the department's supervising official and the moderators."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"approaching": 0, "escalated": 0}
    handling = Message.objects.filter(
        status__in=IN_HANDLING_STATUSES, due_date__isnull=False
    )
    near_limit = add_working_days(today, settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS)
    for pk in list(
        handling.filter(
            due_date__gte=today,
            due_date__lte=near_limit,
            near_deadline_notified_at__isnull=True,
        ).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            message = _lock(Message(pk=pk))
            if message.near_deadline_notified_at is not None:
                continue
            message.near_deadline_notified_at = now
            message.save(update_fields=["near_deadline_notified_at"])
            notify_addressees(
                message,
                NotificationKind.DEADLINE_APPROACHING,
                due_date=message.due_date.isoformat(),
            )
            counts["approaching"] += 1
    for pk in list(
        handling.filter(due_date__lt=today, escalated_at__isnull=True).values_list(
            "pk", flat=True
        )
    ):
        with transaction.atomic():
            message = _lock(Message(pk=pk))
            if message.escalated_at is not None:
                continue
            message.escalated_at = now
            message.save(update_fields=["escalated_at"])
            timeline_record(
                message=message, verb=MessageEvent.Verb.ESCALATED, actor=None
            )
            notify_addressees(
                message,
                NotificationKind.DEADLINE_PASSED,
                due_date=message.due_date.isoformat(),
            )
            department = (
                Department.objects.filter(pk=handling_department_id(message))
                .select_related("supervisor__user")
                .first()
            )
            supervisor = department.supervisor if department is not None else None
            if supervisor is not None and supervisor.user_id is not None:
                notify(
                    recipient=supervisor.user,
                    kind=NotificationKind.MESSAGE_ESCALATED,
                    message=message,
                    due_date=message.due_date.isoformat(),
                )
            events.queue_changed(message, "escalated")
            counts["escalated"] += 1
    return counts
