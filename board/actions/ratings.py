"""The author's side after a final reply: the rating (评价) and the
follow-up question (追问)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from board import sanitizer
from board.actions.common import lock_for_handling, timeline_record
from board.actions.handling import message_close
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import ANSWERED_STATUSES, MessageStatus
from board.models import (
    FollowUp,
    FollowUpStatus,
    Message,
    MessageEvent,
    Overall,
    Rating,
    User,
)
from board.permissions import is_author
from board.realtime import events
from board.selectors.messages import latest_final_reply

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
    message = lock_for_handling(message)
    if not is_author(actor, message):
        raise NotAllowed(_("Only the author can rate the reply."))
    scores = {
        "attitude": _score(attitude, "attitude"),
        "speed": _score(speed, "speed"),
        "resolved": _score(resolved, "resolved"),
    }
    comment = comment.strip()
    if len(comment) > Rating.COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            _("A comment may have at most %(limit)d characters.")
            % {"limit": Rating.COMMENT_MAX_LENGTH},
            field="comment",
        )
    reply = latest_final_reply(message)
    if message.status not in ANSWERED_STATUSES or reply is None:
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
        # The code: the timeline shows it in each reader's language.
        note=rating.overall,
        note_is_public=True,
    )
    if rating.overall == Overall.SATISFIED and message.status == MessageStatus.REPLIED:
        message_close(message=message, actor=actor)
    events.message_status_changed(message)
    return rating


def follow_up_allowed(message: Message) -> tuple[bool, str]:
    """Whether the author may ask again now, and why not."""
    if message.status not in ANSWERED_STATUSES:
        return False, _("A follow-up is possible after a final reply.")
    if message.last_reply_at is None:
        return False, _("A follow-up is possible after a final reply.")
    days = settings.ZHITONG_FOLLOW_UP_WINDOW_DAYS
    if timezone.now() - message.last_reply_at > timedelta(days=days):
        return False, ngettext(
            "Follow-ups are possible within %(days)d day of the reply.",
            "Follow-ups are possible within %(days)d days of the reply.",
            days,
        ) % {"days": days}
    used = message.follow_ups.exclude(status=FollowUpStatus.REJECTED).count()
    limit = settings.ZHITONG_MAX_FOLLOW_UPS
    if used >= limit:
        return False, ngettext(
            "A message can have at most %(limit)d follow-up.",
            "A message can have at most %(limit)d follow-ups.",
            limit,
        ) % {"limit": limit}
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
    message = lock_for_handling(message)
    if not is_author(actor, message):
        raise NotAllowed(_("Only the author can ask a follow-up."))
    body = body.strip()
    if not body:
        raise ValidationFailed(_("Write your follow-up question."), field="body")
    if len(body) > FollowUp.BODY_MAX_LENGTH:
        raise ValidationFailed(
            _("A follow-up may have at most %(limit)d characters.")
            % {"limit": FollowUp.BODY_MAX_LENGTH},
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
