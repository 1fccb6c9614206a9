"""Passwords need 12 characters and may not be common ones; the demo accounts'
generated password (secrets.token_urlsafe(9), as the Makefile writes it)
passes."""

import secrets

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from board.models import User


def codes(password: str) -> list[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return [item.code for item in error.error_list]
    return []


def test_eleven_characters_are_too_short():
    assert codes("Vx7-qLp2-Zr") == ["password_too_short"]


def test_twelve_characters_pass():
    assert codes("Vx7-qLp2-Zr9") == []


def test_a_common_password_is_refused_whatever_its_length():
    assert "password_too_common" in codes("password1234")


def test_the_demo_password_passes():
    for _ in range(20):
        assert codes(secrets.token_urlsafe(9)) == []


@pytest.mark.django_db
def test_signup_with_a_short_password_is_a_form_error_and_creates_nobody(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newcomer",
            "password1": "Vx7-qLp2-Zr",
            "password2": "Vx7-qLp2-Zr",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert User.objects.filter(username="newcomer").exists() is False
