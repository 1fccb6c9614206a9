"""moderation plugs into board through board/hooks.py (docs/architecture.md)."""

import pytest
from django.apps import apps

from board import hooks
from moderation.screening import screen_submission
from moderation.views.message_page import message_page_part
from tests.factories import MessageFactory


def test_moderation_registers_its_hooks_once():
    apps.get_app_config("moderation").ready()  # as a second ready() would
    assert hooks.submission_screeners.count(screen_submission) == 1
    assert hooks.message_page_parts.count(message_page_part) == 1


@pytest.mark.django_db
def test_without_moderations_part_the_page_has_no_report_form(
    client, monkeypatch, django_user_model
):
    message = MessageFactory()
    reader = django_user_model.objects.create_user("reader", "r@example.com", "pw")
    client.force_login(reader)
    assert "report_form" in client.get(message.get_absolute_url()).context
    monkeypatch.setattr(hooks, "message_page_parts", [])
    page = client.get(message.get_absolute_url())
    assert page.status_code == 200
    assert "report_form" not in page.context
