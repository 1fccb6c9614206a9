"""Writing a message (#14): the 留言须知 page and checkbox, how the author is
shown (masked or 匿名), the preview, and the same choice through the API."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from board.models import (
    AuthorShownAs,
    Category,
    Message,
    MessageEvent,
    PostingGuidelines,
)
from tests.factories import (
    CategoryFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

# As in production: anonymous pages come from the cache, so a test of the
# guidelines page also checks that publishing new ones reaches it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

GUIDELINES_URL = "/guidelines/"
COMPOSE_URL = "/messages/new/"
API_URL = "/api/v1/messages/"


def anonymous_in_chinese() -> str:
    with translation.override("zh-hans"):
        return pgettext("author of a message", "Anonymous")


def compose_data(official, **changes):
    data = {
        "region": official.region.pk,
        "addressee": f"o:{official.pk}",
        "category": CategoryFactory(slug="transport").pk,
        "kind": "inquiry",
        "title": "社保卡补办需要什么材料",
        "body": "请问社保卡丢失后补办需要带哪些材料？",
        "is_public": "1",
        "author_shown_as": "masked",
        "contact_phone": "",
        "accepts_guidelines": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def named_citizen(db):
    return UserFactory(citizen=True, display_name="王小明")


# --- 留言须知 --------------------------------------------------------------------


def test_the_default_guidelines_come_with_the_migration():
    guidelines = PostingGuidelines.objects.get()
    for words in ("个人信息", "审核", "匿名", "工作日", "一条留言只写一件事"):
        assert words in guidelines.text
    for words in ("personal data", "review", "匿名", "working days", "One matter"):
        assert words in guidelines.text_en


def test_guidelines_page_in_chinese_and_english(client):
    html = client.get(GUIDELINES_URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h2>请不要写</h2>" in html
    assert "一条留言只写一件事" in html

    english = client.get(GUIDELINES_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    text = english.content.decode()
    assert "<h1>Posting guidelines</h1>" in text
    assert "<h2>What not to write</h2>" in text
    assert "请不要写" not in text


def test_guidelines_escape_what_an_administrator_types(client):
    PostingGuidelines.objects.create(
        text="<script>alert(1)</script>\n\n[链接](javascript:alert(1))",
        text_en="x",
    )
    cache.clear()
    html = client.get(GUIDELINES_URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


def test_no_guidelines_is_not_found(client):
    PostingGuidelines.objects.all().delete()
    assert client.get(GUIDELINES_URL).status_code == 404


def test_admin_edit_publishes_a_new_version_the_page_shows_at_once(
    client, admin_client, django_capture_on_commit_callbacks
):
    first = client.get(GUIDELINES_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert first["X-Page-Cache"] == "miss"
    assert client.get(GUIDELINES_URL)["X-Page-Cache"] == "hit"
    current = PostingGuidelines.objects.get()

    change_url = reverse("admin:board_postingguidelines_change", args=[current.pk])
    assert admin_client.get(change_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            change_url,
            {
                "text": "## 新须知\n\n- 请写清地点。",
                "text_en": "## New rules\n\n- Say where.",
            },
        )
    assert response.status_code == 302, response.content.decode()
    assert response.url == reverse("admin:board_postingguidelines_changelist")

    # A new version in force; the one citizens agreed to before is kept.
    assert PostingGuidelines.objects.count() == 2
    assert PostingGuidelines.objects.get(pk=current.pk).text == current.text
    html = client.get(GUIDELINES_URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新须知" in html
    assert "请写清地点" in html
    english = client.get(GUIDELINES_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "New rules" in english

    # The old version is read-only; the current one cannot be deleted.
    old = admin_client.post(change_url, {"text": "x", "text_en": "y"})
    assert old.status_code in {302, 403}
    assert PostingGuidelines.objects.count() == 2
    assert PostingGuidelines.objects.get(pk=current.pk).text == current.text
    newest = PostingGuidelines.objects.latest()
    delete_url = reverse("admin:board_postingguidelines_delete", args=[newest.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403


# --- The compose page -------------------------------------------------------------


def test_compose_shows_guidelines_checkbox_counters_and_author_choice(client, citizen):
    client.force_login(citizen)
    html = client.get(COMPOSE_URL).content.decode()
    assert 'href="/guidelines/"' in html
    assert 'name="accepts_guidelines"' in html
    assert "<details" in html and "请不要写" in html
    assert 'name="author_shown_as" value="masked"' in html
    assert 'name="author_shown_as" value="anonymous"' in html
    assert f'maxlength="{Message.TITLE_MAX_LENGTH}"' in html
    assert f'data-max="{Message.BODY_MAX_LENGTH}"' in html
    assert 'name="preview"' in html
    assert "css/compose.css" in html


def test_submitting_without_the_checkbox_is_refused_and_saves_nothing(client, citizen):
    client.force_login(citizen)
    official = OfficialFactory()
    response = client.post(COMPOSE_URL, compose_data(official, accepts_guidelines=None))
    assert response.status_code == 200
    assert "accepts_guidelines" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert Message.objects.count() == 0
    assert MessageEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("choice", "shown"),
    [("masked", "王**"), ("anonymous", None), (None, "王**")],
)
def test_the_author_choice_is_stored_and_shown_through_the_api(
    client, api_client, named_citizen, choice, shown
):
    client.force_login(named_citizen)
    official = OfficialFactory()
    response = client.post(COMPOSE_URL, compose_data(official, author_shown_as=choice))
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.author_shown_as == (choice or AuthorShownAs.MASKED)

    # Once public, everyone reads the name as the author chose.
    Message.objects.filter(pk=message.pk).update(
        status="published", published_at=timezone.now()
    )
    cache.clear()
    with translation.override("zh-hans"):
        detail = api_client.get(
            f"{API_URL}{message.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        board = api_client.get(API_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    shown = shown or anonymous_in_chinese()
    assert detail.json()["author"] == shown
    assert board.json()["results"][0]["author"] == shown
    assert "王小明" not in detail.content.decode()
    assert "王小明" not in board.content.decode()


def test_the_preview_shows_sanitized_content_and_saves_nothing(client, named_citizen):
    client.force_login(named_citizen)
    official = OfficialFactory(name="李明", title="江州市市长")
    response = client.post(
        COMPOSE_URL,
        compose_data(
            official,
            title="公交站台<b>损坏</b>",
            body="顶棚*损坏*。\n\n<script>alert(1)</script>\n\n- 雨天无法候车",
            author_shown_as="anonymous",
            accepts_guidelines=None,
            preview="1",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-compose-preview" in html
    preview = html.split("data-compose-preview", 1)[1].split("</section>", 1)[0]
    assert "公交站台&lt;b&gt;损坏&lt;/b&gt;" in preview
    assert "<em>损坏</em>" in preview
    assert "<li>雨天无法候车</li>" in preview
    assert "<script>alert(1)" not in html
    assert "李明" in preview
    assert "交通出行" in preview
    assert anonymous_in_chinese() in preview
    assert "王小明" not in preview
    # Nothing is saved, and the submit button is right there.
    assert Message.objects.count() == 0
    assert MessageEvent.objects.count() == 0
    assert 'form="compose-form"' in preview
    # The draft stays in the form, to be changed or sent.
    assert "顶棚*损坏*" in html
    # Not yet accepted: the box is shown unticked beside the button.
    assert (
        'name="accepts_guidelines" id="id_accepts_guidelines" form="compose-form">'
        in (preview)
    )


def test_a_preview_with_errors_shows_them_and_no_preview(client, citizen):
    client.force_login(citizen)
    official = OfficialFactory()
    response = client.post(COMPOSE_URL, compose_data(official, title="", preview="1"))
    assert response.status_code == 200
    assert "data-compose-preview" not in response.content.decode()
    assert "title" in response.context["form"].errors
    assert Message.objects.count() == 0


def test_submitting_after_the_preview_posts_once(client, citizen):
    client.force_login(citizen)
    official = OfficialFactory()
    data = compose_data(official)
    client.post(COMPOSE_URL, {**data, "preview": "1"})
    assert Message.objects.count() == 0
    response = client.post(COMPOSE_URL, data)
    assert response.status_code == 302
    assert Message.objects.count() == 1


def test_line_breaks_count_once_against_the_body_limit(client, citizen):
    """The browser lets a body of exactly the limit through, counting each
    line break once, then sends it as "\\r\\n"."""
    client.force_login(citizen)
    official = OfficialFactory()
    paragraph = "字" * 99
    body = "\r\n".join([paragraph] * (Message.BODY_MAX_LENGTH // 100))
    assert len(body.replace("\r\n", "\n")) <= Message.BODY_MAX_LENGTH < len(body)
    response = client.post(COMPOSE_URL, compose_data(official, body=body))
    assert response.status_code == 302, response.context["form"].errors
    assert Message.objects.get().body == body.replace("\r\n", "\n")


def test_editing_keeps_or_changes_the_author_choice(client, named_citizen):
    client.force_login(named_citizen)
    official = OfficialFactory()
    client.post(COMPOSE_URL, compose_data(official, author_shown_as="anonymous"))
    message = Message.objects.get()
    edit_url = reverse("board:message_edit", args=[message.pk])
    response = client.get(edit_url)
    assert response.context["form"]["author_shown_as"].value() == "anonymous"
    assert 'name="accepts_guidelines"' not in response.content.decode()
    data = compose_data(official, author_shown_as="masked", accepts_guidelines=None)
    data["category"] = message.category_id
    response = client.post(edit_url, data)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.author_shown_as == AuthorShownAs.MASKED


def test_a_bad_author_choice_is_a_form_error(client, citizen):
    client.force_login(citizen)
    response = client.post(
        COMPOSE_URL, compose_data(OfficialFactory(), author_shown_as="full_name")
    )
    assert response.status_code == 200
    assert "author_shown_as" in response.context["form"].errors
    assert Message.objects.count() == 0


# --- The API ----------------------------------------------------------------------


@pytest.fixture
def payload():
    official = OfficialFactory(region=RegionFactory(parent=RegionFactory()))
    return {
        "addressee_official": official.pk,
        "region": official.region_id,
        "category": Category.objects.get(slug="transport").pk,
        "kind": "complaint",
        "title": "小区门口路灯坏了",
        "body": "路灯已经坏了两周，晚上很黑。",
    }


def test_api_create_stores_the_author_choice(api_client, named_citizen, payload):
    api_client.force_authenticate(named_citizen)
    response = api_client.post(
        API_URL, {**payload, "author_shown_as": "anonymous"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["author"] == anonymous_in_chinese()
    assert Message.objects.get().author_shown_as == AuthorShownAs.ANONYMOUS


def test_api_create_defaults_to_masked_without_a_guidelines_field(
    api_client, named_citizen, payload
):
    api_client.force_authenticate(named_citizen)
    response = api_client.post(API_URL, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["author"] == "王**"
    assert Message.objects.get().author_shown_as == AuthorShownAs.MASKED


def test_api_create_refuses_a_bad_author_choice_naming_the_field(
    api_client, citizen, payload
):
    api_client.force_authenticate(citizen)
    response = api_client.post(
        API_URL, {**payload, "author_shown_as": "full_name"}, format="json"
    )
    assert response.status_code == 400
    assert "author_shown_as" in response.json()
    assert Message.objects.count() == 0


def test_api_edit_keeps_the_author_choice_when_not_given(
    api_client, named_citizen, payload
):
    api_client.force_authenticate(named_citizen)
    created = api_client.post(
        API_URL, {**payload, "author_shown_as": "anonymous"}, format="json"
    ).json()
    response = api_client.patch(
        f"{API_URL}{created['id']}/", {"title": "路灯坏了两周"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Message.objects.get().author_shown_as == AuthorShownAs.ANONYMOUS


def test_public_messages_name_their_author_masked_by_default(api_client):
    message = MessageFactory(author=UserFactory(display_name="张三"))
    response = api_client.get(f"{API_URL}{message.pk}/")
    assert response.json()["author"] == "张**"
    assert "张三" not in response.content.decode()


def test_the_checkbox_error_comes_with_the_drafts_own_errors(client, citizen):
    """Forgetting the box does not hide what else is wrong with the draft."""
    client.force_login(citizen)
    response = client.post(
        COMPOSE_URL,
        compose_data(
            OfficialFactory(), contact_phone="not a phone", accepts_guidelines=None
        ),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"accepts_guidelines", "contact_phone"}
    assert Message.objects.count() == 0
