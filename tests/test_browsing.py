"""Browsing the board (#14): each row shows its excerpt, addressee, region,
dates, status, rating and 同问 count, the author masked or 匿名; the board
says how many messages match and numbers its pages over the keyset; the
directory of officials and departments by region (省 → 市 → 县) and each
region's page, cached for anonymous readers and invalidated like the board."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import AuthorShownAs, Rating, Region
from board.selectors.messages import BOARD_PAGE_SIZE
from moderation.actions import message_hide
from tests.factories import (
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    ReplyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CACHE_HEADER = "X-Page-Cache"
LONG_BODY = "江州大道与人民路交叉口的公交站台顶棚损坏已有三个月，雨天无法候车。" * 8


def get(path: str, language: str = "zh-hans") -> str:
    response = Client(headers={"accept-language": language}).get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def places(db):
    province = RegionFactory(
        name="江南省", name_en="Jiangnan", level=Region.Level.PROVINCE
    )
    city = RegionFactory(
        name="江州市", name_en="Jiangzhou", parent=province, level=Region.Level.CITY
    )
    county = RegionFactory(
        name="清河县", name_en="Qinghe", parent=city, level=Region.Level.COUNTY
    )
    department = DepartmentFactory(name="交通局", name_en="Transport", region=city)
    mayor = OfficialFactory(
        name="李明", title="江州市市长", title_en="Mayor", region=city
    )
    county_head = OfficialFactory(
        name="赵强", title="清河县县长", title_en="County head", region=county
    )
    return {
        "province": province,
        "city": city,
        "county": county,
        "department": department,
        "mayor": mayor,
        "county_head": county_head,
    }


def rated_message(official, **fields):
    """A replied message with its final reply rated 满意."""
    message = MessageFactory(
        addressee_official=official,
        region=official.region,
        status=MessageStatus.REPLIED,
        final_reply_at=timezone.now() - timedelta(days=1),
        **fields,
    )
    reply = ReplyFactory(message=message, is_final=True)
    Rating.objects.create(
        message=message,
        reply=reply,
        attitude=5,
        speed=5,
        resolved=5,
        overall="satisfied",
    )
    return message


# --- The rows ---------------------------------------------------------------------


def test_a_row_shows_excerpt_dates_rating_support_and_the_masked_author(places):
    author = UserFactory(username="wangfang88", display_name="王芳", citizen=True)
    message = rated_message(
        places["mayor"], author=author, body=LONG_BODY, support_count=7
    )

    page = get("/")

    assert LONG_BODY[:60] in page
    assert LONG_BODY not in page  # truncated
    assert LONG_BODY[:125] not in page
    assert "王**" in page
    assert "王芳" not in page and "wangfang88" not in page
    assert "李明 · 江州市市长" in page
    assert "江州市" in page
    assert timezone.localtime(message.published_at).strftime("%Y-%m-%d %H:%M") in page
    reply_day = timezone.localtime(message.final_reply_at).strftime("%Y-%m-%d")
    assert (
        f'datetime="{timezone.localtime(message.final_reply_at).isoformat()}"' in page
    )
    assert reply_day in page
    assert 'class="badge satisfaction satisfaction-satisfied"' in page
    english = get("/", "en")
    # Named in words, not by colour alone.
    assert "Rated: Satisfied" in english
    assert "7 me too" in english
    assert "Written by 王**" in english
    assert "Final reply" in english


def test_an_anonymous_author_is_shown_as_anonymous_everywhere(places):
    author = UserFactory(username="qianlei", display_name="钱磊", citizen=True)
    message = MessageFactory(
        addressee_official=places["mayor"],
        region=places["city"],
        author=author,
        author_shown_as=AuthorShownAs.ANONYMOUS,
    )

    for path in ["/", f"/regions/{places['city'].pk}/", message.get_absolute_url()]:
        page = get(path, "en")
        assert "Written by" in page
        assert "Anonymous" in page
        assert "钱" not in page and "qianlei" not in page


def test_the_message_page_names_its_author_masked(places):
    author = UserFactory(username="liuyang", display_name="刘洋", citizen=True)
    message = MessageFactory(
        addressee_official=places["mayor"], region=places["city"], author=author
    )

    page = get(message.get_absolute_url(), "en")

    assert '<dd class="author">刘**</dd>' in page
    assert "刘洋" not in page and "liuyang" not in page


def test_a_redacted_message_shows_the_excerpt_of_its_public_text(places):
    MessageFactory(
        addressee_official=places["mayor"],
        region=places["city"],
        body="原文里有手机号13800000000",
        is_redacted=True,
        public_body="原文里有手机号***",
    )

    page = get("/")

    assert "原文里有手机号***" in page
    assert "13800000000" not in page


# --- The total and the pages ---------------------------------------------------


def test_the_board_counts_what_its_filters_match(places):
    for _ in range(3):
        MessageFactory(addressee_official=places["mayor"], region=places["city"])
    MessageFactory(addressee_official=places["county_head"], region=places["county"])
    MessageFactory(
        addressee_official=places["mayor"],
        region=places["city"],
        status=MessageStatus.PENDING,
    )

    assert "4 messages" in get("/", "en")
    assert "1 message" in get(f"/?region={places['county'].pk}", "en")
    # The city's board counts the county below it.
    assert "4 messages" in get(f"/?region={places['city'].pk}", "en")


def test_pages_are_numbered_and_each_link_carries_its_cursor(places):
    for _ in range(BOARD_PAGE_SIZE * 2 + 5):
        MessageFactory(addressee_official=places["mayor"], region=places["city"])

    first = get("/", "en")

    assert "45 messages · page 1 of 3" in first
    assert 'aria-current="page">1</span>' in first
    links = [
        part.split('"')[0]
        for part in first.split('href="?cursor=')[1:]
        if "page=" in part.split('"')[0]
    ]
    assert [link.rsplit("page=", 1)[1] for link in links[:2]] == ["2", "3"]
    third_cursor = links[1].split("&amp;")[0]

    third = get(f"/?cursor={third_cursor}&page=3", "en")

    assert "page 3 of 3" in third
    assert third.count('class="message-card"') == 5
    assert 'aria-current="page">3</span>' in third
    assert 'rel="next"' not in third


def test_a_forged_page_number_or_cursor_is_not_an_error(places):
    MessageFactory(addressee_official=places["mayor"], region=places["city"])

    assert "1 message" in get("/?cursor=bm9uc2Vuc2U&page=abc", "en")
    assert "1 message" in get("/?page=99999999999999999999999", "en")


# --- The directory -----------------------------------------------------------------


def test_the_directory_nests_provinces_cities_and_counties(places):
    retired = OfficialFactory(name="退休者", region=places["city"], is_active=False)

    page = get("/officials/")

    province, city, county = (
        page.index(name) for name in ("江南省", "江州市", "清河县")
    )
    assert province < city < county
    assert "李明" in page and "赵强" in page and "交通局" in page
    assert retired.name not in page
    assert f'href="/officials/{places["mayor"].pk}/"' in page
    assert f'href="/regions/{places["county"].pk}/"' in page
    assert f'href="/?department={places["department"].pk}"' in page
    # The county's official is listed under the county, after the city's.
    assert page.index("李明") < county < page.index("赵强")
    assert "Jiangnan" in get("/officials/", "en")


# --- A region's page ---------------------------------------------------------------


def test_a_region_page_lists_officials_latest_messages_and_figures(places):
    MessageFactory(
        title="清河县的公开留言",
        addressee_official=places["county_head"],
        region=places["county"],
    )
    MessageFactory(
        title="待审核的留言",
        addressee_official=places["mayor"],
        region=places["city"],
        status=MessageStatus.PENDING,
        published_at=None,
    )
    MessageFactory(
        title="已隐藏的留言",
        addressee_official=places["mayor"],
        region=places["city"],
        status=MessageStatus.HIDDEN,
    )
    MessageFactory(
        title="不公开的留言",
        addressee_official=places["mayor"],
        region=places["city"],
        is_public=False,
    )

    page = get(f"/regions/{places['city'].pk}/")

    assert "李明" in page and "交通局" in page
    assert "清河县" in page  # the region below
    assert "清河县的公开留言" in page  # messages of the regions below too
    for hidden in ("待审核的留言", "已隐藏的留言", "不公开的留言"):
        assert hidden not in page
    assert 'class="stats group-figures"' in page
    assert f"?by=region&amp;id={places['city'].pk}" in page
    # The way back up: the directory and the province.
    assert 'href="/officials/"' in page
    assert f'href="/regions/{places["province"].pk}/"' in page


def test_an_unknown_region_is_not_found(client):
    assert client.get("/regions/999999/").status_code == 404
    assert client.get("/regions/abc/").status_code == 404


# --- The page cache ----------------------------------------------------------------


def anonymous(path):
    return Client().get(path)


def test_the_directory_is_cached_until_an_official_changes(
    places, page_cache_on, django_capture_on_commit_callbacks
):
    assert anonymous("/officials/")[CACHE_HEADER] == "miss"
    assert anonymous("/officials/")[CACHE_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        OfficialFactory(name="新来的", region=places["county"])

    response = anonymous("/officials/")
    assert response[CACHE_HEADER] == "miss"
    assert "新来的" in response.content.decode()


def test_a_region_page_drops_a_message_once_it_is_hidden(
    places, moderator, page_cache_on, django_capture_on_commit_callbacks
):
    message = MessageFactory(
        title="将被隐藏", addressee_official=places["mayor"], region=places["city"]
    )
    path = f"/regions/{places['city'].pk}/"
    assert "将被隐藏" in anonymous(path).content.decode()
    assert anonymous(path)[CACHE_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        message_hide(message=message, actor=moderator, reason="abusive")

    response = anonymous(path)
    assert response[CACHE_HEADER] == "miss"
    assert "将被隐藏" not in response.content.decode()


def test_the_board_total_follows_a_new_message(
    places, moderator, page_cache_on, django_capture_on_commit_callbacks
):
    MessageFactory(addressee_official=places["mayor"], region=places["city"])
    assert "1 message" in get("/", "en")

    with django_capture_on_commit_callbacks(execute=True):
        message = MessageFactory(
            addressee_official=places["mayor"], region=places["city"]
        )
        message.save()

    assert "2 messages" in get("/", "en")


# --- Queries -----------------------------------------------------------------------


@pytest.mark.parametrize("path_of", ["region", "directory"])
def test_queries_do_not_grow_with_the_rows(places, path_of):
    def path():
        return {
            "region": f"/regions/{places['province'].pk}/",
            "directory": "/officials/",
        }[path_of]

    def add(number):
        MessageFactory(
            addressee_official=places["mayor"],
            region=places["county" if number % 2 else "city"],
            author=UserFactory(display_name=f"用户{number}"),
            support_count=number,
        )
        OfficialFactory(region=places["county"])
        DepartmentFactory(region=places["county"])

    client = Client()
    add(0)
    client.get(path())
    with CaptureQueriesContext(connection) as one:
        client.get(path())
    for number in range(1, 50):
        add(number)
    client.get(path())
    with CaptureQueriesContext(connection) as many:
        response = client.get(path())
    assert response.status_code == 200
    assert len(many) == len(one), [query["sql"] for query in many]
