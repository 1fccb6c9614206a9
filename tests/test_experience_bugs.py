"""Bugs a person met on the pages (#14): each fails on the code before it."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from board.forms import CorrectionForm
from board.models import DepartmentDeadline, Holiday, MessageEvent
from tests.factories import (
    DepartmentFactory,
    OfficialFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_after_a_transfer_the_official_lands_on_the_inbox_with_the_note(
    client, official
):
    message = RoutedMessageFactory(addressee_official=official, region=official.region)
    client.force_login(official.user)
    response = client.post(
        reverse("board:message_transfer", args=[message.pk]),
        {"target": f"o:{OfficialFactory().pk}", "reason": "属于交通部门职责"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("board:inbox")
    notes = [str(note) for note in response.context["messages"]]
    assert any("transferred" in note or "转" in note for note in notes)


def test_a_correction_s_choices_show_times_in_shanghai(official):
    message = RoutedMessageFactory(addressee_official=official)
    ReplyFactory(message=message, published_at=datetime(2026, 5, 1, 5, 24, tzinfo=UTC))
    form = CorrectionForm(message=message)
    [label] = [label for value, label in form.fields["corrects"].choices if value]
    assert label.startswith("2026-05-01 13:24")


@pytest.mark.parametrize(
    ("roles", "offered"),
    [(None, True), (["citizen"], True), (["moderator"], False), (["official"], False)],
)
def test_write_a_message_is_offered_to_those_who_may(client, roles, offered):
    if roles is not None:
        client.force_login(UserFactory(roles=roles))
    page = client.get("/").content.decode()
    assert ('class="nav-cta"' in page) is offered
    assert ('class="no-compose"' in page) is not offered


def test_administrators_keep_the_calendar_and_department_deadlines(admin_client):
    response = admin_client.post(
        reverse("admin:board_holiday_add"),
        {"date": "2026-10-01", "name": "国庆节", "is_working_day": ""},
    )
    assert response.status_code == 302
    assert Holiday.objects.get(date="2026-10-01").name == "国庆节"
    assert (
        admin_client.get(reverse("admin:board_holiday_changelist")).status_code == 200
    )

    department = DepartmentFactory()
    change = reverse("admin:board_department_change", args=[department.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="deadlines-0-kind"' in page or "deadlines-TOTAL_FORMS" in page
    response = admin_client.post(
        change,
        {
            "name": department.name,
            "name_en": department.name_en,
            "region": department.region_id,
            "routing_keywords": "",
            "deadlines-TOTAL_FORMS": "1",
            "deadlines-INITIAL_FORMS": "0",
            "deadlines-MIN_NUM_FORMS": "0",
            "deadlines-MAX_NUM_FORMS": "1000",
            "deadlines-0-kind": "complaint",
            "deadlines-0-working_days": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    deadline = DepartmentDeadline.objects.get(department=department)
    assert (deadline.kind, deadline.working_days) == ("complaint", 5)


@pytest.mark.parametrize("stored", ["satisfied", "满意", "Satisfied"])
def test_a_rating_s_timeline_note_follows_the_reader_s_language(stored):
    """New notes hold the verdict's code; older ones its Chinese label."""
    event = MessageEvent(verb=MessageEvent.Verb.RATED, note=stored)
    with translation.override("en"):
        assert event.shown_note == "Satisfied"
    with translation.override("zh-hans"):
        assert event.shown_note == "满意"
    other = MessageEvent(verb=MessageEvent.Verb.WITHDRAWN, note="满意")
    with translation.override("en"):
        assert other.shown_note == "满意"
