"""search_messages, search_highlight, similar_messages and the terms behind
them: Chinese without spaces, English stems, ranking, snippets."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from board.lifecycle import MessageStatus
from board.models import Message
from board.selectors import search
from board.selectors.search import (
    search_highlight,
    search_messages,
    similar_messages,
)
from board.text_terms import highlight_words, index_terms, is_safe_term, query_terms
from tests.factories import CategoryFactory, ReplyFactory


def public_search(text: str, **options) -> list[Message]:
    return list(search_messages(Message.objects.public(), text, **options))


# --- Terms -------------------------------------------------------------------


def test_a_chinese_word_is_among_the_terms_of_a_longer_phrase():
    assert set(t.text for t in query_terms("补贴")) <= set(index_terms("财政补贴标准"))
    assert {t.text for t in query_terms("停车难")} <= set(index_terms("小区停车难问题"))


def test_a_single_character_query_is_a_prefix_term():
    assert [(t.text, t.is_prefix) for t in query_terms("补")] == [("补", True)]
    # Every character starts a term or ends its run.
    terms = index_terms("财政补贴")
    for character in "财政补贴":
        assert any(term.startswith(character) for term in terms)


def test_english_words_are_stemmed_lowercased_and_stop_words_dropped():
    assert index_terms("The PARKED cars, parks") == ["park", "car", "park"]
    assert [t.text for t in query_terms("parking")] == ["park"]
    assert query_terms("the of and") == []


def test_full_width_forms_and_accents_are_folded():
    assert index_terms("ＡＢＣ１２３ café") == ["abc123", "cafe"]


@given(st.text(max_size=200))
def test_terms_never_hold_characters_unsafe_in_a_query_syntax(text):
    terms = index_terms(text) + [t.text for t in query_terms(text)]
    assert all(is_safe_term(term) for term in terms)
    assert all(not set(term) & set("'\"*:&|!()<>\\ -") for term in terms)


def test_html_and_query_syntax_in_the_input_are_only_separators():
    text = "<b onclick='x'>停车</b> \"a\" & 'b':* OR NOT (c)"
    assert index_terms(text) == [
        *("b", "onclick", "x", "停车", "车", "b", "b", "not", "c")
    ]


def test_highlight_words_are_the_runs_as_typed_and_the_stems():
    assert highlight_words("停车难 Parking") == ["park", "停车难"]


# --- Search ------------------------------------------------------------------


def test_a_chinese_word_finds_a_title_that_contains_it(post):
    found = post(title="财政补贴标准何时公布")
    post(title="小区停车位不足")

    assert public_search("补贴") == [found]


def test_a_chinese_phrase_finds_a_body_that_contains_it(post):
    found = post(title="反映问题", body="我们小区停车难问题已经很久了")
    post(title="反映问题", body="小区停车场收费太高，难以承受")

    assert public_search("停车难") == [found]


def test_a_single_character_finds_every_message_with_it(post):
    first = post(title="财政补贴标准")
    last = post(title="申请补贴")
    post(title="小区停车位")

    assert set(public_search("贴")) == {first, last}
    assert public_search("准") == [first]


def test_english_words_match_other_forms_of_the_word(post):
    parked = post(title="Cars parked on the pavement", body="")
    parks = post(title="More parks please", body="")
    post(title="Broken street lamp", body="")

    assert set(public_search("parking")) == {parked, parks}
    assert public_search("PAVEMENTS") == [parked]


def test_every_term_must_match(post):
    both = post(title="停车补贴", body="")
    post(title="停车难", body="")
    post(title="补贴标准", body="")

    assert public_search("停车 补贴") == [both]


def test_a_query_without_terms_leaves_the_queryset_as_it_was(post):
    post()
    messages = Message.objects.public()
    assert search_messages(messages, "  ，。!? the ") is messages


def test_a_title_match_ranks_above_a_body_match_above_a_reply_match(post):
    in_reply = post(title="道路维修", body="路面坑洼")
    post(ReplyFactory, message=in_reply, body="已安排垃圾清运")
    in_body = post(title="道路维修", body="垃圾清运不及时")
    in_title = post(title="垃圾清运不及时", body="路面坑洼")

    assert public_search("垃圾清运") == [in_title, in_body, in_reply]


def test_equal_matches_are_ordered_newest_first(post):
    now = timezone.now()
    older = post(title="垃圾清运", body="", published_at=now - timedelta(days=2))
    newer = post(title="垃圾清运", body="", published_at=now - timedelta(days=1))

    assert public_search("垃圾清运") == [newer, older]


def test_search_narrows_the_callers_filters_and_keeps_its_order_when_asked(post):
    roads = CategoryFactory(slug="roads")
    now = timezone.now()
    first = post(title="路灯不亮", category=roads, published_at=now)
    second = post(title="路灯闪烁", category=roads, published_at=now)
    post(title="路灯损坏", body="")  # another category
    post(title="公交线路", category=roads)

    messages = Message.objects.public().filter(category=roads).order_by("pk")
    found = search_messages(messages, "路灯", order="board")

    assert list(found) == [first, second]
    assert all(message.search_rank > 0 for message in found)


# --- Snippets ----------------------------------------------------------------


def test_a_snippet_escapes_the_text_and_marks_the_matches():
    snippet = search_highlight("<script>alert(1)</script>小区停车难问题", "停车难")

    assert snippet == (
        "&lt;script&gt;alert(1)&lt;/script&gt;小区<mark>停车难</mark>问题"
    )


def test_a_snippet_starts_near_the_first_match_and_marks_english_forms():
    text = "一" * 300 + " Parking on the pavement, cars parked"
    snippet = search_highlight(text, "park", length=80)

    assert snippet.startswith("…")
    assert "<mark>Parking</mark>" in snippet
    assert "<mark>parked</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 82


def test_a_snippet_without_a_match_is_the_start_of_the_text():
    assert search_highlight("a < b " * 50, "停车", length=10) == "a &lt; b a &lt; …"


# --- Similar messages --------------------------------------------------------


def test_similar_messages_are_public_ones_answered_first_with_a_score(post):
    draft = "小区加装电梯补贴标准是多少？"
    replied = post(title="加装电梯有没有补贴", body="", status=MessageStatus.REPLIED)
    published = post(title="加装电梯补贴标准", body="想了解补贴标准")
    post(title="加装电梯补贴", body="", status=MessageStatus.PENDING)
    post(title="加装电梯补贴", body="", is_public=False)
    post(title="道路维修", body="路面坑洼")

    similar = similar_messages(draft)

    assert [message for message, _score in similar] == [replied, published]
    assert all(0 < score <= 1 for _message, score in similar)
    assert similar_messages(draft, exclude_id=replied.pk)[0][0] == published
    assert similar_messages("？！") == []


def test_relevance_ranks_the_newest_matches_of_a_common_word(post, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_RANKED_LIMIT", 3)
    oldest_in_title = post(title="垃圾清运", body="")
    others = [post(title="反映", body=f"垃圾清运{n}") for n in range(4)]
    newest_in_title = post(title="垃圾清运", body="")

    ranked = public_search("垃圾清运")

    assert ranked == [newest_in_title, others[3], others[2]]
    every = public_search("垃圾清运", order="board")
    assert set(every) == {oldest_in_title, newest_in_title, *others}


def _match_queries(text: str) -> tuple[list[Message], int]:
    """What a public search by relevance finds, and in how many windows of
    weeks it looked for the newest matches (the queries limited to
    SEARCH_RANKED_LIMIT, 3 here)."""
    with CaptureQueriesContext(connection) as queries:
        found = public_search(text, public_only=True)
    windows = [q for q in queries if q["sql"].rstrip().endswith("LIMIT 3")]
    return found, len(windows)


def test_the_newest_public_matches_are_looked_for_in_the_last_weeks_first(
    post, monkeypatch
):
    # The last week, then two, then four, then all.
    monkeypatch.setattr(search, "SEARCH_RANKED_LIMIT", 3)
    monkeypatch.setattr(search, "SEARCH_RECENT_WEEKS", 1)
    monkeypatch.setattr(search, "SEARCH_WIDENING", 2)
    monkeypatch.setattr(search, "SEARCH_WIDEST_WEEKS", 4)
    now = timezone.now()

    def published(title, weeks_ago):
        # Whole weeks back: the same week number as counted from now.
        return post(title=title, body="", published_at=now - timedelta(weeks=weeks_ago))

    covers = {weeks: published("井盖丢失", weeks) for weeks in (20, 9, 5, 3, 0)}
    lamps = [published("路灯不亮", 0) for _ in range(4)]
    post(title="井盖丢失", body="", status=MessageStatus.PENDING, published_at=now)

    # Equal matches rank newest published first: the newest three of each
    # word, whichever window held them.
    found, windows = _match_queries("井盖")
    assert found == [covers[0], covers[3], covers[5]]
    assert windows == 4
    found, windows = _match_queries("路灯")
    assert found == [lamps[3], lamps[2], lamps[1]]
    assert windows == 1
