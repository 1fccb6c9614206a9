"""Fill the board with a fictional province, demo logins and realistic messages.

``python manage.py seed_demo [--password PW] [--messages N]``

Regions, departments, officials and accounts are keyed on natural keys
(region code, department name per region, official name per region,
username), so running the command again changes nothing but the demo
passwords. ``--messages N`` tops the board up to at least N messages. The
builders are in ``moderation.demo``.
"""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Max

from board.models import Message
from board.roles import Role
from board.search_index import search_index_rebuild
from board.statistics import statistics_rebuild
from moderation.demo.accounts import DEMO_ACCOUNTS, seed_accounts, seed_citizen_pool
from moderation.demo.bulk import MessageGenerator, seed_messages
from moderation.demo.places import seed_officials, seed_regions
from moderation.demo.workflow import WORKFLOW_ACCOUNTS, seed_workflow


class Command(BaseCommand):
    help = "Seed a fictional province, demo logins and realistic messages."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password of the demo accounts.")
        parser.add_argument(
            "--messages",
            type=int,
            default=500,
            help="Top the board up to at least this many messages.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, password=None, messages=500, seed=2026, **options):
        is_generated = not password
        password = password or secrets.token_urlsafe(9)
        regions = seed_regions()
        mayor = seed_officials(regions)
        accounts = seed_accounts(password, mayor)
        pool = seed_citizen_pool()
        # Before the top-up, so that --messages N still means N in all.
        seed_workflow(password=password, stdout=self.stdout)
        existing = Message.objects.count()
        if messages > existing:
            generator = MessageGenerator(regions, accounts, pool, mayor)
            last_id = Message.objects.aggregate(last=Max("pk"))["last"] or 0
            # Seeded by the count too, so a top-up does not repeat the texts.
            seed_messages(generator, seed + existing, messages - existing, self.stdout)
            # The bulk load writes rows without signals: index them here.
            indexed = search_index_rebuild(after_id=last_id)
            self.stdout.write(f"{indexed:,} messages indexed for search")
            # And counted for the statistics (/stats/).
            counted = statistics_rebuild()
            self.stdout.write(
                f"{counted['days']:,} days counted for the statistics "
                f"({counted['rows']:,} summary rows)"
            )
        self.print_logins(password, is_generated)

    def print_logins(self, password: str, is_generated: bool) -> None:
        write = self.stdout.write
        # The address being served (`make run` sets SITE_URL to it).
        site_url = f"{settings.SITE_URL}/"
        write("")
        write(self.style.SUCCESS("Demo logins"))
        if is_generated:
            write(f"Generated password (choose one with --password): {password}")
        write(f"Board: {site_url}")
        write(f"  {'username':<10} {'role':<10} password")
        for username, role, _display_name in [*DEMO_ACCOUNTS, *WORKFLOW_ACCOUNTS]:
            admin = f"   also {site_url}admin/" if role == Role.ADMIN else ""
            write(f"  {username:<10} {role.value:<10} {password}{admin}")
        write("Log in with the username or <username>@example.com.")
