"""Tell authors whose message waits past the review deadline."""

from django.core.management.base import BaseCommand

from moderation.actions import message_still_waiting_notify


class Command(BaseCommand):
    help = "Tell authors, once, when their message waits past the review deadline."

    def handle(self, *args, **options):
        sent = message_still_waiting_notify()
        self.stdout.write(f"{sent} waiting notices sent")
