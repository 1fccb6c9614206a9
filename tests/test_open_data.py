"""Open data (#13): the page and the six streamed exports, their filters and
their refusals, and what they never contain."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import async_to_sync
from django.core.cache import cache
from django.http import StreamingHttpResponse
from django.test import AsyncRequestFactory
from django.urls import reverse

from board.lifecycle import MessageStatus
from board.models import Rating, ReplyStatus
from board.open_data import exports
from board.open_data.exports import ExportFilters, in_pages, public_messages
from board.open_data.views import export
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    RegionFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATASETS = ("messages", "replies", "ratings")
FORMATS = ("csv", "jsonl")
MESSAGE_HEADER = [
    "reference",
    "published_at",
    "region_code",
    "region_name",
    "category",
    "kind",
    "addressee_type",
    "addressee",
    "status",
    "routed_at",
    "due_date",
    "accepted_at",
    "first_reply_at",
    "final_reply_at",
    "first_reply_working_days",
    "final_reply_working_days",
    "final_reply_on_time",
    "transfer_count",
    "support_count",
    "title",
    "body",
    "final_reply",
    "rating_overall",
]


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def download(client, dataset, format_name, **query):
    response = client.get(
        reverse("open_data:export", args=[dataset, format_name]), query
    )
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content).decode()


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def jsonl_rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def references(client, dataset="messages", **query) -> set[str]:
    _response, text = download(client, dataset, "jsonl", **query)
    key = "reference" if dataset == "messages" else "message_reference"
    return {row[key] for row in jsonl_rows(text)}


def rate(message, reply, **kwargs) -> Rating:
    fields = {"attitude": 5, "speed": 4, "resolved": 3, "overall": "satisfied"}
    return Rating.objects.create(message=message, reply=reply, **(fields | kwargs))


# --- Personal data never leaves ----------------------------------------------------


SECRETS = {
    "phone": "13912345678",
    "contact_phone": "13800009999",
    "email": "zhang.secret@example.org",
    "author_name": "张秘密",
    "username": "zhangsecretuser",
    "moderation_note": "审核备注不公开",
    "moderation_reason": "personal_data_reason",
    "original_title": "原标题含13912345678",
    "original_body": "原文：我的身份证号110101199003074518",
    "original_reply": "原回复：请拨打13700001111联系王科长",
    "reply_author": "officialsecretname",
    "rating_comment": "评价留言不要公开",
    "prescreen": "prescreen-finding-secret",
    "private_title": "不公开的留言标题",
    "pending_title": "待审核的留言标题",
    "hidden_title": "已隐藏的留言标题",
    "hidden_reply": "已隐藏的回复内容",
    "draft_reply": "待签发的回复草稿",
}


@pytest.fixture
def record_with_secrets():
    author = UserFactory(
        citizen=True,
        username=SECRETS["username"],
        email=SECRETS["email"],
        display_name=SECRETS["author_name"],
    )
    moderator = UserFactory(moderator=True, username="moderatorsecret")
    message = RoutedMessageFactory(
        author=author,
        status=MessageStatus.REPLIED,
        title=SECRETS["original_title"],
        body=SECRETS["original_body"],
        body_html=f"<p>{SECRETS['original_body']}</p>",
        contact_phone=SECRETS["contact_phone"],
        moderation_note=SECRETS["moderation_note"],
        moderation_reason=SECRETS["moderation_reason"],
        prescreen_flags=[{"label": SECRETS["prescreen"]}],
        claimed_by=moderator,
        intake_by=moderator,
        is_redacted=True,
        public_title="原标题含***********",
        public_body="原文：我的身份证号******************",
        public_body_html="<p>原文：我的身份证号******************</p>",
    )
    reply = ReplyFactory(
        message=message,
        author=UserFactory(official=True, username=SECRETS["reply_author"]),
        body=SECRETS["original_reply"],
        body_html=f"<p>{SECRETS['original_reply']}</p>",
        is_redacted=True,
        public_body_html="<p>原回复：请拨打***********联系王科长</p>",
    )
    rate(message, reply, comment=SECRETS["rating_comment"])
    ReplyFactory(
        message=message,
        body=SECRETS["hidden_reply"],
        body_html=f"<p>{SECRETS['hidden_reply']}</p>",
        status=ReplyStatus.HIDDEN,
    )
    ReplyFactory(
        message=message,
        body=SECRETS["draft_reply"],
        body_html=f"<p>{SECRETS['draft_reply']}</p>",
        status=ReplyStatus.DRAFT,
    )
    # Messages off the public board, each with a published reply and a rating.
    for title, fields in (
        (SECRETS["private_title"], {"is_public": False}),
        (SECRETS["pending_title"], {"status": MessageStatus.PENDING}),
        (SECRETS["hidden_title"], {"status": MessageStatus.HIDDEN}),
    ):
        hidden = RoutedMessageFactory(
            title=title, contact_phone=SECRETS["phone"], **fields
        )
        rate(hidden, ReplyFactory(message=hidden, body=title, body_html=title))
    return message


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_exports_contain_no_personal_data(
    client, record_with_secrets, dataset, format_name
):
    _response, text = download(client, dataset, format_name)
    for name, secret in SECRETS.items():
        assert secret not in text, name
    assert "moderatorsecret" not in text
    assert record_with_secrets.reference in text


def test_redacted_message_and_reply_export_their_public_version(
    client, record_with_secrets
):
    _response, text = download(client, "messages", "jsonl")
    (row,) = jsonl_rows(text)
    assert row["title"] == "原标题含***********"
    assert row["body"] == "原文：我的身份证号******************"
    assert row["final_reply"] == "原回复：请拨打***********联系王科长"
    assert row["rating_overall"] == "satisfied"
    _response, text = download(client, "replies", "jsonl")
    (reply_row,) = jsonl_rows(text)
    assert reply_row["body"] == "原回复：请拨打***********联系王科长"
    assert reply_row["office"] == "市住房和城乡建设局"
    _response, text = download(client, "ratings", "jsonl")
    (rating_row,) = jsonl_rows(text)
    assert set(rating_row) == {
        "message_reference",
        "reply",
        "rated_at",
        "overall",
        "attitude",
        "speed",
        "resolved",
    }
    assert (rating_row["attitude"], rating_row["speed"], rating_row["resolved"]) == (
        5,
        4,
        3,
    )


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PENDING,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.HIDDEN,
    ],
)
def test_messages_off_the_public_board_are_absent(client, status):
    shown = MessageFactory()
    MessageFactory(status=status)
    MessageFactory(is_public=False)
    assert references(client) == {shown.reference}


# --- Formats ---------------------------------------------------------------------


def test_messages_csv_has_bom_header_and_a_row_per_message(client):
    official_message = RoutedMessageFactory(
        title='=HYPERLINK("http://evil")',
        published_at=shanghai(2026, 3, 2, 9),
        final_reply_on_time=True,
        final_reply_working_days=4,
    )
    department = DepartmentFactory(name="交通局")
    department_message = MessageFactory(
        addressee_official=None,
        addressee_department=department,
        published_at=shanghai(2026, 3, 3, 9),
    )
    response, text = download(client, "messages", "csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="zhitong-messages-all.csv"'
    )
    assert text.splitlines()[0] == "\ufeff" + ",".join(MESSAGE_HEADER)
    first, second = csv_rows(text)
    assert first["reference"] == official_message.reference
    assert first["published_at"] == "2026-03-02T09:00:00+08:00"
    assert first["title"] == '\'=HYPERLINK("http://evil")'
    assert first["addressee_type"] == "official"
    assert first["addressee"] == (
        f"{official_message.addressee_official.name} "
        f"{official_message.addressee_official.title}"
    )
    assert (first["final_reply_on_time"], first["final_reply_working_days"]) == (
        "true",
        "4",
    )
    assert first["final_reply"] == ""
    assert second["reference"] == department_message.reference
    assert second["addressee_type"] == "department"
    assert second["addressee"] == f"{department.region.name} 交通局"


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_csv_starts_with_bom_and_header(client, dataset):
    response, text = download(client, dataset, "csv")
    assert isinstance(response, StreamingHttpResponse)
    assert text.startswith("\ufeff")
    assert len(text.splitlines()) == 1


def test_jsonl_parses_line_by_line(client):
    message = RoutedMessageFactory(
        title="路灯不亮", published_at=shanghai(2026, 3, 2, 9)
    )
    older = ReplyFactory(message=message, body_html="<p>第一段</p><p>第二段</p>")
    newer = ReplyFactory(message=message, body_html="<p>最终&amp;答复</p>")
    rate(message, older, overall="dissatisfied")
    rate(message, newer, overall="basically_satisfied")
    response, text = download(client, "messages", "jsonl")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert "路灯不亮" in text  # not \u-escaped
    (row,) = jsonl_rows(text)
    assert list(row) == MESSAGE_HEADER
    assert row["final_reply"] == "最终&答复"
    assert row["rating_overall"] == "basically_satisfied"
    assert row["first_reply_working_days"] is None
    _response, text = download(client, "replies", "jsonl")
    rows = jsonl_rows(text)
    assert [row["id"] for row in rows] == [older.pk, newer.pk]
    assert rows[0]["body"] == "第一段\n第二段"
    assert rows[0]["is_final"] is True
    _response, text = download(client, "ratings", "jsonl")
    assert [row["overall"] for row in jsonl_rows(text)] == [
        "dissatisfied",
        "basically_satisfied",
    ]


def test_export_spans_more_than_one_chunk_and_block(client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    monkeypatch.setattr(exports, "BLOCK_CHARS", 100)
    messages = [MessageFactory() for _ in range(5)]
    response = client.get(reverse("open_data:export", args=["messages", "csv"]))
    blocks = list(response.streaming_content)
    assert len(blocks) > 2
    rows = csv_rows(b"".join(blocks).decode())
    assert sorted(row["reference"] for row in rows) == sorted(
        message.reference for message in messages
    )


# --- Filters -----------------------------------------------------------------------


def test_period_boundaries_are_days_in_shanghai(client):
    just_after_midnight = MessageFactory(published_at=shanghai(2026, 3, 1, 0, 30))
    day_before = MessageFactory(published_at=shanghai(2026, 2, 28, 23, 59))
    last_minute = MessageFactory(published_at=shanghai(2026, 3, 31, 23, 59))
    next_month = MessageFactory(published_at=shanghai(2026, 4, 1, 0, 0))
    assert references(client, **{"from": "2026-03-01"}) == {
        just_after_midnight.reference,
        last_minute.reference,
        next_month.reference,
    }
    assert references(client, **{"from": "2026-03-01", "to": "2026-03-31"}) == {
        just_after_midnight.reference,
        last_minute.reference,
    }
    assert references(client, to="2026-02-28") == {day_before.reference}
    response, _text = download(
        client, "messages", "csv", **{"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert (
        "zhitong-messages-2026-03-01_2026-03-31.csv"
        in (response["Content-Disposition"])
    )


def test_replies_and_ratings_filter_by_their_own_day(client):
    message = RoutedMessageFactory(published_at=shanghai(2026, 1, 5, 9))
    reply = ReplyFactory(message=message, published_at=shanghai(2026, 3, 1, 0, 30))
    rating = rate(message, reply)
    Rating.objects.filter(pk=rating.pk).update(created_at=shanghai(2026, 3, 2, 8))
    march = {"from": "2026-03-01", "to": "2026-03-31"}
    assert references(client, "replies", **march) == {message.reference}
    assert references(client, "ratings", **march) == {message.reference}
    assert references(client, "replies", to="2026-02-28") == set()
    assert references(client, "ratings", **{"from": "2026-03-03"}) == set()


def test_region_includes_the_regions_below(client):
    province = RegionFactory(level=1)
    city = RegionFactory(parent=province, level=2)
    county = RegionFactory(parent=city, level=3)
    other = RegionFactory(level=1)
    in_city = MessageFactory(region=city)
    in_county = MessageFactory(region=county)
    MessageFactory(region=other)
    expected = {in_city.reference, in_county.reference}
    assert references(client, region=province.pk) == expected
    assert references(client, region=county.pk) == {in_county.reference}
    reply = ReplyFactory(message=RoutedMessageFactory(region=county))
    ReplyFactory(message=RoutedMessageFactory(region=other))
    assert references(client, "replies", region=city.pk) == {reply.message.reference}


def test_category_filter(client):
    roads = CategoryFactory(slug="roads", name="交通出行")
    schools = CategoryFactory(slug="schools", name="教育")
    on_roads = MessageFactory(category=roads)
    MessageFactory(category=schools)
    assert references(client, category=roads.pk) == {on_roads.reference}
    _response, text = download(client, "messages", "csv", category=roads.pk)
    assert csv_rows(text)[0]["category"] == "交通出行"


# --- Refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"from": "0001-01-01"}, "from"),
        ({"to": "9999-12-31"}, "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
        ({"region": "999999"}, "region"),
        ({"region": "abc"}, "region"),
        ({"region": "99999999999999999999999"}, "region"),
        ({"region": "-1"}, "region"),
        ({"category": "1.5"}, "category"),
        ({"category": "999999"}, "category"),
    ],
)
@pytest.mark.parametrize("dataset", DATASETS)
def test_bad_input_is_a_400_naming_the_field(client, dataset, query, field):
    response = client.get(reverse("open_data:export", args=[dataset, "csv"]), query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body[field]


def test_unknown_dataset_or_format_is_a_404(client):
    assert client.get("/open-data/authors.csv").status_code == 404
    assert client.get("/open-data/messages.xlsx").status_code == 404


def test_exports_are_rate_limited(client, settings):
    settings.ZHITONG_RATE_LIMITS_ENABLED = True
    settings.ZHITONG_RATE_LIMITS = {**settings.ZHITONG_RATE_LIMITS, "exports": "2/m"}

    cache.clear()
    url = reverse("open_data:export", args=["ratings", "jsonl"])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1


# --- The page ------------------------------------------------------------------------


def test_page_describes_the_datasets_and_links_the_exports(client):
    region = RegionFactory(name="江州市")
    response = client.get(reverse("open_data:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    for dataset in DATASETS:
        for format_name in FORMATS:
            assert f'formaction="/open-data/{dataset}.{format_name}"' in page
    for column in MESSAGE_HEADER:
        assert f"<code>{column}</code>" in page
    assert "CC BY 4.0" in page
    assert "creativecommons.org/licenses/by/4.0/" in page
    assert 'name="from"' in page and 'name="to"' in page
    assert f'<option value="{region.pk}">' in page
    assert "comment" in page


def test_page_in_chinese_by_default(client):
    response = client.get(reverse("open_data:index"))
    assert response.status_code == 200
    assert 'name="category"' in response.content.decode()


def test_under_asgi_the_file_is_streamed_asynchronously():
    """Django reads a synchronous iterator whole before sending it under
    ASGI; the export hands it over block by block instead."""

    message = MessageFactory()
    request = AsyncRequestFactory().get("/open-data/messages.csv")
    response = export(request, "messages", "csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response.is_async is True

    async def collect() -> bytes:
        return b"".join([part async for part in response.streaming_content])

    rows = csv_rows(async_to_sync(collect)().decode())
    assert [row["reference"] for row in rows] == [message.reference]


def test_pages_follow_time_then_id_through_ties(db):
    """Rows go out a page at a time after the last row of the page before;
    messages published at the same instant are neither lost nor repeated."""

    same = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    made = [MessageFactory(published_at=same).reference for _ in range(5)]
    made.append(MessageFactory(published_at=same.replace(hour=10)).reference)
    rows = public_messages(ExportFilters()).values_list("reference")
    assert [row[0] for row in in_pages(rows, "published_at", size=2)] == made
