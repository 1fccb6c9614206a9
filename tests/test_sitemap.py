"""Discoverability (#13): the sitemap (board/syndication/sitemaps.py) lists
public messages, officials, the board by region and the statistics pages;
pages carry descriptive titles, meta descriptions and, on a message page,
Open Graph tags of the message's public version."""

import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.syndication import sitemaps
from moderation.actions import message_approve
from tests.factories import MessageFactory, OfficialFactory, RegionFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SECRET = "SECRET"
NOT_PUBLIC = [
    {"status": MessageStatus.PENDING},
    {"status": MessageStatus.CHANGES_REQUESTED},
    {"status": MessageStatus.REJECTED},
    {"status": MessageStatus.WITHDRAWN},
    {"status": MessageStatus.HIDDEN},
    {"status": MessageStatus.REPLIED, "is_public": False},
]


def fetch(url: str) -> ET.Element:
    response = Client().get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    # The site's own output, not untrusted data.
    return ET.fromstring(response.content)  # noqa: S314


def locations(url: str) -> list[str]:
    """The <loc> of a sitemap or a sitemap index, in order."""
    return [element.text for element in fetch(url).iter(f"{SITEMAP}loc")]


# --- The sitemap ---


def test_the_index_names_one_sitemap_per_section():
    MessageFactory()

    assert locations("/sitemap.xml") == [
        "http://testserver/sitemap-messages.xml",
        "http://testserver/sitemap-officials.xml",
        "http://testserver/sitemap-regions.xml",
        "http://testserver/sitemap-stats.xml",
    ]


def test_the_messages_sitemap_lists_public_messages_with_their_last_change():
    public = MessageFactory()
    not_public = [MessageFactory(**fields) for fields in NOT_PUBLIC]

    root = fetch("/sitemap-messages.xml")
    listed = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }

    assert list(listed) == [f"http://testserver/messages/{public.pk}/"]
    # A date, in the site's time zone.
    assert listed[f"http://testserver/messages/{public.pk}/"] == (
        timezone.localdate(public.updated_at).isoformat()
    )
    for message in not_public:
        assert f"/messages/{message.pk}/" not in "".join(listed)


def test_the_index_dates_the_messages_by_their_latest_change():
    MessageFactory()
    latest = MessageFactory()

    [messages] = [
        sitemap
        for sitemap in fetch("/sitemap.xml").findall(f"{SITEMAP}sitemap")
        if sitemap.findtext(f"{SITEMAP}loc").endswith("-messages.xml")
    ]

    lastmod = datetime.fromisoformat(messages.findtext(f"{SITEMAP}lastmod"))
    assert lastmod == latest.updated_at


def test_a_long_messages_sitemap_is_split_into_pages_of_id_ranges(monkeypatch, client):
    monkeypatch.setattr(sitemaps.MessagesSitemap, "limit", 2)
    messages = [MessageFactory() for _ in range(5)]
    hidden = MessageFactory(status=MessageStatus.HIDDEN)
    # The highest public id ends the pages: the hidden one (the newest) is
    # not on the public board.
    assert hidden.pk > max(message.pk for message in messages)
    last_page = -(-max(message.pk for message in messages) // 2)

    pages = [loc for loc in locations("/sitemap.xml") if "/sitemap-messages.xml" in loc]

    assert pages[0] == "http://testserver/sitemap-messages.xml"
    assert pages[-1] == f"http://testserver/sitemap-messages.xml?p={last_page}"
    for message in messages:
        page = -(-message.pk // 2)
        listed = locations(f"/sitemap-messages.xml?p={page}")
        assert f"http://testserver/messages/{message.pk}/" in listed
        assert len(listed) <= 2
    for page in (str(last_page + 1), "0", "abc", "99999999999999999999999"):
        assert client.get(f"/sitemap-messages.xml?p={page}").status_code == 404


def test_an_unknown_section_is_404(client):
    assert client.get("/sitemap-authors.xml").status_code == 404


def test_the_officials_sitemap_lists_every_officials_page():
    officials = [OfficialFactory(), OfficialFactory(is_active=False)]

    assert locations("/sitemap-officials.xml") == [
        f"http://testserver/officials/{official.pk}/" for official in officials
    ]


def test_the_regions_sitemap_lists_the_board_and_the_board_by_region():
    province = RegionFactory(code="320000")
    city = RegionFactory(parent=province, code="320100")

    assert locations("/sitemap-regions.xml") == [
        "http://testserver/",
        f"http://testserver/?region={province.pk}",
        f"http://testserver/?region={city.pk}",
    ]


def test_the_stats_sitemap_lists_the_statistics_and_open_data_pages(client):
    listed = locations("/sitemap-stats.xml")

    assert listed == [
        "http://testserver/stats/",
        "http://testserver/stats/?by=region",
        "http://testserver/stats/?by=department",
        "http://testserver/stats/?by=official",
        "http://testserver/open-data/",
    ]
    for url in listed:
        assert client.get(url).status_code == 200


def test_a_messages_sitemap_page_reads_a_constant_few_queries(
    django_assert_max_num_queries,
):
    for _ in range(30):
        MessageFactory()
    # Every page's context asks whether reviews are late (kept a minute,
    # asked afresh in each test: tests/conftest.py): asked here, then kept.
    locations("/sitemap-messages.xml")

    # The highest id behind the page numbers, then the page.
    with django_assert_max_num_queries(2):
        assert len(locations("/sitemap-messages.xml")) == 30


# --- Titles, descriptions and Open Graph ---


class Head(HTMLParser):
    """The <title> and <meta> of a page: name or property -> content."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.meta = {}
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "title":
            self.in_title = True
        if tag == "meta" and "content" in attributes:
            key = attributes.get("property") or attributes.get("name")
            self.meta[key] = attributes["content"]

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def head(url: str, language: str = "zh-hans") -> tuple[Head, str]:
    response = Client(headers={"accept-language": language}).get(url)
    assert response.status_code == 200
    html = response.content.decode().split("</head>")[0]
    parser = Head()
    parser.feed(html)
    return parser, html


def test_a_message_page_has_open_graph_tags():
    message = MessageFactory(title="公交站台破损", body="站台顶棚漏雨 & 积水。")

    page, _ = head(message.get_absolute_url())

    assert page.title.startswith(f"公交站台破损 · {message.reference} · ")
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == "公交站台破损"
    assert page.meta["og:description"] == "站台顶棚漏雨 & 积水。"
    assert page.meta["description"] == "站台顶棚漏雨 & 积水。"
    assert page.meta["og:url"] == f"http://testserver/messages/{message.pk}/"
    assert page.meta["og:site_name"]
    assert page.meta["article:published_time"]


def test_a_long_message_is_described_by_its_beginning():
    message = MessageFactory(body="长" * 1000)

    page, _ = head(message.get_absolute_url())

    assert len(page.meta["description"]) <= 160
    assert page.meta["description"].startswith("长长长")


def test_open_graph_tags_of_a_redacted_message_show_its_public_version():
    message = MessageFactory(
        title=f"{SECRET} 张三",
        body=f"{SECRET} 电话 13800000000",
        is_redacted=True,
        public_title="路灯不亮（已处理）",
        public_body="电话 ***********",
        public_body_html="<p>电话 ***********</p>",
    )

    page, html = head(message.get_absolute_url())

    assert page.meta["og:title"] == "路灯不亮（已处理）"
    assert page.meta["og:description"] == "电话 ***********"
    assert SECRET not in html and "13800000000" not in html


def test_the_author_shares_the_public_version_too(citizen):
    message = MessageFactory(
        author=citizen,
        title=f"{SECRET} 张三",
        body=f"{SECRET} 电话",
        is_redacted=True,
        public_title="路灯不亮（已处理）",
        public_body="电话 ***",
        public_body_html="<p>电话 ***</p>",
    )
    client = Client()
    client.force_login(citizen)

    html = client.get(message.get_absolute_url()).content.decode()
    parser = Head()
    parser.feed(html.split("</head>")[0])

    assert parser.meta["og:title"] == "路灯不亮（已处理）"
    assert SECRET not in parser.meta["og:description"]
    assert SECRET not in parser.meta["description"]


def test_the_board_has_a_description():
    page, _ = head("/")

    assert page.meta["description"]


def test_an_officials_page_is_titled_and_described_by_the_official():
    official = OfficialFactory(name="李明", title="市长", title_en="Mayor")

    page, _ = head(official.get_absolute_url(), "en")

    assert page.title.startswith("李明 · Mayor · ")
    assert "李明" in page.meta["description"]
    assert "Mayor" in page.meta["description"]


def test_a_stored_sitemap_lists_a_message_published_since(
    page_cache_on, django_capture_on_commit_callbacks, moderator
):
    pending = MessageFactory(status=MessageStatus.PENDING)
    assert locations("/sitemap-messages.xml") == []
    assert Client().get("/sitemap-messages.xml")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        message_approve(message=pending, actor=moderator)

    assert locations("/sitemap-messages.xml") == [
        f"http://testserver/messages/{pending.pk}/"
    ]
