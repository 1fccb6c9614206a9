import pytest
from django.urls import reverse

from board.models import User
from moderation.models import BlockedEmailDomain
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signup(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "username": "newcomer",
            "password1": "Zt-test-Passw0rd!",
            "password2": "Zt-test-Passw0rd!",
        },
    )


def test_signup_from_a_blocked_domain_is_refused(client):
    BlockedEmailDomain.objects.create(
        domain="spam.example", reason="垃圾注册", created_by=UserFactory()
    )
    response = signup(client, "someone@SPAM.example")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()


def test_signup_makes_a_citizen_and_sends_verification(client, mailoutbox):
    response = signup(client, "someone@example.org")
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert list(user.groups.values_list("name", flat=True)) == ["citizen"]
    assert len(mailoutbox) == 1
    assert "/accounts/confirm-email/" in mailoutbox[0].body
