"""Reads for a citizen's data rights: everything board holds about one
account, as plain JSON-ready data (the download of "My data").

What is included is what the account's owner may see anyway: their own
messages with the timeline, replies and follow-ups as the message page shows
them to the author, their ratings, follows and notifications. Nothing of
anyone else's private data: staff are named by role only, drafts awaiting
sign-off and hidden replies stay out, and a followed message that has been
hidden since shows the title the follower may read
(``board.permissions.message_title_for``). The reports the user made live
in moderation, which adds them (``moderation.actions.data_rights``).
"""

from allauth.account.models import EmailAddress

from board.models import Message, MessageFollow, Notification, User
from board.permissions import message_title_for
from board.roles import user_roles

from .messages import (
    message_follow_ups_visible,
    message_list_of_author,
    message_replies_visible,
    message_timeline,
)
from .notifications import preferences_of


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _account(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "email_addresses": [
            {"email": address.email, "verified": address.verified}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "language": user.language,
        "roles": list(user_roles(user)),
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "notification_preferences": preferences_of(user),
    }


def _timeline(message: Message, author: User) -> list[dict]:
    return [
        {
            "verb": event.verb,
            # Staff by role only, never by name.
            "by": "author" if event.actor_id == author.pk else "staff",
            "from_status": event.from_status,
            "to_status": event.to_status,
            # The author is involved: the page shows them every note.
            "note": event.note,
            "created": _when(event.created_at),
        }
        for event in message_timeline(message)
    ]


def _replies(message: Message, author: User) -> list[dict]:
    return [
        {
            "id": reply.pk,
            "office": reply.office,
            "body": reply.body,
            "is_final": reply.is_final,
            "published": _when(reply.published_at),
        }
        for reply in message_replies_visible(author, message)
    ]


def _follow_ups(message: Message, author: User) -> list[dict]:
    return [
        {
            "id": follow_up.pk,
            "body": follow_up.body,
            "status": follow_up.status,
            "created": _when(follow_up.created_at),
        }
        for follow_up in message_follow_ups_visible(author, message)
        if follow_up.author_id == author.pk
    ]


def _ratings(message: Message) -> list[dict]:
    return [
        {
            "reply_id": rating.reply_id,
            "attitude": rating.attitude,
            "speed": rating.speed,
            "resolved": rating.resolved,
            "comment": rating.comment,
            "overall": rating.overall,
            "created": _when(rating.created_at),
        }
        for rating in message.ratings.order_by("created_at", "pk")
    ]


def _message(message: Message, author: User) -> dict:
    return {
        "id": message.pk,
        "reference": message.reference,
        "title": message.title,
        "body": message.body,
        "kind": message.kind,
        "category": str(message.category),
        "region": str(message.region),
        "addressee": str(message.addressee),
        "is_public": message.is_public,
        "contact_phone": message.contact_phone,
        "status": message.status,
        "created": _when(message.created_at),
        "published": _when(message.published_at),
        "due_date": _when(message.due_date),
        "timeline": _timeline(message, author),
        "replies": _replies(message, author),
        "follow_ups": _follow_ups(message, author),
        "ratings": _ratings(message),
    }


def _follows(user: User) -> list[dict]:
    follows = (
        MessageFollow.objects.filter(user=user)
        .select_related("message__addressee_official")
        .order_by("created_at", "pk")
    )
    return [
        {
            "message_id": follow.message_id,
            "reference": follow.message.reference,
            "title": str(message_title_for(user, follow.message)),
            "created": _when(follow.created_at),
        }
        for follow in follows
    ]


def _notifications(user: User) -> list[dict]:
    notifications = (
        Notification.objects.filter(recipient=user)
        .select_related("message__addressee_official")
        .order_by("pk")
    )
    return [
        {
            "id": notification.pk,
            "kind": notification.kind,
            "message_id": notification.message_id,
            "title": (
                str(message_title_for(user, notification.message))
                if notification.message is not None
                else ""
            ),
            "created": _when(notification.created_at),
            "read": _when(notification.read_at),
        }
        for notification in notifications
    ]


def account_data(user: User) -> dict:
    """Board's part of the download of everything about ``user``."""
    messages = message_list_of_author(author=user).order_by("created_at", "pk")
    return {
        "account": _account(user),
        "messages": [_message(message, user) for message in messages],
        "follows": _follows(user),
        "notifications": _notifications(user),
    }
