"""Actions of the officials' side: accept (受理), transfer (转办), route,
extend the deadline, close; and the periodic deadline checks (督办) and
auto-closing."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from board.actions.common import (
    ensure_one_active_addressee,
    lock_for_handling,
    message_transition,
    timeline_record,
)
from board.actions.notifications import followers_notify_on_commit, notify
from board.deadlines import add_working_days, deadline_working_days, near_deadline_limit
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import IN_HANDLING_STATUSES, MessageStatus
from board.models import (
    Department,
    FollowUpStatus,
    Message,
    MessageEvent,
    NotificationKind,
    Official,
    Transfer,
    TransferRequest,
    User,
)
from board.permissions import (
    handling_department_id,
    is_addressee,
)
from board.realtime import events
from board.roles import Role
from board.statistics import record_acceptance

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


def ensure_can_handle(actor: User, message: Message) -> None:
    if not is_addressee(actor, message):
        raise NotAllowed(_("This message is not routed to you."))


@transaction.atomic
def message_accept(*, message: Message, actor: User) -> Message:
    """The addressee takes the message on (受理)."""
    message = lock_for_handling(message)
    ensure_can_handle(actor, message)
    # The lifecycle also allows replied, closed and hidden messages to become
    # accepted (through a follow-up or a restore); accepting is not that way.
    if message.status != MessageStatus.PUBLISHED:
        raise InvalidTransition(_("Only a newly routed message can be accepted."))
    message.save(update_fields=record_acceptance(message, now=timezone.now()))
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
    message = lock_for_handling(message)
    ensure_can_handle(actor, message)
    if message.status not in IN_HANDLING_STATUSES:
        raise InvalidTransition(_("Only a message being handled can be transferred."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for the transfer."), field="reason")
    if len(reason) > Transfer.REASON_MAX_LENGTH:
        raise ValidationFailed(
            _("A reason may have at most %(limit)d characters.")
            % {"limit": Transfer.REASON_MAX_LENGTH},
            field="reason",
        )
    ensure_one_active_addressee(to_official, to_department, field="to_official")
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
    message = lock_for_handling(message)
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
    if len(reason) > Message.EXTENSION_REASON_MAX_LENGTH:
        raise ValidationFailed(
            _("A reason may have at most %(limit)d characters.")
            % {"limit": Message.EXTENSION_REASON_MAX_LENGTH},
            field="reason",
        )
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
    followers_notify_on_commit(message, NotificationKind.MESSAGE_CLOSED)
    return message


# --- Periodic ---


def messages_auto_close(*, now=None) -> int:
    """Close messages 14 days after their last reply when nobody followed up."""
    now = now or timezone.now()
    days = settings.ZHITONG_AUTO_CLOSE_DAYS
    cutoff = now - timedelta(days=days)
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
                note=ngettext(
                    "Closed automatically %(days)d day after the reply.",
                    "Closed automatically %(days)d days after the reply.",
                    days,
                )
                % {"days": days},
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
    near_limit = near_deadline_limit(today)
    for pk in list(
        handling.filter(
            due_date__gte=today,
            due_date__lte=near_limit,
            near_deadline_notified_at__isnull=True,
        ).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            message = lock_for_handling(Message(pk=pk))
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
            message = lock_for_handling(Message(pk=pk))
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
