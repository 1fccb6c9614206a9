"""Notifications: the kinds there are, the durable ``Notification`` row an
action writes in its transaction (pushed after commit, emailed later), and
each user's preference for how one kind reaches them (on the site, by email
too, or not at all).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .messages import Message


class NotificationKind(models.TextChoices):
    MESSAGE_APPROVED = "message.approved", _("Your message was approved")
    MESSAGE_REJECTED = "message.rejected", _("Your message was not approved")
    MESSAGE_CHANGES_REQUESTED = (
        "message.changes_requested",
        _("Changes were requested to your message"),
    )
    MESSAGE_ROUTED = "message.routed", _("Your message was routed")
    MESSAGE_STILL_WAITING = (
        "message.still_waiting",
        _("Your message is still waiting for review"),
    )
    MESSAGE_HIDDEN = "message.hidden", _("Your message was hidden")
    MESSAGE_RESTORED = "message.restored", _("Your message was restored")
    MESSAGE_ACCEPTED = "message.accepted", _("Your message was accepted")
    MESSAGE_TRANSFERRED = "message.transferred", _("Your message was transferred")
    MESSAGE_EXTENDED = "message.extended", _("The reply deadline was extended")
    MESSAGE_INTERIM_REPLY = "message.interim_reply", _("Progress update")
    MESSAGE_REPLIED = "message.replied", _("A reply was published")
    FOLLOW_UP_APPROVED = "follow_up.approved", _("Your follow-up was sent")
    FOLLOW_UP_REJECTED = "follow_up.rejected", _("Your follow-up was not approved")
    FOLLOW_UP_ANSWERED = "follow_up.answered", _("Your follow-up was answered")
    MESSAGE_CLOSED = "message.closed", _("The message was closed")
    # To officials and department staff.
    INBOX_NEW_MESSAGE = "inbox.new_message", _("A new message was routed to you")
    INBOX_FOLLOW_UP = "inbox.follow_up", _("A follow-up question arrived")
    REPLY_AWAITING_SIGN_OFF = (
        "reply.awaiting_sign_off",
        _("A reply awaits your sign-off"),
    )
    DEADLINE_APPROACHING = "deadline.approaching", _("A reply deadline is near")
    DEADLINE_PASSED = "deadline.passed", _("A reply deadline has passed")
    MESSAGE_ESCALATED = "message.escalated", _("An overdue message was escalated")


class Notification(models.Model):
    """A durable notification: written with the action, pushed after commit."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "id"], name="notification_catch_up")
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind}"


class NotificationChannel(models.TextChoices):
    IN_SITE = "inapp", _("On the site")
    EMAIL = "email", _("On the site and by email")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    """How one user wants one kind of notification; absent means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    channel = models.CharField(
        max_length=8,
        choices=NotificationChannel.choices,
        default=NotificationChannel.EMAIL,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_preference_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.channel}"
