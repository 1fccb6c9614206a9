"""The demo logins and the many citizens who write the bulk messages.

Accounts are keyed on their username, so seeding again changes nothing but
the demo passwords.
"""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from board.actions import user_grant_role
from board.models import Official, User
from board.roles import Role

from . import text

CITIZEN_POOL_SIZE = 200

# (username, role, display name); the official plays the first city's mayor.
DEMO_ACCOUNTS = [
    ("citizen", Role.CITIZEN, "王小明"),
    ("citizen2", Role.CITIZEN, "李芳"),
    ("moderator", Role.MODERATOR, "审核员陈静"),
    ("official", Role.OFFICIAL, ""),
    ("admin", Role.ADMIN, "系统管理员"),
]


def seed_accounts(password: str, mayor: Official) -> dict[str, User]:
    # One hash for the five: they share the password, which is printed anyway,
    # and each hash costs half a second.
    hashed = make_password(password)
    accounts = {}
    for username, role, display_name in DEMO_ACCOUNTS:
        is_admin = role == Role.ADMIN
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "display_name": display_name or mayor.name,
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "password": hashed,
            },
        )
        # One primary address per user: demote any other before upserting.
        EmailAddress.objects.filter(user=user).exclude(email=user.email).update(
            primary=False
        )
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        user_grant_role(user=user, role=role)
        accounts[username] = user
    official_user = accounts["official"]
    Official.objects.filter(user=official_user).exclude(pk=mayor.pk).update(user=None)
    mayor.user = official_user
    mayor.save(update_fields=["user"])
    return accounts


def seed_citizen_pool() -> list[int]:
    """Citizens who cannot log in, so the board has many authors."""
    rng = random.Random("citizen-pool")
    # Joined before the oldest seeded message.
    joined = timezone.now() - timedelta(days=400)
    users = [
        User(
            username=f"resident{number:03d}",
            display_name=rng.choice(text.SURNAMES) + rng.choice(("先生", "女士")),
            password=make_password(None),
            date_joined=joined - timedelta(days=rng.randint(0, 1000)),
        )
        for number in range(1, CITIZEN_POOL_SIZE + 1)
    ]
    User.objects.bulk_create(users, ignore_conflicts=True)
    usernames = [user.username for user in users]
    ids = list(User.objects.filter(username__in=usernames).values_list("pk", flat=True))
    citizens = Group.objects.get(name=Role.CITIZEN)
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=pk, group_id=citizens.pk) for pk in ids],
        ignore_conflicts=True,
    )
    return ids


def upsert_account(username, role, display_name, *, password, department=None):
    """A demo login as seed_demo makes them: verified email, one role."""
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.com",
            "display_name": display_name,
            "is_active": True,
            "password": password,
            "department": department,
        },
    )
    EmailAddress.objects.filter(user=user).exclude(email=user.email).update(
        primary=False
    )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    user_grant_role(user=user, role=role)
    return user
