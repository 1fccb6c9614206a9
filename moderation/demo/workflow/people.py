"""The workflow demo's people: the moderator2 and handler logins, two
citizens who cannot log in, and the mayor's general office they work in.

Keyed on natural keys (username, the office's name in the mayor's city, the
supervisor's name), so seeding again changes nothing but the passwords.
"""

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password

from board.actions import user_grant_role
from board.models import Department, Official, User
from board.roles import Role

from ..accounts import upsert_account

# (username, role, display name), printed with seed_demo's logins.
WORKFLOW_ACCOUNTS = [
    ("moderator2", Role.MODERATOR, "审核员刘洋"),
    ("handler", Role.HANDLER, "市政府办公室张敏"),
]
# Citizens without a usable password: (username, display name, joined ago).
WORKFLOW_CITIZENS = [
    ("newcomer", "赵磊", timedelta(minutes=25)),
    ("spammer", "刘经理", timedelta(days=20)),
]
SPAMMER_BLOCK_REASON = "多次发布商业广告，新留言需经人工审核后才能公开。"

# The demo official (the mayor of the first city) works in this department.
OFFICE_NAME = "人民政府办公室"
OFFICE_NAME_EN = "General Office of the Municipal Government"
# (name, title, English title) of the official overdue messages escalate to.
SUPERVISOR = (
    "沈志远",
    "临江市人民政府秘书长",
    "Secretary-General, Linjiang Municipal Government",
)


def seed_office(mayor: Official) -> Department:
    """The mayor's general office: sign-off required, a supervising official."""
    office, _created = Department.objects.get_or_create(
        region=mayor.region,
        name=OFFICE_NAME,
        defaults={"name_en": OFFICE_NAME_EN, "requires_sign_off": True},
    )
    name, title, title_en = SUPERVISOR
    supervisor, _created = Official.objects.get_or_create(
        name=name,
        region=mayor.region,
        defaults={"title": title, "title_en": title_en, "department": office},
    )
    if office.supervisor_id is None:
        office.supervisor = supervisor
        office.save(update_fields=["supervisor"])
    # seed_officials upserts the mayor without a department on every run.
    if mayor.department_id != office.pk:
        mayor.department = office
        mayor.save(update_fields=["department"])
    return office


def seed_people(
    *, password: str, now: datetime
) -> tuple[dict[str, User], Official, Department]:
    """The workflow's accounts by username, the mayor and his office."""
    # The demo citizens have written for a year (seed_demo's messages go
    # back that far): only newcomer is a new account for the pre-screen.
    new_since = now - timedelta(days=settings.ZHITONG_PRESCREEN_NEW_ACCOUNT_DAYS)
    User.objects.filter(
        username__in=["citizen", "citizen2"], date_joined__gt=new_since
    ).update(date_joined=now - timedelta(days=400))
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=["citizen", "citizen2", "moderator", "official"]
        )
    }
    mayor = Official.objects.get(user=users["official"])
    office = seed_office(mayor)
    hashed = make_password(password)
    for username, role, display_name in WORKFLOW_ACCOUNTS:
        users[username] = upsert_account(
            username,
            role,
            display_name,
            password=hashed,
            department=office if role == Role.HANDLER else None,
        )
    for username, display_name, joined_ago in WORKFLOW_CITIZENS:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "display_name": display_name,
                "password": make_password(None),
                "date_joined": now - joined_ago,
            },
        )
        EmailAddress.objects.get_or_create(
            user=user,
            email=user.email,
            defaults={"verified": True, "primary": True},
        )
        user_grant_role(user=user, role=Role.CITIZEN)
        users[username] = user
    return users, mayor, office
