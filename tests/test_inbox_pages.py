"""Server-rendered pages of the officials' side: the inbox, the handle page and
its forms, and the replies, rating and follow-ups on the public message page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from board.actions import message_accept, reply_create
from board.lifecycle import MessageStatus
from board.models import (
    FollowUp,
    FollowUpStatus,
    Message,
    MessageEvent,
    Rating,
    Reply,
    ReplyStatus,
    Transfer,
)
from tests.factories import (
    TEST_PASSWORD,
    CategoryFactory,
    DepartmentFactory,
    FollowUpFactory,
    HandlerUserFactory,
    OfficialFactory,
    RegionFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
    png_upload,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def today():
    return timezone.localdate()


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def routed_to(official, **kwargs) -> Message:
    return RoutedMessageFactory(
        addressee_official=official, region=official.region, **kwargs
    )


def handle_url(message, action=None):
    if action is None:
        return reverse("board:message_handle", args=[message.pk])
    return reverse(f"board:message_{action}", args=[message.pk])


def inbox_ids(client, **params) -> list[int]:
    response = client.get(reverse("board:inbox"), params)
    assert response.status_code == 200
    return [row["pk"] for row in response.context["rows"]]


# --- The inbox: who sees what, in which order ---


def test_inbox_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("board:inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_inbox_is_forbidden_to_citizens_and_moderators(client, citizen, moderator):
    assert login(client, citizen).get(reverse("board:inbox")).status_code == 403
    assert login(client, moderator).get(reverse("board:inbox")).status_code == 403


def test_official_sees_messages_to_them_and_their_department(
    client, department_official, handling_department
):
    mine = routed_to(department_official)
    to_department = RoutedMessageFactory(
        addressee_official=None,
        addressee_department=handling_department,
        region=handling_department.region,
    )
    colleague = OfficialFactory(department=handling_department)
    routed_to(colleague)  # a colleague's own inbox
    routed_to(OfficialFactory())
    routed_to(department_official, status=MessageStatus.PENDING)
    routed_to(department_official, status=MessageStatus.HIDDEN)

    ids = inbox_ids(login(client, department_official.user))

    assert sorted(ids) == sorted([mine.pk, to_department.pk])


def test_handler_sees_the_department_and_its_officials(
    client, handler_user, department_official, handling_department
):
    to_official = routed_to(department_official)
    to_department = RoutedMessageFactory(
        addressee_official=None,
        addressee_department=handling_department,
        region=handling_department.region,
    )
    routed_to(OfficialFactory(department=DepartmentFactory()))

    ids = inbox_ids(login(client, handler_user))

    assert sorted(ids) == sorted([to_official.pk, to_department.pk])


def test_inbox_puts_overdue_first_then_the_nearest_deadline(client, official):
    later = routed_to(official, due_date=today() + timedelta(days=20))
    answered = routed_to(official, status=MessageStatus.REPLIED, due_date=today())
    soon = routed_to(official, due_date=today() + timedelta(days=2))
    very_overdue = routed_to(
        official, status=MessageStatus.ACCEPTED, due_date=today() - timedelta(days=9)
    )
    overdue = routed_to(official, due_date=today() - timedelta(days=1))

    ids = inbox_ids(login(client, official.user))

    assert ids == [very_overdue.pk, overdue.pk, soon.pk, later.pk, answered.pk]


def test_inbox_counts_and_filters(client, official):
    transport = CategoryFactory(slug="transport")
    overdue = routed_to(official, due_date=today() - timedelta(days=3))
    near = routed_to(official, due_date=today(), category=transport)
    routed_to(official, status=MessageStatus.ACCEPTED)
    routed_to(official, status=MessageStatus.CLOSED)
    login(client, official.user)

    counts = client.get(reverse("board:inbox")).context["counts"]
    assert counts["total"] == 4
    assert counts["published"] == 2
    assert counts["accepted"] == 1
    assert counts["closed"] == 1
    assert counts["overdue"] == 1
    assert counts["near"] == 1

    assert inbox_ids(client, due="overdue") == [overdue.pk]
    assert inbox_ids(client, due="near") == [near.pk]
    assert inbox_ids(client, category=transport.pk) == [near.pk]
    assert len(inbox_ids(client, status="accepted")) == 1
    assert len(inbox_ids(client, status="nonsense", region="x")) == 4


def test_inbox_filters_by_region_including_the_regions_below(client, official):
    province = RegionFactory()
    city = RegionFactory(parent=province)
    inside = RoutedMessageFactory(addressee_official=official, region=city)
    routed_to(official)

    assert inbox_ids(login(client, official.user), region=province.pk) == [inside.pk]


def test_inbox_row_marks_deadline_extension_escalation_and_drafts(client, official):
    overdue = routed_to(
        official,
        due_date=today() - timedelta(days=7),
        escalated_at=timezone.now(),
        extended_by_days=5,
    )
    ReplyFactory(message=overdue, status=ReplyStatus.DRAFT)
    routed_to(official, due_date=today() + timedelta(days=30))

    response = login(client, official.user).get(reverse("board:inbox"), **ENGLISH)
    html = response.content.decode()

    assert 'data-deadline="overdue"' in html
    assert 'data-deadline="on-time"' in html
    assert "Overdue by" in html
    assert "working days" in html
    assert "Escalated" in html
    assert "Extended" in html
    assert "1 draft awaiting sign-off" in html
    assert overdue.reference in html


def test_inbox_link_shows_in_the_navigation_for_officials_only(
    client, official, citizen
):
    inbox = reverse("board:inbox")
    assert inbox in login(client, official.user).get("/").content.decode()
    assert inbox not in login(client, citizen).get("/").content.decode()


# --- The handle page: who may open it ---


def test_handle_page_shows_the_message_with_contact_phone(client, official):
    message = routed_to(official, contact_phone="13800001111")

    response = login(client, official.user).get(handle_url(message))

    assert response.status_code == 200
    html = response.content.decode()
    assert "13800001111" in html
    assert message.title in html
    assert reverse("board:message_accept", args=[message.pk]) in html


def test_handle_page_is_404_to_other_officials_citizens_and_moderators(
    client, official, citizen, moderator
):
    message = routed_to(official)
    for user in (OfficialFactory(user=UserFactory(official=True)).user, citizen):
        assert login(client, user).get(handle_url(message)).status_code == 404
    assert login(client, moderator).get(handle_url(message)).status_code == 404
    author = message.author
    assert login(client, author).get(handle_url(message)).status_code == 404


def test_handle_page_asks_anonymous_visitors_to_log_in(client, official):
    message = routed_to(official)
    response = client.get(handle_url(message))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.post(handle_url(message, "accept"))
    assert response.status_code == 302
    assert Message.objects.get(pk=message.pk).status == MessageStatus.PUBLISHED


def test_handle_page_is_404_for_a_message_not_yet_routed(client, official):
    message = routed_to(official, status=MessageStatus.PENDING)
    assert login(client, official.user).get(handle_url(message)).status_code == 404


def test_other_official_cannot_post_to_the_actions(client, official):
    message = routed_to(official)
    stranger = OfficialFactory(user=UserFactory(official=True)).user
    login(client, stranger)

    assert client.post(handle_url(message, "accept")).status_code == 404
    response = client.post(
        reverse("board:reply_create", args=[message.pk]),
        {"kind": "interim", "body": "不该发出"},
    )
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.replies.count() == 0


# --- The handle page: each form calls its action ---


def test_accept_form_accepts_the_message(client, official):
    message = routed_to(official)

    response = login(client, official.user).post(handle_url(message, "accept"))

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED
    assert message.events.filter(verb=MessageEvent.Verb.ACCEPTED).count() == 1


def test_accepting_twice_is_a_form_error_not_a_500(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)

    response = login(client, official.user).post(handle_url(message, "accept"))

    assert response.status_code == 409
    assert response.context["accept_form"].non_field_errors()
    assert message.events.count() == 0


def test_transfer_form_moves_the_message_to_another_official(client, official):
    message = routed_to(official)
    other = OfficialFactory()

    response = login(client, official.user).post(
        handle_url(message, "transfer"),
        {"target": f"o:{other.pk}", "reason": "属于交通部门职责"},
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.addressee_official == other
    assert message.transfer_count == 1
    transfer = Transfer.objects.get(message=message)
    assert transfer.reason == "属于交通部门职责"
    # Gone from this inbox.
    assert client.get(handle_url(message)).status_code == 404


def test_transfer_to_a_department(client, official):
    message = routed_to(official)
    department = DepartmentFactory()

    login(client, official.user).post(
        handle_url(message, "transfer"),
        {"target": f"d:{department.pk}", "reason": "转交主管部门"},
    )

    message.refresh_from_db()
    assert message.addressee_department == department
    assert message.addressee_official is None


@pytest.mark.parametrize(
    "data",
    [
        {"target": "", "reason": "理由"},
        {"target": "o:999999", "reason": "理由"},
        {"target": "x:1", "reason": "理由"},
        {"target": "OTHER", "reason": ""},
    ],
)
def test_transfer_with_bad_input_saves_nothing(client, official, data):
    message = routed_to(official)
    other = OfficialFactory()
    data = {**data, "target": data["target"].replace("OTHER", f"o:{other.pk}")}

    response = login(client, official.user).post(handle_url(message, "transfer"), data)

    assert response.status_code == 400
    assert response.context["transfer_form"].errors
    assert Transfer.objects.count() == 0
    message.refresh_from_db()
    assert message.addressee_official == official


def test_transfer_to_an_inactive_official_is_a_form_error(client, official):
    message = routed_to(official)
    retired = OfficialFactory(is_active=False)

    response = login(client, official.user).post(
        handle_url(message, "transfer"),
        {"target": f"o:{retired.pk}", "reason": "理由"},
    )

    assert response.status_code == 400
    assert response.context["transfer_form"].errors["target"]
    assert Transfer.objects.count() == 0


def test_extend_form_extends_once(client, official):
    due = today() + timedelta(days=3)
    message = routed_to(official, due_date=due)
    login(client, official.user)

    response = client.post(
        handle_url(message, "extend"), {"working_days": "5", "reason": "需现场勘查"}
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.extended_by_days == 5
    assert message.extension_reason == "需现场勘查"
    assert message.due_date > due
    # The form is gone once extended, and a second try is refused.
    page = client.get(handle_url(message)).content.decode()
    assert reverse("board:message_extend", args=[message.pk]) not in page
    response = client.post(
        handle_url(message, "extend"), {"working_days": "2", "reason": "再延"}
    )
    assert response.status_code == 400
    assert response.context["extend_form"].errors["working_days"]
    message.refresh_from_db()
    assert message.extended_by_days == 5


@pytest.mark.parametrize(
    "data",
    [
        {"working_days": "16", "reason": "太久"},
        {"working_days": "0", "reason": "零天"},
        {"working_days": "abc", "reason": "不是数字"},
        {"working_days": "5", "reason": "   "},
    ],
)
def test_extend_with_bad_input_saves_nothing(client, official, data):
    due = today() + timedelta(days=3)
    message = routed_to(official, due_date=due)

    response = login(client, official.user).post(handle_url(message, "extend"), data)

    assert response.status_code == 400
    assert response.context["extend_form"].errors
    message.refresh_from_db()
    assert message.due_date == due
    assert message.extended_by_days == 0


def test_final_reply_before_accepting_is_a_form_error(client, official):
    message = routed_to(official)

    response = login(client, official.user).post(
        reverse("board:reply_create", args=[message.pk]),
        {"kind": "final", "body": "已处理"},
    )

    assert response.status_code == 409
    assert response.context["reply_form"].non_field_errors()
    assert message.replies.count() == 0


def test_interim_reply_keeps_the_message_in_handling(client, official):
    message = routed_to(official)

    login(client, official.user).post(
        reverse("board:reply_create", args=[message.pk]),
        {"kind": "interim", "body": "已联系施工单位"},
    )

    reply = Reply.objects.get(message=message)
    assert reply.is_final is False
    assert reply.status == ReplyStatus.PUBLISHED
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED


def test_final_reply_with_a_photo_answers_the_message(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)

    response = login(client, official.user).post(
        reverse("board:reply_create", args=[message.pk]),
        {"kind": "final", "body": "路灯已修复。", "attachments": [png_upload()]},
    )

    assert response.status_code == 302
    reply = Reply.objects.get(message=message)
    assert reply.is_final is True
    assert reply.office == official.title
    assert reply.attachments.count() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


def test_reply_with_too_many_photos_saves_nothing(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)

    response = login(client, official.user).post(
        reverse("board:reply_create", args=[message.pk]),
        {
            "kind": "final",
            "body": "附图",
            "attachments": [png_upload(f"{n}.png") for n in range(4)],
        },
    )

    assert response.status_code == 400
    assert response.context["reply_form"].errors["attachments"]
    assert message.replies.count() == 0


@pytest.mark.parametrize(
    "data", [{"kind": "final", "body": "   "}, {"kind": "sideways", "body": "x"}]
)
def test_reply_with_bad_input_saves_nothing(client, official, data):
    message = routed_to(official, status=MessageStatus.ACCEPTED)

    response = login(client, official.user).post(
        reverse("board:reply_create", args=[message.pk]), data
    )

    assert response.status_code == 400
    assert response.context["reply_form"].errors
    assert message.replies.count() == 0


def test_correction_form_links_a_new_reply_to_the_published_one(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    original = reply_create(
        message=message, actor=official.user, body="周三修复", final=True
    )

    response = login(client, official.user).post(
        reverse("board:reply_correct", args=[message.pk]),
        {"corrects": original.pk, "body": "更正：周四修复"},
    )

    assert response.status_code == 302
    correction = Reply.objects.get(corrects=original)
    assert correction.body == "更正：周四修复"
    assert correction.is_final is False
    original.refresh_from_db()
    assert original.body == "周三修复"


def test_correction_of_a_reply_to_another_message_is_refused(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)
    elsewhere = ReplyFactory()

    response = login(client, official.user).post(
        reverse("board:reply_correct", args=[message.pk]),
        {"corrects": elsewhere.pk, "body": "更正"},
    )

    assert response.status_code == 400
    assert response.context["correction_form"].errors["corrects"]
    assert Reply.objects.filter(corrects__isnull=False).count() == 0


# --- Sign-off inside a department ---


@pytest.fixture
def sign_off_department(handling_department):
    handling_department.requires_sign_off = True
    handling_department.save()
    return handling_department


def test_handler_reply_waits_for_an_officials_sign_off(
    client, sign_off_department, handler_user, department_official
):
    message = routed_to(department_official, status=MessageStatus.ACCEPTED)

    login(client, handler_user).post(
        reverse("board:reply_create", args=[message.pk]),
        {"kind": "final", "body": "草稿答复内容"},
    )

    draft = Reply.objects.get(message=message)
    assert draft.status == ReplyStatus.DRAFT
    sign_off = reverse("board:reply_sign_off", args=[message.pk, draft.pk])
    # Staff see the draft but cannot sign it off.
    page = client.get(handle_url(message)).content.decode()
    assert "草稿答复内容" in page
    assert sign_off not in page
    response = client.post(sign_off)
    assert response.status_code == 403
    assert response.context["sign_off_form"].non_field_errors()
    draft.refresh_from_db()
    assert draft.status == ReplyStatus.DRAFT

    login(client, department_official.user)
    assert sign_off in client.get(handle_url(message)).content.decode()
    assert client.post(sign_off).status_code == 302

    draft.refresh_from_db()
    assert draft.status == ReplyStatus.PUBLISHED
    assert draft.signed_off_by == department_official.user
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


def test_signing_off_a_published_reply_is_a_form_error(client, department_official):
    message = routed_to(department_official, status=MessageStatus.ACCEPTED)
    reply = reply_create(
        message=message, actor=department_official.user, body="答复", final=True
    )

    response = login(client, department_official.user).post(
        reverse("board:reply_sign_off", args=[message.pk, reply.pk])
    )

    assert response.status_code == 409
    assert response.context["sign_off_form"].non_field_errors()


# --- The public message page ---


def test_public_page_shows_the_countdown_and_extension_reason(client, official):
    message = routed_to(
        official,
        due_date=today() + timedelta(days=14),
        extended_by_days=3,
        extension_reason="需要协调多个部门",
    )

    html = client.get(message.get_absolute_url(), **ENGLISH).content.decode()

    assert f"Reply due by {message.due_date:%Y-%m-%d}" in html
    assert "working days left" in html
    assert "需要协调多个部门" in html


def test_public_page_marks_an_overdue_message(client, official):
    message = routed_to(official, due_date=today() - timedelta(days=10))

    html = client.get(message.get_absolute_url(), **ENGLISH).content.decode()

    assert 'data-deadline="overdue"' in html
    assert "Overdue" in html


def test_public_page_shows_replies_and_the_rating_but_never_drafts(
    client, official, citizen
):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    interim = reply_create(
        message=message, actor=official.user, body="正在协调中", final=False
    )
    final = reply_create(
        message=message, actor=official.user, body="已全部修复", final=True
    )
    correction = reply_create(
        message=message,
        actor=official.user,
        body="补充：含两处",
        corrects=final,
        final=False,
    )
    ReplyFactory(message=message, status=ReplyStatus.DRAFT, body="内部草稿不得公开")
    Rating.objects.create(
        message=message,
        reply=final,
        attitude=4,
        speed=3,
        resolved=4,
        overall="basically_satisfied",
        comment="还算及时",
    )

    for viewer in (None, citizen, message.author):
        if viewer is not None:
            login(client, viewer)
        html = client.get(message.get_absolute_url(), **ENGLISH).content.decode()
        assert "正在协调中" in html
        assert "已全部修复" in html
        assert "补充：含两处" in html
        assert "内部草稿不得公开" not in html
        assert "Interim reply" in html
        assert f'href="#reply-{final.pk}"' in html  # the correction links back
        assert f'id="reply-{interim.pk}"' in html
        assert f'id="reply-{correction.pk}"' in html
        assert 'data-overall="basically_satisfied"' in html
        assert "还算及时" in html
        assert str(official) in html


def test_reply_photos_are_not_listed_as_the_messages_photos(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(
        message=message,
        actor=official.user,
        body="现场照片",
        final=True,
        images=[png_upload()],
    )

    response = client.get(message.get_absolute_url())

    assert list(response.context["attachments"]) == []
    assert "reply" in response.context["thread"][0]["kind"]


def test_rating_form_is_for_the_author_only(client, official, citizen):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)
    rating_url = reverse("board:rating_submit", args=[message.pk])

    assert rating_url not in client.get(message.get_absolute_url()).content.decode()
    login(client, citizen)
    assert rating_url not in client.get(message.get_absolute_url()).content.decode()
    response = client.post(rating_url, {"attitude": 5, "speed": 5, "resolved": 5})
    assert response.status_code == 403
    assert Rating.objects.count() == 0

    login(client, message.author)
    assert rating_url in client.get(message.get_absolute_url()).content.decode()


def test_no_rating_form_before_the_final_reply(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="进展", final=False)

    response = login(client, message.author).get(message.get_absolute_url())

    assert response.context["rating_form"] is None
    assert response.context["follow_up_form"] is None


def test_author_rates_satisfied_and_the_message_closes(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)

    response = login(client, message.author).post(
        reverse("board:rating_submit", args=[message.pk]),
        {"attitude": "5", "speed": "5", "resolved": "5", "comment": "感谢"},
    )

    assert response.status_code == 302
    rating = Rating.objects.get(message=message)
    assert (rating.attitude, rating.speed, rating.resolved) == (5, 5, 5)
    assert rating.overall == "satisfied"
    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED
    page = client.get(message.get_absolute_url())
    assert page.context["rating_form"] is None
    assert page.context["follow_up_form"] is None


@pytest.mark.parametrize(
    "data",
    [
        {"attitude": "6", "speed": "5", "resolved": "5"},
        {"attitude": "5", "speed": "", "resolved": "5"},
        {"attitude": "5", "speed": "5", "resolved": "5", "comment": "长" * 1001},
    ],
)
def test_bad_rating_shows_form_errors_and_saves_nothing(client, official, data):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)

    response = login(client, message.author).post(
        reverse("board:rating_submit", args=[message.pk]), data
    )

    assert response.status_code == 400
    assert response.context["rating_form"].errors
    assert Rating.objects.count() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


def test_rating_twice_is_a_form_error(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)
    login(client, message.author)
    url = reverse("board:rating_submit", args=[message.pk])
    client.post(url, {"attitude": "3", "speed": "3", "resolved": "3"})

    response = client.post(url, {"attitude": "1", "speed": "1", "resolved": "1"})

    assert response.status_code == 409
    assert response.context["rating_form"].non_field_errors()
    assert Rating.objects.count() == 1


def test_low_resolved_score_offers_the_follow_up_at_once(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)
    login(client, message.author)

    response = client.post(
        reverse("board:rating_submit", args=[message.pk]),
        {"attitude": "4", "speed": "3", "resolved": "1"},
    )

    assert response.status_code == 302
    assert response.url.endswith("#follow-up")
    page = client.get(message.get_absolute_url())
    assert page.context["offer_follow_up"] is True
    html = page.content.decode()
    assert reverse("board:follow_up_submit", args=[message.pk]) in html
    assert 'class="follow-up-details" open' in html


def test_author_asks_a_follow_up_which_awaits_review(client, official, citizen):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)
    url = reverse("board:follow_up_submit", args=[message.pk])

    login(client, citizen)
    assert client.post(url, {"body": "别人追问"}).status_code == 403
    assert url not in client.get(message.get_absolute_url()).content.decode()

    login(client, message.author)
    response = client.post(url, {"body": "什么时候彻底修好？"})

    assert response.status_code == 302
    follow_up = FollowUp.objects.get(message=message)
    assert follow_up.status == FollowUpStatus.PENDING
    page = client.get(message.get_absolute_url(), **ENGLISH)
    assert page.context["pending_follow_ups"] == [follow_up]
    assert page.context["follow_up_form"] is None
    assert "awaiting review" in page.content.decode()
    # Not public until reviewed.
    client.logout()
    assert (
        "什么时候彻底修好"
        not in client.get(message.get_absolute_url()).content.decode()
    )


def test_empty_follow_up_saves_nothing(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)

    response = login(client, message.author).post(
        reverse("board:follow_up_submit", args=[message.pk]), {"body": "  "}
    )

    assert response.status_code == 400
    assert response.context["follow_up_form"].errors["body"]
    assert FollowUp.objects.count() == 0


def test_follow_up_past_the_window_is_a_form_error(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="答复", final=True)
    Message.objects.filter(pk=message.pk).update(
        last_reply_at=timezone.now() - timedelta(days=31)
    )

    response = login(client, message.author).post(
        reverse("board:follow_up_submit", args=[message.pk]), {"body": "还在吗"}
    )

    assert response.status_code == 409
    assert FollowUp.objects.count() == 0


def test_approved_follow_up_shows_in_the_public_thread(client, official):
    message = routed_to(official, status=MessageStatus.ACCEPTED)
    reply_create(message=message, actor=official.user, body="第一次答复", final=True)
    FollowUpFactory(
        message=message, status=FollowUpStatus.APPROVED, body_html="<p>再次追问</p>"
    )
    FollowUpFactory(
        message=message, status=FollowUpStatus.REJECTED, body_html="<p>被拒追问</p>"
    )

    html = client.get(message.get_absolute_url()).content.decode()

    assert "再次追问" in html
    assert "被拒追问" not in html


def test_addressee_gets_a_link_to_the_handle_page(client, official):
    message = routed_to(official)
    message_accept(message=message, actor=official.user)

    html = login(client, official.user).get(message.get_absolute_url()).content
    assert handle_url(message) in html.decode()
    client.logout()
    assert (
        handle_url(message)
        not in client.get(message.get_absolute_url()).content.decode()
    )


def test_handler_without_department_has_no_inbox(client):
    handler = HandlerUserFactory(department=None)
    assert login(client, handler).get(reverse("board:inbox")).status_code == 403
