"""Email-domain parsing, written once (moderation/models.py) and used by the
sign-up adapter, the submission hold and the domain block."""

import pytest

from moderation.models import BlockedEmailDomain, email_domain, normalise_domain
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("address", "domain"),
    [
        ("wang@Example.COM", "example.com"),
        ("a@b@mail.example.cn.", "mail.example.cn"),
        ("no-at-sign", ""),
        ("", ""),
    ],
)
def test_email_domain(address, domain):
    assert email_domain(address) == domain


def test_normalise_domain():
    assert normalise_domain("  @Spam.Example. ") == "spam.example"


@pytest.mark.django_db
def test_blocking_finds_the_block_of_an_address_domain():
    block = BlockedEmailDomain.objects.create(
        domain="spam.example", reason="spam", created_by=UserFactory()
    )
    assert BlockedEmailDomain.blocking("x@SPAM.example") == block
    assert BlockedEmailDomain.blocking("x@example.com") is None
    assert BlockedEmailDomain.blocking("not an address") is None
