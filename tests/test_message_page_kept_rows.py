"""The message page reads its region, category and addressee from the rows
each process keeps (board/filter_choices.py) rather than four joins, and
shows exactly what the joins showed (board.selectors.access_message,
``to_read``)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import filter_choices
from board.lifecycle import MessageStatus
from board.models import Region
from board.selectors import access_message
from tests.factories import (
    DepartmentFactory,
    HandlerUserFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    ReplyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def page(client, message) -> str:
    response = client.get(f"/messages/{message.pk}/")
    assert response.status_code == 200
    # The CSRF token differs between two answers; nothing else may.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)


@pytest.fixture
def messages():
    city = RegionFactory(name="临江市", name_en="Linjiang")
    county = RegionFactory(parent=city, name="南屏县", name_en="Nanping")
    department = DepartmentFactory(region=city, name="交通运输局", name_en="Transport")
    official = OfficialFactory(region=county, user=UserFactory(official=True))
    to_official = MessageFactory(region=county, addressee_official=official)
    ReplyFactory(message=to_official)
    to_department = MessageFactory(
        region=county, addressee_official=None, addressee_department=department
    )
    handler = HandlerUserFactory(department=department)
    return [(to_official, official.user), (to_department, handler)]


@pytest.mark.parametrize("reader", ["anonymous", "author", "addressee"])
def test_the_page_is_the_same_with_the_rows_kept(client, settings, messages, reader):
    for message, addressee in messages:
        if reader == "author":
            client.force_login(message.author)
        elif reader == "addressee":
            client.force_login(addressee)
        settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 0
        joined = page(client, message)
        settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 300
        cache.delete(filter_choices.VERSION_KEY)
        page(client, message)  # the rows are read once, then kept
        assert page(client, message) == joined
        client.logout()


def test_the_kept_rows_spare_the_joins(client, reference_data_kept, messages):
    message, _addressee = messages[1]
    page(client, message)
    with CaptureQueriesContext(connection) as queries:
        page(client, message)
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("board_region", "board_category", "board_department"):
        assert f'"{table}"' not in sql


def test_a_region_added_without_a_signal_is_read_with_the_joins(
    reference_data_kept, messages
):
    message, _addressee = messages[0]
    access_message(None, message.pk, to_read=True)  # the rows are kept now
    (added,) = Region.objects.bulk_create(
        [Region(name="新区", code="999001", level=Region.Level.COUNTY)]
    )
    message.region = added
    message.save(update_fields=["region"])

    shown = access_message(message.author, message.pk, to_read=True)

    assert shown.region.name == "新区"


def test_a_message_one_may_not_see_is_still_a_404(
    client, reference_data_kept, messages
):
    hidden = MessageFactory(status=MessageStatus.HIDDEN)
    assert client.get(f"/messages/{hidden.pk}/").status_code == 404
