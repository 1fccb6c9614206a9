"""GET /moderation/queue/rows/: what the open queue page re-reads after a
queue event — counts, and each asked item's row, or where it went."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from board.lifecycle import MessageStatus
from moderation.actions import queue_item_claim
from moderation.views.common import QUEUE_PAGE_SIZE
from tests.factories import MessageFactory, PendingMessageFactory, RegionFactory

pytestmark = pytest.mark.django_db

URL = reverse("moderation:queue_rows")


def pending(minutes_ago=0, **kwargs):
    return PendingMessageFactory(
        submitted_for_review_at=timezone.now() - timedelta(minutes=minutes_ago),
        **kwargs,
    )


def rows(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_a_row_on_the_page_comes_rendered_with_its_claim(client, moderator, moderator2):
    message = pending(title="路灯<不亮>")
    queue_item_claim(message=message, actor=moderator2)

    response = rows(client, moderator, message=message.pk)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    item = response.json()["items"][str(message.pk)]
    assert item["place"] == "page"
    assert f'data-message-id="{message.pk}"' in item["html"]
    assert 'class="queue-item is-claimed"' in item["html"]
    assert moderator2.username in item["html"]
    # Rendered by the row template, escaped there.
    assert "路灯&lt;不亮&gt;" in item["html"]
    assert "<不亮>" not in item["html"]


def test_a_decided_item_has_no_place_and_counts_follow(client, moderator):
    staying = pending(minutes_ago=10)
    decided = pending(minutes_ago=5)
    decided.status = MessageStatus.PUBLISHED
    decided.save()

    data = rows(client, moderator, message=[staying.pk, decided.pk]).json()

    assert data["items"][str(decided.pk)] == {"place": "", "html": ""}
    assert data["items"][str(staying.pk)]["place"] == "page"
    assert data["counts"]["pending"] == 1
    assert data["count_text"] == "1 条"


def test_an_item_is_placed_by_the_pages_tab_and_filters(client, moderator):
    city = RegionFactory(name="江州市")
    elsewhere = pending(minutes_ago=3)
    here = pending(minutes_ago=1, region=city)
    published = MessageFactory(status=MessageStatus.PUBLISHED)

    data = rows(
        client,
        moderator,
        queue="pending",
        region=city.pk,
        message=[elsewhere.pk, here.pk, published.pk],
    ).json()

    assert data["items"][str(here.pk)]["place"] == "page"
    assert data["items"][str(elsewhere.pk)]["place"] == ""
    assert data["items"][str(published.pk)]["place"] == ""
    assert data["count_text"] == "1 条"  # the filtered list's count
    assert data["counts"]["pending"] == 2  # the tab's own, unfiltered

    rejected_tab = rows(client, moderator, queue="rejected", message=here.pk).json()
    assert rejected_tab["items"][str(here.pk)]["place"] == ""


def test_an_item_sorted_onto_another_page_is_in_the_list_but_not_rendered(
    client, moderator
):
    for minutes in range(QUEUE_PAGE_SIZE):
        pending(minutes_ago=100 + minutes)
    newest = pending(minutes_ago=0)  # oldest first: the second page

    first_page = rows(client, moderator, message=newest.pk).json()
    second_page = rows(client, moderator, page=2, message=newest.pk).json()

    assert first_page["items"][str(newest.pk)] == {"place": "list", "html": ""}
    assert second_page["items"][str(newest.pk)]["place"] == "page"


def test_the_count_text_is_in_the_readers_language(client, moderator):
    pending()
    pending()
    client.force_login(moderator)

    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert english["count_text"] == "2 items"


@pytest.mark.parametrize("value", ["abc", "1.5", "", "0", "-3", str(2**64)])
def test_bad_ids_are_a_400(client, moderator, value):
    assert rows(client, moderator, message=value).status_code == 400


def test_too_many_ids_are_a_400(client, moderator):
    assert rows(client, moderator, message=list(range(1, 200))).status_code == 400


def test_only_moderators_may_ask(client, citizen):
    message = pending()
    client.force_login(citizen)
    assert client.get(URL, {"message": message.pk}).status_code == 404
    client.logout()
    response = client.get(URL, {"message": message.pk})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_post_is_refused(client, moderator):
    client.force_login(moderator)
    assert client.post(URL).status_code == 405


def test_the_queue_page_carries_what_the_live_script_reads(client, moderator):
    message = pending()
    client.force_login(moderator)

    html = client.get(reverse("moderation:queue")).content.decode()

    assert f'data-queue-live="{URL}"' in html
    assert f'data-message-id="{message.pk}"' in html
    assert f'data-reference="{message.reference}"' in html
    assert 'role="status"' in html
    assert "data-queue-notice hidden" in html
