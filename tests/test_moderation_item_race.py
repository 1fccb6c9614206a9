"""Two moderators decide on one item from its page: the second decision,
made on a version of the item that is no longer current, is refused on the
page rather than applied over the first."""

import importlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from board.lifecycle import MessageStatus
from board.models import Message
from moderation.actions import message_hide
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

STALE = "Someone changed this item after you opened it; reload it."
SEEN_FIELD = re.compile(r'name="seen_updated_at" value="([^"]+)"')
# The module, not the view function moderation.views re-exports as "item".
item_views = importlib.import_module("moderation.views.item")


@pytest.fixture
def moderator_a(db):
    return UserFactory(moderator=True, username="moderator_a")


@pytest.fixture
def moderator_b(db):
    return UserFactory(moderator=True, username="moderator_b")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_item(client, message) -> tuple[str, dict]:
    """GET the item page; return the version its forms carry, and the forms."""
    page = client.get(reverse("moderation:item", args=[message.pk]))
    assert page.status_code == 200
    versions = set(SEEN_FIELD.findall(page.content.decode()))
    assert len(versions) == 1, versions
    return versions.pop(), page.context["forms"]


def post(client, message, action, data):
    return client.post(
        reverse("moderation:item_action", args=[message.pk, action]), data
    )


def let_claim_expire(message):
    """Time passes: the claim runs out (the item's version is untouched)."""
    Message.objects.filter(pk=message.pk).update(
        claim_expires_at=timezone.now() - timedelta(minutes=1)
    )


def decisions(message):
    return list(
        AuditEvent.objects.filter(message=message)
        .exclude(verb=AuditVerb.CLAIMED)
        .order_by("pk")
        .values_list("actor__username", "verb")
    )


def redact_data(seen, forms):
    return {"seen_updated_at": seen, **forms["redact"].initial, "note": ""}


def assert_refused_as_stale(response, message, moderator_a):
    assert response.status_code == 409
    errors = response.context["forms"]["redact"].non_field_errors()
    assert list(errors) == [gettext(STALE)]
    assert errors[0] in response.content.decode()
    message.refresh_from_db()
    # A's decision stands; B's was not applied over it.
    assert message.status == MessageStatus.HIDDEN
    assert message.moderation_reason == "abusive"
    assert message.is_redacted is False
    assert message.originals.exists() is False
    assert decisions(message) == [(moderator_a.username, AuditVerb.HIDDEN)]


def test_the_second_of_two_moderators_gets_the_stale_error(moderator_a, moderator_b):
    message = MessageFactory(
        status=MessageStatus.PUBLISHED, body="电话 13800138000，请联系。"
    )
    client_a, client_b = client_for(moderator_a), client_for(moderator_b)
    # B opens the item first and leaves it open until the claim runs out;
    # then A opens it.
    seen_b, forms_b = open_item(client_b, message)
    let_claim_expire(message)
    seen_a, _forms_a = open_item(client_a, message)
    assert seen_a != seen_b  # A's claim is a change B has not seen

    response = post(
        client_a, message, "hide", {"seen_updated_at": seen_a, "reason": "abusive"}
    )
    assert response.status_code == 302
    # B decides differently, on the page B opened before A's decision.
    response = post(client_b, message, "redact", redact_data(seen_b, forms_b))

    assert_refused_as_stale(response, message, moderator_a)


def test_a_decision_landing_between_loading_the_item_and_locking_it_wins(
    moderator_a, moderator_b, monkeypatch
):
    """A's decision commits after B's request has read the item but before
    B's action takes the row lock: only the check under the lock sees it."""
    message = MessageFactory(
        status=MessageStatus.PUBLISHED, body="电话 13800138000，请联系。"
    )
    client_b = client_for(moderator_b)
    seen_b, forms_b = open_item(client_b, message)
    let_claim_expire(message)
    # A works from the same version B loaded (through the API, say).
    seen_by_a = Message.objects.get(pk=message.pk).updated_at

    load = item_views.access_message_for_moderation
    interleaved = []

    def load_then_let_a_decide(user, message_id):
        loaded = load(user, message_id)
        if not interleaved:
            interleaved.append(True)
            message_hide(
                message=Message.objects.get(pk=message_id),
                actor=moderator_a,
                reason="abusive",
                seen_updated_at=seen_by_a,
            )
        return loaded

    monkeypatch.setattr(
        item_views, "access_message_for_moderation", load_then_let_a_decide
    )
    response = post(client_b, message, "redact", redact_data(seen_b, forms_b))

    assert interleaved == [True]
    assert_refused_as_stale(response, message, moderator_a)
