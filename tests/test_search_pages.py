"""Search where people use it: the board and the header's box, the API's
``q`` with ``highlight``, similar messages while composing (with JavaScript
off too) and on a moderation item, with a duplicate marked in one click."""

import pytest

from board.lifecycle import MessageStatus
from board.models import MessageFollow
from board.selectors import RANKED_MAX_PAGES
from tests.factories import (
    CategoryFactory,
    PendingMessageFactory,
    RegionFactory,
    RoutedMessageFactory,
)

LIST_URL = "/api/v1/messages/"
SIMILAR_URL = "/api/v1/messages/similar/"


def card_titles(response) -> list[str]:
    html = response.content.decode()
    return [
        chunk.split("</a>")[0].split(">", 1)[1]
        for chunk in html.split('class="message-card-title"><a href=')[1:]
    ]


# --- The board ---------------------------------------------------------------


def test_board_search_finds_a_word_inside_a_chinese_phrase(client, post):
    post(title="小区停车难问题", body="晚上车位不够。")
    post(title="路灯不亮", body="路灯坏了三天。")

    response = client.get("/", {"q": "停车难"})

    assert response.status_code == 200
    assert card_titles(response) == ["小区<mark>停车难</mark>问题"]
    assert "Messages matching" in response.content.decode() or (
        "停车难" in response.content.decode()
    )


def test_board_search_shows_an_escaped_snippet_with_marks(client, post):
    post(title="补贴", body="财政补贴标准 <script>alert(1)</script> 何时公布")

    html = client.get("/", {"q": "补贴"}).content.decode()

    assert '<p class="search-snippet">财政<mark>补贴</mark>标准 &lt;script&gt;' in html
    assert "<script>alert(1)</script>" not in html


def test_board_search_combines_with_filters(client, post):
    category = CategoryFactory(slug="parking")
    wanted = post(title="停车收费", category=category)
    post(title="停车收费过高")  # another category

    response = client.get("/", {"q": "停车", "category": category.pk})

    assert [m.pk for m in response.context["page"].items] == [wanted.pk]


def test_board_search_can_be_ordered_newest_first(client, post):
    older = post(title="停车 停车 停车", body="停车")
    newer = post(title="说说停车", body="")

    by_relevance = client.get("/", {"q": "停车"}).context["page"].items
    newest = client.get("/", {"q": "停车", "sort": "newest"}).context["page"].items

    assert [m.pk for m in by_relevance] == [older.pk, newer.pk]
    assert [m.pk for m in newest] == [newer.pk, older.pk]


def test_an_empty_search_says_so_and_offers_to_drop_the_filters(client, post):
    region = RegionFactory()
    post(title="停车难")

    html = client.get("/", {"q": "停车难", "region": region.pk}).content.decode()

    assert 'class="empty" role="status"' in html
    assert f'href="?q={"%E5%81%9C%E8%BD%A6%E9%9A%BE"}"' in html  # without filters


def test_ranked_results_page_by_number_and_stop_at_the_last_page(client, post):
    for number in range(25):
        post(title=f"停车 {number}")

    first = client.get("/", {"q": "停车"})
    second = client.get("/", {"q": "停车", "page": "2"})
    nonsense = client.get("/", {"q": "停车", "page": "nonsense"})
    far = client.get("/", {"q": "停车", "page": str(RANKED_MAX_PAGES + 10)})

    assert len(first.context["page"].items) == 20
    assert 'rel="next" href="?q=%E5%81%9C%E8%BD%A6&amp;page=2"' in (
        first.content.decode()
    )
    assert len(second.context["page"].items) == 5
    assert not second.context["page"].has_next
    assert nonsense.context["page"].number == 1
    assert far.status_code == 200 and far.context["page"].items == []
    last = client.get("/", {"q": "停车", "page": str(RANKED_MAX_PAGES)})
    assert last.context["page"].items == []  # 25 matches fill two pages


def test_a_too_long_search_is_a_form_error_not_a_500(client, post):
    response = client.get("/", {"q": "停" * 500})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errors" role="alert"' in html
    assert "200" in html.split('class="errors" role="alert"')[1].split("</div>")[0]


def test_every_page_has_a_search_box_in_the_header(client, db):
    html = client.get("/", {"q": "x"}).content.decode()

    assert '<form class="header-search" role="search" action="/"' in html
    assert 'name="q"' in html


def test_hidden_and_pending_messages_stay_out_of_board_search(client, post):
    post(title="停车难 一")
    post(factory=PendingMessageFactory, title="停车难 二")
    post(title="停车难 三", status=MessageStatus.HIDDEN)
    post(title="停车难 四", is_public=False)

    assert len(client.get("/", {"q": "停车难"}).context["page"].items) == 1


# --- The API -----------------------------------------------------------------


def test_api_search_results_carry_an_escaped_highlight(api_client, post):
    message = post(title="财政补贴", body="补贴 <b>标准</b>")
    post(title="路灯")

    data = api_client.get(LIST_URL, {"q": "补贴"}).json()

    assert set(data) == {"next", "previous", "results"}
    [item] = data["results"]
    assert item["id"] == message.pk
    assert item["highlight"] == "<mark>补贴</mark> &lt;b&gt;标准&lt;/b&gt;"


def test_api_list_without_q_has_a_null_highlight(api_client, post):
    post(title="路灯")

    [item] = api_client.get(LIST_URL).json()["results"]

    assert item["highlight"] is None


def test_api_search_pages_by_number_with_links(api_client, post):
    for number in range(3):
        post(title=f"parking {number}")

    first = api_client.get(LIST_URL, {"q": "parked", "page_size": 2}).json()
    second = api_client.get(first["next"]).json()

    assert len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"]
    assert len(second["results"]) == 1 and second["next"] is None


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "x" * 201}, "q"),
        ({"q": "停车", "page": "0"}, "page"),
        ({"q": "停车", "page": "two"}, "page"),
        ({"q": "停车", "sort": "loudest"}, "sort"),
    ],
)
def test_api_search_bad_input_is_a_400_naming_the_field(
    api_client, post, params, field
):
    response = api_client.get(LIST_URL, params)

    assert response.status_code == 400
    assert field in response.json()


def test_api_search_combines_with_filters(api_client, post):
    category = CategoryFactory(slug="parking")
    wanted = post(title="停车收费", category=category)
    post(title="停车收费")

    data = api_client.get(LIST_URL, {"q": "停车", "category": category.slug}).json()

    assert [item["id"] for item in data["results"]] == [wanted.pk]


def test_similar_endpoint_lists_public_messages_answered_first(api_client, post):
    asked = post(title="小区停车难怎么办", body="车位太少")
    answered = post(
        title="小区停车难问题", body="车位不够", status=MessageStatus.REPLIED
    )
    post(factory=PendingMessageFactory, title="小区停车难", body="车位")

    response = api_client.get(SIMILAR_URL, {"text": "我们小区停车难，车位少"})

    assert response.status_code == 200
    items = response.json()
    assert [item["id"] for item in items] == [answered.pk, asked.pk]
    assert set(items[0]) == {"id", "title", "url", "status", "score"}
    assert items[0]["url"] == answered.get_absolute_url()
    assert items[0]["status"] == "replied"
    assert 0 <= items[0]["score"] <= 1


@pytest.mark.parametrize("params", [{}, {"text": ""}, {"text": "x" * 20_000}])
def test_similar_endpoint_needs_a_text(api_client, db, params):
    response = api_client.get(SIMILAR_URL, params)

    assert response.status_code == 400
    assert "text" in response.json()


# --- Composing -----------------------------------------------------------------


def test_compose_checks_similar_messages_without_javascript(client, citizen, post):
    answered = post(title="小区停车难问题", status=MessageStatus.REPLIED)
    client.force_login(citizen)

    response = client.post(
        "/messages/new/check/", {"title": "停车难", "body": "小区停车难，怎么办"}
    )

    assert response.status_code == 200
    assert list(response.context["similar"]) == [answered]
    html = response.content.decode()
    assert f'action="/messages/{answered.pk}/follow/"' in html
    # The draft is kept, and nothing was posted or refused.
    assert "小区停车难，怎么办" in html
    assert 'class="errors"' not in html
    assert not citizen.messages.exists()


def test_me_too_on_a_similar_message_follows_it(client, citizen, post):
    answered = post(title="小区停车难问题", status=MessageStatus.REPLIED)
    client.force_login(citizen)

    client.post(f"/messages/{answered.pk}/follow/")

    assert MessageFollow.objects.filter(message=answered, user=citizen).exists()


def test_compose_page_offers_the_panel_to_scripts(client, citizen):
    client.force_login(citizen)

    html = client.get("/messages/new/").content.decode()

    assert 'data-similar-url="/api/v1/messages/similar/"' in html
    assert 'data-suggest-url="/api/v1/routing/suggest/"' in html
    assert 'id="status-labels"' in html
    assert 'formaction="/messages/new/check/"' in html


# --- Moderation --------------------------------------------------------------


def test_a_queue_item_lists_similar_messages_to_mark_a_duplicate(
    client, moderator, post
):
    original = post(title="小区停车难问题", body="车位不够")
    pending = post(factory=PendingMessageFactory, title="停车难", body="小区车位不够")
    client.force_login(moderator)

    page = client.get(f"/moderation/messages/{pending.pk}/")

    assert [other for other, _score in page.context["similar"]] == [original]
    html = page.content.decode()
    assert f'<input type="hidden" name="of" value="{original.reference}">' in html
    assert page.context["suggestion"] is not None

    response = client.post(
        f"/moderation/messages/{pending.pk}/duplicate/",
        {"of": original.reference, "seen_updated_at": page.context["seen_updated_at"]},
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.duplicate_of == original


# --- Moderators' and officials' lists ------------------------------------------


def test_moderators_search_their_queue(client, moderator, api_client, post):
    parking = post(factory=PendingMessageFactory, title="小区停车难", body="车位")
    post(factory=PendingMessageFactory, title="路灯不亮", body="坏了")
    client.force_login(moderator)

    page = client.get("/moderation/", {"queue": "pending", "q": "停车"})

    assert [row["pk"] for row in page.context["rows"]] == [parking.pk]
    assert page.context["page"].paginator.count == 1
    api_client.force_authenticate(moderator)
    data = api_client.get("/api/v1/moderation/queue/", {"q": "停车"}).json()
    assert [item["id"] for item in data["results"]] == [parking.pk]


def test_officials_search_their_inbox_with_counts_to_match(client, official, post):
    parking = post(
        factory=RoutedMessageFactory,
        addressee_official=official,
        region=official.region,
        title="小区停车难",
    )
    post(
        factory=RoutedMessageFactory,
        addressee_official=official,
        region=official.region,
        title="路灯不亮",
    )
    post(title="停车难 elsewhere")  # not this official's
    client.force_login(official.user)

    page = client.get("/inbox/", {"q": "停车"})

    assert [row["pk"] for row in page.context["rows"]] == [parking.pk]
    assert page.context["counts"]["total"] == 1


def test_api_search_past_the_ranked_pages_is_empty(api_client, post):
    post(title="停车")

    data = api_client.get(LIST_URL, {"q": "停车", "page": RANKED_MAX_PAGES + 1}).json()

    assert data["results"] == [] and data["next"] is None
