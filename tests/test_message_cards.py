"""Message cards (board/selectors/cards.py): each card names its region,
category and addressee in the reader's language without joining those
tables, and an administrator's edit of a name shows on the next list."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Message
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def caches_on(settings):
    settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def board(language="zh-hans") -> str:
    return Client(headers={"accept-language": language}).get("/").content.decode()


def test_a_card_names_region_category_and_official_in_the_readers_language():
    region = RegionFactory(name="江州市", name_en="Jiangzhou")
    official = OfficialFactory(
        name="李明", title="市长", title_en="Mayor", region=region
    )
    category = CategoryFactory(slug="traffic", name="交通出行", name_en="Traffic")
    message = MessageFactory(
        region=region, addressee_official=official, category=category
    )

    chinese, english = board(), board("en")

    assert "江州市" in chinese and "交通出行" in chinese and "李明 · 市长" in chinese
    assert "Jiangzhou" in english and "Traffic" in english
    assert "李明 · Mayor" in english
    assert f'href="/officials/{official.pk}/"' in chinese
    assert f'href="/messages/{message.pk}/"' in chinese
    shown = timezone.localtime(message.published_at)
    assert f'datetime="{shown.isoformat()}"' in chinese
    assert shown.strftime("%Y-%m-%d %H:%M") in chinese


def test_a_card_to_a_department_names_it_with_its_region():
    region = RegionFactory(name="江州市", name_en="Jiangzhou")
    department = DepartmentFactory(name="交通局", name_en="Transport", region=region)
    MessageFactory(addressee_official=None, addressee_department=department)

    assert "江州市 交通局" in board()
    assert "Jiangzhou Transport" in board("en")


def test_names_are_read_once_per_edit(
    caches_on, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    official = OfficialFactory(name="李明")
    MessageFactory(addressee_official=official)
    board()  # reads the names once for this process and version

    # The page's keys, its rows, and the board's total (cached per filters
    # and version).
    with django_assert_max_num_queries(3) as captured:
        page = board()
    assert "李明" in page
    assert not any("board_official" in query["sql"] for query in captured)

    with django_capture_on_commit_callbacks(execute=True):
        official.name = "王芳"
        official.save()

    page = board()
    assert "王芳" in page and "李明" not in page


def test_a_kept_card_shows_its_message_as_it_is_now(settings, client, citizen):
    # Cards are kept rendered under a hash of what they show: a message that
    # changes gets a new card at once, with nothing to invalidate.
    settings.ZHITONG_PAGE_CACHE_SECONDS = 60
    cache.clear()
    message = MessageFactory(author=citizen, title="路灯不亮", support_count=2)
    client.force_login(citizen)
    first = client.get("/me/messages/").content.decode()

    Message.objects.filter(pk=message.pk).update(
        title="路灯又不亮了", status=MessageStatus.REPLIED, support_count=7
    )
    again = client.get("/me/messages/").content.decode()
    cache.clear()

    def support_badge(page):
        return page.split('class="support-badge">', 1)[1].split("<", 1)[0]

    assert ">路灯不亮<" in first and support_badge(first).startswith("2")
    assert ">路灯又不亮了<" in again and ">路灯不亮<" not in again
    assert "status-replied" in again and "status-replied" not in first
    assert support_badge(again).startswith("7")


def test_my_messages_reads_only_what_its_cards_show(client, citizen):
    """The texts, the phone number and the dozen timestamps no card shows
    stay unread: building twenty rows of every column cost My messages a
    tenth of its time (docs/benchmarks.md)."""
    titles = [f"第{number}盏路灯不亮" for number in range(3)]
    for title in titles:
        MessageFactory(author=citizen, title=title, body="路灯不亮。" * 200)
    client.force_login(citizen)

    with CaptureQueriesContext(connection) as captured:
        page = client.get("/me/messages/")

    assert page.status_code == 200
    assert all(title in page.content.decode() for title in titles)
    reads = [q["sql"] for q in captured if 'FROM "board_message"' in q["sql"]]
    assert reads
    for sql in reads:
        for column in ("body", "body_html", "contact_phone", "routed_at"):
            assert f'"board_message"."{column}"' not in sql, column
