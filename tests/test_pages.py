"""Server-rendered pages: the board, detail permissions, compose, my messages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from board.lifecycle import MessageStatus
from board.models import Message
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_board_lists_only_public_reviewed_messages(client):
    shown = MessageFactory(title="公开的留言", status=MessageStatus.REPLIED)
    MessageFactory(title="私密的留言", is_public=False)
    for status in ("pending", "rejected", "withdrawn"):
        MessageFactory(title=f"{status}的留言", status=status)
    response = client.get(reverse("board:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert shown.title in html
    for hidden in ("私密的留言", "pending的留言", "rejected的留言", "withdrawn的留言"):
        assert hidden not in html


def test_board_queries_do_not_grow_with_its_messages(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    """Messages to departments show the department's region too: one join,
    not a query per card."""

    def to_a_department():
        department = DepartmentFactory()
        MessageFactory(addressee_official=None, addressee_department=department)

    to_a_department()
    client.get("/")  # warm per-process caches (site notice, translations)
    with CaptureQueriesContext(connection) as one_card:
        client.get("/")
    for _ in range(5):
        to_a_department()
    with django_assert_num_queries(len(one_card.captured_queries)):
        response = client.get("/")
    assert response.content.decode().count('class="message-card"') == 6


def test_board_is_chinese_by_default_and_english_on_request(client):
    MessageFactory()
    assert "留言板" in client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Message board" in english


def test_board_filters_by_region_including_the_regions_below(client):
    province = RegionFactory()
    city = RegionFactory(parent=province)
    inside = MessageFactory(region=city, title="市里的留言")
    outside = MessageFactory(title="别处的留言")
    html = client.get("/", {"region": province.pk}).content.decode()
    assert inside.title in html
    assert outside.title not in html


def test_board_ignores_garbage_filters(client):
    MessageFactory(title="照常显示")
    response = client.get("/", {"region": "abc", "kind": "x", "cursor": "%%%"})
    assert response.status_code == 200
    assert "照常显示" in response.content.decode()


def test_board_pages_by_keyset_without_repeats(client):
    messages = [MessageFactory(title=f"第{n}条") for n in range(45)]
    seen, cursor = [], ""
    for _ in range(5):
        response = client.get("/", {"cursor": cursor} if cursor else {})
        page = response.context["page"]
        seen.extend(message.pk for message in page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == sorted(message.pk for message in messages)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("status", "is_public"),
    [("pending", True), ("rejected", True), ("withdrawn", True), ("published", False)],
)
def test_unpublished_or_private_message_is_404_to_strangers(
    client, other_citizen, status, is_public
):
    message = MessageFactory(status=status, is_public=is_public)
    assert client.get(message.get_absolute_url()).status_code == 404
    client.force_login(other_citizen)
    assert client.get(message.get_absolute_url()).status_code == 404


def test_private_message_is_visible_to_author_moderator_and_addressee(
    client, moderator, official
):
    message = MessageFactory(
        is_public=False, addressee_official=official, region=official.region
    )
    for user in (message.author, moderator, official.user):
        client.force_login(user)
        assert client.get(message.get_absolute_url()).status_code == 200


def test_pending_message_is_not_yet_visible_to_its_addressee(client, official):
    message = MessageFactory(
        status="pending", addressee_official=official, region=official.region
    )
    client.force_login(official.user)
    assert client.get(message.get_absolute_url()).status_code == 404


def test_contact_phone_is_never_on_the_public_page(client):
    message = MessageFactory(contact_phone="13912345678")
    assert "13912345678" not in client.get(message.get_absolute_url()).content.decode()
    client.force_login(message.author)
    assert "13912345678" in client.get(message.get_absolute_url()).content.decode()


def test_detail_shows_the_timeline(client, citizen):
    official = OfficialFactory()
    client.force_login(citizen)
    client.post(reverse("board:compose"), compose_data(official))
    message = Message.objects.get()
    html = client.get(message.get_absolute_url()).content.decode()
    assert "时间线" in html
    assert "已提交" in html


def compose_data(official, **changes):
    data = {
        "region": official.region.pk,
        "addressee": f"o:{official.pk}",
        "category": CategoryFactory().pk,
        "kind": "inquiry",
        "title": "社保卡补办需要什么材料",
        "body": "请问社保卡丢失后补办需要带哪些材料？",
        "is_public": "1",
        "contact_phone": "",
        "accepts_guidelines": "on",
    }
    data.update(changes)
    return data


def test_compose_requires_login(client):
    response = client.get(reverse("board:compose"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_compose_submits_and_redirects_to_the_pending_message(client, citizen):
    official = OfficialFactory()
    client.force_login(citizen)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "JPEG")
    data = compose_data(official)
    data["attachments"] = SimpleUploadedFile("a.jpg", buffer.getvalue())
    response = client.post(reverse("board:compose"), data)
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == message.get_absolute_url()
    assert message.status == MessageStatus.PENDING
    assert message.attachments.count() == 1
    mine = client.get(reverse("board:my_messages")).content.decode()
    assert message.title in mine
    assert "待审核" in mine


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 61}, "title"),
        ({"body": "字" * 3001}, "body"),
        ({"kind": "praise"}, "kind"),
        ({"addressee": "o:999999"}, "addressee"),
        ({"addressee": "nonsense"}, "addressee"),
        ({"region": "999999"}, "region"),
        ({"contact_phone": "not a phone"}, "contact_phone"),
    ],
)
def test_compose_shows_field_errors_and_saves_nothing(client, citizen, changes, field):
    client.force_login(citizen)
    response = client.post(
        reverse("board:compose"), compose_data(OfficialFactory(), **changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Message.objects.count() == 0


def test_compose_refuses_an_addressee_outside_the_region(client, citizen):
    client.force_login(citizen)
    data = compose_data(OfficialFactory(), region=RegionFactory().pk)
    response = client.post(reverse("board:compose"), data)
    assert "addressee" in response.context["form"].errors
    assert Message.objects.count() == 0


def test_compose_refuses_a_disguised_file(client, citizen):
    client.force_login(citizen)
    data = compose_data(OfficialFactory())
    data["attachments"] = SimpleUploadedFile("a.jpg", b"%PDF-1.4 not an image")
    response = client.post(reverse("board:compose"), data)
    assert "attachments" in response.context["form"].errors
    assert Message.objects.count() == 0


def test_unverified_citizen_is_told_to_verify(client):
    user = UserFactory(citizen=True, email_verified=False)
    client.force_login(user)
    response = client.get(reverse("board:compose"))
    assert response.status_code == 403
    assert "验证" in response.content.decode()


def test_author_edits_and_withdraws_through_the_pages(client, citizen):
    official = OfficialFactory()
    client.force_login(citizen)
    client.post(reverse("board:compose"), compose_data(official))
    message = Message.objects.get()
    edit_url = reverse("board:message_edit", args=[message.pk])
    response = client.post(edit_url, compose_data(official, title="改过的标题"))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.title == "改过的标题"
    client.post(reverse("board:message_withdraw", args=[message.pk]), {"note": ""})
    message.refresh_from_db()
    assert message.status == MessageStatus.WITHDRAWN
    assert client.get(edit_url).status_code == 404


def test_someone_else_cannot_edit_or_withdraw(client, citizen, other_citizen):
    message = MessageFactory(author=citizen, status="pending")
    client.force_login(other_citizen)
    assert (
        client.get(reverse("board:message_edit", args=[message.pk])).status_code == 404
    )
    response = client.post(reverse("board:message_withdraw", args=[message.pk]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_official_page_lists_messages_and_counts(client, official):
    MessageFactory.create_batch(
        2, addressee_official=official, region=official.region, status="replied"
    )
    MessageFactory(addressee_official=official, region=official.region, is_public=False)
    response = client.get(official.get_absolute_url())
    assert response.status_code == 200
    assert response.context["counts"] == {"replied": 2, "total": 2}
    assert len(response.context["page"].items) == 2


def test_attachment_follows_message_visibility(client, citizen):
    official = OfficialFactory()
    client.force_login(citizen)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    data = compose_data(official, is_public="0")
    data["attachments"] = SimpleUploadedFile("x.png", buffer.getvalue())
    client.post(reverse("board:compose"), data)
    attachment = Message.objects.get().attachments.get()
    url = reverse("board:attachment", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    client.logout()
    assert client.get(url).status_code == 404
