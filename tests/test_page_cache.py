"""Anonymous visitors' pages from the page cache (board/page_cache.py): a
second reader gets the stored page, and whatever the page shows that changes
shows at once, because the change moves the page's version when it commits."""

import pytest
from django.core.cache import cache
from django.template.backends.django import Template
from django.test import Client

from board import page_cache
from board.actions import (
    account_erase,
    message_accept,
    message_follow,
    reply_create,
)
from board.lifecycle import MessageStatus
from board.models import AuthorShownAs, Official
from moderation.actions import message_approve, message_hide, message_redact
from moderation.context_processors import QUEUE_IS_BEHIND_CACHE_KEY
from moderation.models import SiteNotice
from tests.factories import MessageFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

CACHE_HEADER = "X-Page-Cache"


def anonymous_get(path, **headers):
    return Client().get(path, headers=headers)


def test_the_second_anonymous_reader_gets_the_stored_page():
    message = MessageFactory(title="江州大道路灯不亮")

    first = anonymous_get("/")
    second = anonymous_get("/")

    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert message.title in second.content.decode()
    # One copy serves everyone: no cookie, no CSRF token in the page.
    assert not second.cookies
    assert "csrfmiddlewaretoken" not in second.content.decode()


@pytest.mark.parametrize("path", ["/", "/api/v1/messages/"])
def test_a_published_message_shows_at_once(path, moderator, commit):
    pending = MessageFactory(title="新的留言", status=MessageStatus.PENDING)
    assert "新的留言" not in anonymous_get(path).content.decode()
    assert anonymous_get(path)[CACHE_HEADER] == "hit"

    with commit():
        message_approve(message=pending, actor=moderator)

    response = anonymous_get(path)
    assert response[CACHE_HEADER] == "miss"
    assert "新的留言" in response.content.decode()


def test_a_new_reply_shows_at_once_on_a_cached_message_page(commit):
    message = MessageFactory()
    official = message.addressee_official
    official.user = UserFactory(official=True)
    official.save()
    path = f"/messages/{message.pk}/"
    anonymous_get(path)
    assert anonymous_get(path)[CACHE_HEADER] == "hit"

    with commit():
        message_accept(message=message, actor=official.user)
        reply_create(
            message=message, actor=official.user, body="路灯已修复。", final=True
        )

    response = anonymous_get(path)
    assert response[CACHE_HEADER] == "miss"
    assert "路灯已修复。" in response.content.decode()


def test_a_support_changes_the_count_at_once(citizen, commit):
    message = MessageFactory()
    path = f"/messages/{message.pk}/"
    before = anonymous_get(path).content.decode()

    with commit():
        message_follow(message=message, user=citizen)

    after = anonymous_get(path)
    assert after[CACHE_HEADER] == "miss"
    assert after.content.decode() != before


def test_hiding_takes_the_message_off_cached_pages_at_once(moderator, commit):
    message = MessageFactory(title="待隐藏的留言")
    path = f"/messages/{message.pk}/"
    assert anonymous_get(path).status_code == 200
    assert "待隐藏的留言" in anonymous_get("/").content.decode()

    with commit():
        message_hide(message=message, actor=moderator, reason="advertising")

    assert anonymous_get(path).status_code == 404
    assert "待隐藏的留言" not in anonymous_get("/").content.decode()


def test_redaction_shows_at_once(moderator, commit):
    message = MessageFactory(title="电话13800000000")
    path = f"/messages/{message.pk}/"
    anonymous_get(path)

    with commit():
        message_redact(message=message, actor=moderator, title="电话***")

    page = anonymous_get(path).content.decode()
    assert "13800000000" not in page
    assert "电话***" in page


def test_an_edit_of_an_official_shows_at_once(commit):
    message = MessageFactory()
    path = f"/officials/{message.addressee_official_id}/"
    anonymous_get(path)
    anonymous_get("/")

    with commit():
        official = Official.objects.get(pk=message.addressee_official_id)
        official.name = "新任区长"
        official.save()

    assert "新任区长" in anonymous_get(path).content.decode()
    assert anonymous_get(f"/messages/{message.pk}/")[CACHE_HEADER] == "miss"


@pytest.mark.parametrize("path", ["/", "/messages/{pk}/", "/api/v1/messages/"])
def test_an_authors_new_name_shows_at_once(path, commit):
    message = MessageFactory(author=UserFactory(citizen=True, display_name="王小明"))
    path = path.format(pk=message.pk)
    assert "王**" in anonymous_get(path).content.decode()
    assert anonymous_get(path)[CACHE_HEADER] == "hit"

    with commit():
        message.author.display_name = "李小明"
        message.author.save()

    response = anonymous_get(path)
    assert response[CACHE_HEADER] == "miss"
    assert "李**" in response.content.decode()
    assert "王**" not in response.content.decode()


def test_an_erased_authors_messages_say_anonymous_at_once(commit):
    message = MessageFactory(author=UserFactory(citizen=True, display_name="王小明"))
    path = f"/messages/{message.pk}/"
    anonymous_get("/")
    assert "王**" in anonymous_get(path).content.decode()

    with commit():
        account_erase(user=message.author)

    for page in (anonymous_get(path), anonymous_get("/")):
        assert page[CACHE_HEADER] == "miss"
        assert "王**" not in page.content.decode()
        assert "匿名" in page.content.decode()


def test_a_rename_that_keeps_the_masked_name_keeps_the_stored_pages(commit):
    author = UserFactory(citizen=True, display_name="王小明")
    message = MessageFactory(author=author)
    path = f"/messages/{message.pk}/"
    anonymous_get(path)

    with commit():
        author.display_name = "王大明"
        author.save()
        author.save(update_fields=["last_login"])  # a sign-in

    assert anonymous_get(path)[CACHE_HEADER] == "hit"


def test_an_anonymous_authors_rename_keeps_the_stored_pages(commit):
    author = UserFactory(citizen=True, display_name="王小明")
    message = MessageFactory(author=author, author_shown_as=AuthorShownAs.ANONYMOUS)
    path = f"/messages/{message.pk}/"
    anonymous_get(path)

    with commit():
        author.display_name = "李小明"
        author.save()

    assert anonymous_get(path)[CACHE_HEADER] == "hit"


def test_the_site_notice_shows_when_reviews_fall_behind(commit):
    MessageFactory()
    with commit():
        SiteNotice.objects.create(text="审核延迟", text_en="Reviews late")
    anonymous_get("/")
    assert anonymous_get("/")[CACHE_HEADER] == "hit"

    # moderation keeps the queue's health for a minute; it turns behind.
    cache.set(QUEUE_IS_BEHIND_CACHE_KEY, True)

    response = anonymous_get("/")
    assert response[CACHE_HEADER] == "miss"
    assert "审核延迟" in response.content.decode()


def test_an_edit_of_the_site_notice_shows_at_once(commit):
    MessageFactory()
    cache.set(QUEUE_IS_BEHIND_CACHE_KEY, True)
    with commit():
        notice = SiteNotice.objects.create(text="审核延迟", text_en="Reviews late")
    anonymous_get("/")

    with commit():
        notice.text = "节假日审核顺延"
        notice.save()

    assert "节假日审核顺延" in anonymous_get("/").content.decode()


def test_the_etag_answers_304_until_the_page_changes(moderator, commit):
    message = MessageFactory()
    first = anonymous_get("/")
    etag = first["ETag"]

    again = anonymous_get("/", if_none_match=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag

    with commit():
        message_hide(message=message, actor=moderator, reason="advertising")
    changed = anonymous_get("/", if_none_match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_each_language_has_its_own_copy():
    MessageFactory()
    chinese = anonymous_get("/", accept_language="zh-hans")
    english = anonymous_get("/", accept_language="en")

    assert '<html lang="zh-hans">' in chinese.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert english[CACHE_HEADER] == "miss"


def test_signed_in_readers_are_never_served_or_stored(client, citizen):
    MessageFactory()
    client.force_login(citizen)

    signed_in = client.get("/")
    anonymous = anonymous_get("/")

    assert CACHE_HEADER not in signed_in
    assert anonymous[CACHE_HEADER] == "miss"
    assert citizen.username not in anonymous.content.decode()


def test_a_waiting_flash_message_is_not_served_from_the_cache():
    MessageFactory()
    anonymous_get("/")
    reader = Client()
    reader.cookies["messages"] = "anything"

    assert CACHE_HEADER not in reader.get("/")


def test_anonymous_language_switch_needs_no_csrf_token(citizen):
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"

    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(citizen)
    refused = signed_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert refused.status_code == 403


def test_a_visitor_without_a_session_is_answered_before_the_middleware(
    django_assert_num_queries,
):
    """The stored answer holds the headers the middleware added the first
    time (the policy, the language), and costs no query at all."""
    MessageFactory()
    first = anonymous_get("/", accept_language="en")

    with django_assert_num_queries(0):
        again = anonymous_get("/", accept_language="en")

    assert again[CACHE_HEADER] == "hit"
    assert again.content == first.content
    for header in (
        "Content-Security-Policy",
        "Content-Language",
        "X-Frame-Options",
        "Vary",
    ):
        assert again[header] == first[header], header
    assert again["ETag"] == first["ETag"]
    assert "Set-Cookie" not in again


def test_an_anonymous_visitor_with_a_session_cookie_gets_the_stored_page_too():
    MessageFactory()
    anonymous_get("/")
    reader = Client()
    reader.cookies["sessionid"] = "no-such-session"

    response = reader.get("/")

    assert response[CACHE_HEADER] == "hit"


def test_signed_in_readers_share_the_boards_list_not_its_header(
    client, citizen, moderator, commit, django_assert_max_num_queries
):
    """The board's filters and list are the same for everyone: a signed-in
    reader's page renders its own header around the stored list, which a
    publication still changes at once."""
    MessageFactory(title="江州大道路灯不亮")
    other = UserFactory(username="second-reader")
    client.force_login(citizen)
    first = client.get("/").content.decode()

    reader = Client()
    reader.force_login(other)
    with django_assert_max_num_queries(6) as captured:
        second = reader.get("/").content.decode()

    assert "江州大道路灯不亮" in first and "江州大道路灯不亮" in second
    assert citizen.username in first and citizen.username not in second
    assert other.username in second
    assert not any("board_message" in query["sql"] for query in captured)

    pending = MessageFactory(title="新的留言", status=MessageStatus.PENDING)
    with commit():
        message_approve(message=pending, actor=moderator)
    assert "新的留言" in reader.get("/").content.decode()


def test_a_row_is_rendered_once_for_the_same_data(monkeypatch):
    """page_cache.rendered_rows: the same row data gives the stored HTML;
    other data (an item claimed since, say) renders afresh."""
    template = "moderation/queue_row.html"
    row = {
        "pk": 1,
        "reference": "ZT-1",
        "title": "江州大道<路灯>",
        "url": "/moderation/items/1/",
        "status": "pending",
        "status_label": "",
        "kind_label": "投诉",
        "author_name": "wang",
        "region_name": "江州",
        "category_name": "交通",
        "intake_label": "",
        "is_public": True,
        "is_selected": False,
        "select_label": "Select ZT-1",
        "waiting": "3 小时",
        "is_overdue": False,
        "findings": [],
        "second_approval": "",
        "reason_title": "",
        "open_reports": 0,
        "holder": "",
        "claim_until": "",
        "has_badges": False,
    }
    first = page_cache.rendered_rows(template, [row], selectable=True, deadline="1 天")
    assert "江州大道&lt;路灯&gt;" in first[0]

    renders = []
    original = Template.render

    def counted_render(self, *args, **kwargs):
        renders.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Template, "render", counted_render)
    context = {"selectable": True, "deadline": "1 天"}
    again = page_cache.rendered_rows(template, [row], **context)
    claimed = {**row, "holder": "moderator2", "claim_until": "14:30"}
    changed = page_cache.rendered_rows(
        template, [claimed | {"has_badges": True}], **context
    )

    assert again == first and renders == [1]
    assert "moderator2" in changed[0] and "14:30" in changed[0]
