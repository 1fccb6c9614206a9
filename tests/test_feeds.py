"""Feeds (board/syndication/feeds.py): every feed is valid RSS 2.0 or Atom,
lists the newest public messages or replies of what it is about, and never
prints what the public may not read; each page links its feeds."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import ReplyStatus
from board.page_cache import CACHE_HEADER
from board.syndication.feeds import FEED_SIZE
from moderation.actions import message_approve, message_redact, reply_hide
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    ReplyFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SECRET = "SECRET"
# Messages the public may not read: each carries SECRET in its title and body.
NOT_PUBLIC = [
    {"status": MessageStatus.PENDING},
    {"status": MessageStatus.CHANGES_REQUESTED},
    {"status": MessageStatus.REJECTED},
    {"status": MessageStatus.WITHDRAWN},
    {"status": MessageStatus.HIDDEN},
    {"status": MessageStatus.REPLIED, "is_public": False},
]


class Board:
    """A department in a city of a province: an official of it, a category,
    and messages and replies of every kind the feeds must sort out."""

    def __init__(self):
        self.province = RegionFactory(name="江南省", name_en="Jiangnan")
        self.city = RegionFactory(parent=self.province, name="江州市")
        self.department = DepartmentFactory(region=self.city, name="交通局")
        self.official = OfficialFactory(
            name="李明", region=self.city, department=self.department
        )
        self.category = CategoryFactory(slug="traffic", name="交通出行")
        self.public = self.message(title="公交站台破损", body="站台顶棚漏雨。")
        self.to_department = self.message(
            title="红绿灯太短",
            body="行人来不及过马路。",
            addressee_official=None,
            addressee_department=self.department,
        )
        self.hidden_ones = [
            self.message(
                title=f"{SECRET} title {index}",
                body=f"{SECRET} body {index}",
                **fields,
            )
            for index, fields in enumerate(NOT_PUBLIC)
        ]
        self.redacted = self.message(
            title=f"{SECRET} 张三 13800000000",
            body=f"{SECRET} 我的电话 13800000000",
            is_redacted=True,
            public_title="路灯不亮（已处理）",
            public_body="我的电话 ***********",
            public_body_html="<p>我的电话 ***********</p>",
        )
        self.reply = ReplyFactory(
            message=self.public, office="江州市交通局", body="已安排维修。"
        )
        self.redacted_reply = ReplyFactory(
            message=self.to_department,
            body=f"{SECRET} 联系人王五",
            is_redacted=True,
            public_body_html="<p>联系人 ***</p>",
        )
        ReplyFactory(message=self.public, status=ReplyStatus.DRAFT, body=SECRET)
        ReplyFactory(message=self.public, status=ReplyStatus.HIDDEN, body=SECRET)
        for message in self.hidden_ones:
            ReplyFactory(message=message, body=f"{SECRET} reply")

    def message(self, **fields):
        fields.setdefault("addressee_official", self.official)
        return MessageFactory(region=self.city, category=self.category, **fields)

    def feed_urls(self) -> list[str]:
        paths = ["messages", "replies"] + [
            f"{kind}/{pk}"
            for kind, pk in [
                ("officials", self.official.pk),
                ("departments", self.department.pk),
                ("regions", self.province.pk),
                ("categories", self.category.pk),
            ]
        ]
        return [f"/feeds/{path}/{format}/" for path in paths for format in FORMATS]


FORMATS = ("rss", "atom")


@pytest.fixture
def board():
    return Board()


def fetch(url: str, language: str = "zh-hans") -> ET.Element:
    response = Client(headers={"accept-language": language}).get(url)
    assert response.status_code == 200, url
    # The site's own output, not untrusted data.
    return ET.fromstring(response.content)  # noqa: S314


def items(url: str, language: str = "zh-hans") -> list[dict]:
    """Each item's title, link, id and description, in the feed's order."""
    root = fetch(url, language)
    if url.endswith("/rss/"):
        return [
            {
                "title": item.findtext("title"),
                "link": item.findtext("link"),
                "id": item.findtext("guid"),
                "description": item.findtext("description"),
                "date": parsedate_to_datetime(item.findtext("pubDate")),
            }
            for item in root.find("channel").findall("item")
        ]
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "description": entry.findtext(f"{ATOM}summary"),
            "date": entry.findtext(f"{ATOM}published"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


# --- Validity ---


def test_every_feed_parses_with_the_required_elements(board):
    for url in board.feed_urls():
        root = fetch(url)
        if url.endswith("/rss/"):
            assert root.tag == "rss" and root.get("version") == "2.0"
            channel = root.find("channel")
            for name in ("title", "link", "description"):
                assert channel.findtext(name), (url, name)
            entries = channel.findall("item")
            assert entries, url
            for item in entries:
                for name in ("title", "link", "guid", "pubDate", "description"):
                    assert item.findtext(name), (url, name)
                assert item.findtext("link").startswith("http://testserver/")
                parsedate_to_datetime(item.findtext("pubDate"))
        else:
            assert root.tag == f"{ATOM}feed"
            for name in ("title", "id", "updated"):
                assert root.findtext(f"{ATOM}{name}"), (url, name)
            assert root.find(f"{ATOM}author/{ATOM}name").text
            entries = root.findall(f"{ATOM}entry")
            assert entries, url
            for entry in entries:
                for name in ("id", "title", "updated", "summary"):
                    assert entry.findtext(f"{ATOM}{name}"), (url, name)
                href = entry.find(f"{ATOM}link").get("href")
                assert href.startswith("http://testserver/")


def test_an_atom_feed_id_is_its_own_address(board):
    ids = {fetch(url).findtext(f"{ATOM}id") for url in board.feed_urls()[1::2]}

    assert "http://testserver/feeds/messages/atom/" in ids
    assert len(ids) == len(board.feed_urls()) // 2


# --- What a feed never prints ---


def test_no_feed_prints_a_text_the_public_may_not_read(board):
    for url in board.feed_urls():
        content = Client().get(url).content.decode()
        assert SECRET not in content, url
        assert "13800000000" not in content, url
        assert "王五" not in content, url


@pytest.mark.parametrize("format", FORMATS)
def test_the_messages_feed_lists_only_public_messages(board, format):
    links = [item["link"] for item in items(f"/feeds/messages/{format}/")]

    public = [board.public, board.to_department, board.redacted]
    assert sorted(links) == sorted(
        f"http://testserver{message.get_absolute_url()}" for message in public
    )


@pytest.mark.parametrize("format", FORMATS)
def test_a_redacted_message_shows_its_public_version(board, format):
    url = f"http://testserver{board.redacted.get_absolute_url()}"
    [item] = [
        item for item in items(f"/feeds/messages/{format}/") if item["link"] == url
    ]

    assert item["title"] == "路灯不亮（已处理）"
    assert item["description"] == "我的电话 ***********"


@pytest.mark.parametrize("format", FORMATS)
def test_the_replies_feed_lists_published_replies_of_public_messages(board, format):
    listed = items(f"/feeds/replies/{format}/", "en")

    assert [item["link"] for item in listed] == [
        f"http://testserver/messages/{reply.message_id}/#reply-{reply.pk}"
        for reply in (board.redacted_reply, board.reply)
    ]
    redacted, reply = listed
    assert redacted["description"] == "联系人 ***"
    assert reply["title"] == "江州市交通局 replied: 公交站台破损"
    assert reply["description"] == "已安排维修。"


def test_a_reply_names_the_redacted_title_of_its_message(board):
    ReplyFactory(message=board.redacted, office="市公安局")

    titles = [item["title"] for item in items("/feeds/replies/atom/")]

    assert any("路灯不亮（已处理）" in title for title in titles)
    assert not any(SECRET in title for title in titles)


def test_a_message_hidden_after_its_reply_takes_the_reply_out(board):
    board.public.status = MessageStatus.HIDDEN
    board.public.save(update_fields=["status"])

    links = [item["link"] for item in items("/feeds/replies/rss/")]

    assert all(f"/messages/{board.public.pk}/" not in link for link in links)


# --- Order, size and titles ---


@pytest.mark.parametrize("format", FORMATS)
def test_a_feed_lists_the_newest_twenty_newest_first(format):
    now = timezone.now()
    messages = [
        MessageFactory(published_at=now - timedelta(hours=hours))
        for hours in range(FEED_SIZE + 5)
    ]

    links = [item["link"] for item in items(f"/feeds/messages/{format}/")]

    assert links == [
        f"http://testserver{message.get_absolute_url()}"
        for message in messages[:FEED_SIZE]
    ]


def test_rss_dates_and_escaping_follow_the_formats():
    message = MessageFactory(title="A & B <b>", body="x < y & z")

    [rss] = items("/feeds/messages/rss/")
    [atom] = items("/feeds/messages/atom/")

    # RSS readers read a title as HTML (Django #6533); Atom's is plain text.
    assert rss["title"] == "A &amp; B &lt;b&gt;"
    assert atom["title"] == "A & B <b>"
    # A description is HTML in both: the text escaped once.
    assert rss["description"] == atom["description"] == "x &lt; y &amp; z"
    assert rss["date"] == message.published_at.replace(microsecond=0)


def test_a_long_text_is_cut_to_an_excerpt():
    MessageFactory(body="长" * 1000, body_html="<p>" + "长" * 1000 + "</p>")

    [item] = items("/feeds/messages/rss/")

    assert 250 < len(item["description"]) <= 300
    assert item["description"].startswith("长长长")


def test_feed_titles_say_what_they_are_in_the_readers_language(board):
    english = {
        url: fetch(url, "en").find("channel").findtext("title")
        for url in board.feed_urls()[::2]
    }

    assert english == {
        "/feeds/messages/rss/": "Zhitong · newest messages",
        "/feeds/replies/rss/": "Zhitong · newest replies",
        f"/feeds/officials/{board.official.pk}/rss/": "Zhitong · messages to 李明",
        f"/feeds/departments/{board.department.pk}/rss/": (
            f"Zhitong · messages handled by {board.city.name_en} "
            f"{board.department.name_en}"
        ),
        f"/feeds/regions/{board.province.pk}/rss/": "Zhitong · messages in Jiangnan",
        f"/feeds/categories/{board.category.pk}/rss/": (
            f"Zhitong · messages about {board.category.name_en}"
        ),
    }


def test_the_feed_link_is_the_page_it_follows(board):
    def link(url):
        return fetch(url).find("channel").findtext("link")

    assert link("/feeds/messages/rss/") == "http://testserver/"
    assert link(f"/feeds/officials/{board.official.pk}/rss/") == (
        f"http://testserver/officials/{board.official.pk}/"
    )
    assert link(f"/feeds/regions/{board.province.pk}/rss/") == (
        f"http://testserver/?region={board.province.pk}"
    )


# --- What each feed is about ---


def test_a_department_feed_has_messages_to_it_and_to_its_officials(board):
    elsewhere = MessageFactory(category=board.category)
    url = f"/feeds/departments/{board.department.pk}/atom/"

    links = {item["link"] for item in items(url)}

    assert f"http://testserver{board.public.get_absolute_url()}" in links
    assert f"http://testserver{board.to_department.get_absolute_url()}" in links
    assert f"http://testserver{elsewhere.get_absolute_url()}" not in links


def test_an_official_feed_has_only_messages_to_that_official(board):
    colleague = OfficialFactory(region=board.city, department=board.department)
    to_colleague = MessageFactory(addressee_official=colleague)

    links = {
        item["link"] for item in items(f"/feeds/officials/{board.official.pk}/rss/")
    }

    assert f"http://testserver{board.public.get_absolute_url()}" in links
    assert f"http://testserver{board.to_department.get_absolute_url()}" not in links
    assert f"http://testserver{to_colleague.get_absolute_url()}" not in links


def test_a_region_feed_includes_the_regions_below_it(board):
    county = RegionFactory(parent=board.city)
    in_county = MessageFactory(region=county)
    elsewhere = MessageFactory(region=RegionFactory())

    province = {
        item["link"] for item in items(f"/feeds/regions/{board.province.pk}/rss/")
    }
    county_only = {item["link"] for item in items(f"/feeds/regions/{county.pk}/rss/")}

    assert f"http://testserver{in_county.get_absolute_url()}" in province
    assert f"http://testserver{board.public.get_absolute_url()}" in province
    assert f"http://testserver{elsewhere.get_absolute_url()}" not in province
    assert county_only == {f"http://testserver{in_county.get_absolute_url()}"}


def test_a_category_feed_has_only_that_category(board):
    other = MessageFactory(category=CategoryFactory(slug="education"))

    links = {
        item["link"] for item in items(f"/feeds/categories/{board.category.pk}/rss/")
    }

    assert f"http://testserver{board.public.get_absolute_url()}" in links
    assert f"http://testserver{other.get_absolute_url()}" not in links


@pytest.mark.parametrize("kind", ["officials", "departments", "regions", "categories"])
@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("pk", ["999999", "99999999999999999999", "0", "abc"])
def test_a_feed_of_no_such_thing_is_404(client, kind, format, pk):
    assert client.get(f"/feeds/{kind}/{pk}/{format}/").status_code == 404


@pytest.mark.parametrize("format", FORMATS)
def test_an_empty_feed_is_still_valid(client, format):
    region = RegionFactory()
    root = fetch(f"/feeds/regions/{region.pk}/{format}/")

    if format == "rss":
        assert root.find("channel").findtext("title")
        assert root.find("channel").findall("item") == []
    else:
        assert root.findtext(f"{ATOM}updated")
        assert root.findall(f"{ATOM}entry") == []


# --- Cost ---


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/feeds/messages/rss/", 1),
        ("/feeds/replies/atom/", 1),
        # The official, then its messages.
        ("/feeds/officials/{official}/rss/", 2),
        # The region, the regions below it (one query per level), the list.
        ("/feeds/regions/{province}/atom/", 5),
    ],
)
def test_a_feed_of_twenty_reads_a_constant_few_queries(
    board, django_assert_max_num_queries, url, queries
):
    for _ in range(FEED_SIZE):
        message = board.message()
        ReplyFactory(message=message)
    url = url.format(official=board.official.pk, province=board.province.pk)

    # Sessions and the like are not read for an anonymous feed reader.
    with django_assert_max_num_queries(queries):
        assert len(items(url)) == FEED_SIZE


# --- Where pages link their feeds ---


class AlternateLinks(HTMLParser):
    """The <link rel="alternate"> of a page's head: href -> type."""

    def __init__(self):
        super().__init__()
        self.links = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "alternate":
            self.links[attributes["href"]] = attributes["type"]


def alternates(url: str) -> dict[str, str]:
    response = Client().get(url)
    assert response.status_code == 200
    parser = AlternateLinks()
    parser.feed(response.content.decode().split("</head>")[0])
    return parser.links


def test_the_board_links_the_newest_messages_and_replies(board):
    assert alternates("/") == {
        "/feeds/messages/rss/": "application/rss+xml",
        "/feeds/messages/atom/": "application/atom+xml",
        "/feeds/replies/rss/": "application/rss+xml",
        "/feeds/replies/atom/": "application/atom+xml",
    }


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("region", "regions"),
        ("department", "departments"),
        ("official", "officials"),
        ("category", "categories"),
    ],
)
def test_a_filtered_board_links_the_filters_feed(board, field, kind):
    pk = {
        "region": board.province.pk,
        "department": board.department.pk,
        "official": board.official.pk,
        "category": board.category.pk,
    }[field]

    links = alternates(f"/?{field}={pk}")

    assert links[f"/feeds/{kind}/{pk}/rss/"] == "application/rss+xml"
    assert links[f"/feeds/{kind}/{pk}/atom/"] == "application/atom+xml"
    for href in links:
        assert Client().get(href).status_code == 200


@pytest.mark.parametrize("value", ["abc", "-1", "1;2", "99999999999999999999999"])
def test_a_filter_that_is_no_id_links_no_feed_of_it(board, value):
    links = alternates(f"/?region={value}")

    assert not any("/regions/" in href for href in links)
    assert "/feeds/messages/rss/" in links


def test_an_officials_page_links_its_feed(board):
    links = alternates(board.official.get_absolute_url())

    assert links == {
        f"/feeds/officials/{board.official.pk}/rss/": "application/rss+xml",
        f"/feeds/officials/{board.official.pk}/atom/": "application/atom+xml",
    }


def test_a_message_page_links_its_addressees_feed_and_the_replies(board):
    to_official = alternates(board.public.get_absolute_url())
    to_department = alternates(board.to_department.get_absolute_url())

    assert f"/feeds/officials/{board.official.pk}/rss/" in to_official
    assert f"/feeds/officials/{board.official.pk}/atom/" in to_official
    assert f"/feeds/departments/{board.department.pk}/rss/" in to_department
    assert f"/feeds/departments/{board.department.pk}/atom/" in to_department
    for links in (to_official, to_department):
        assert links["/feeds/replies/rss/"] == "application/rss+xml"
        assert links["/feeds/replies/atom/"] == "application/atom+xml"


# --- The page cache ---


def test_the_second_reader_of_a_feed_gets_the_stored_copy(page_cache_on, board):
    first = Client().get("/feeds/messages/atom/")
    second = Client().get("/feeds/messages/atom/")

    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"].startswith("application/atom+xml")


def test_a_stored_feed_follows_what_moderators_do(
    page_cache_on, commit, board, moderator
):
    pending = MessageFactory(title="新的留言", status=MessageStatus.PENDING)
    assert "新的留言" not in Client().get("/feeds/messages/rss/").content.decode()
    assert "已安排维修" in Client().get("/feeds/replies/rss/").content.decode()

    with commit():
        message_approve(message=pending, actor=moderator)
        message_redact(message=board.public, actor=moderator, title="站台（已处理）")
        reply_hide(reply=board.reply, actor=moderator, reason="abusive")

    messages = Client().get("/feeds/messages/rss/").content.decode()
    replies = Client().get("/feeds/replies/rss/").content.decode()
    assert "新的留言" in messages
    assert "站台（已处理）" in messages and "公交站台破损" not in messages
    assert "已安排维修" not in replies
