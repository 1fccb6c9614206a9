"""The public board, an official's page, and the language switch.

Anonymous visitors get the board and an official's page from the page cache
(board/page_cache.py) while no published message has changed.
"""

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.i18n import set_language

from board import page_cache
from board.actions import (
    user_language_set,
)
from board.forms import BoardFilterForm
from board.ids import parse_id
from board.models import Official
from board.selectors import (
    BoardFilters,
    message_list_public,
    official_message_counts,
    ranked_page,
    with_search_snippets,
)
from board.selectors.board_totals import board_total
from board.selectors.cards import (
    for_board_cards,
    rendered_cards,
    with_board_card_labels,
)
from board.selectors.messages import board_page_numbered
from board.selectors.stats import figures_total, period_named


def lists_version(request, **kwargs) -> list[str]:
    return [page_cache.LISTS]


def board_versions(request, **kwargs) -> list[str]:
    """A region's or a department's board also shows its figures."""
    if request.GET.get("region") or request.GET.get("department"):
        return [page_cache.LISTS, page_cache.STATS]
    return [page_cache.LISTS]


@page_cache.cached_page(board_versions)
def board_index(request):
    # The filters and the list are the same for every reader: a signed-in
    # reader's page renders only its header afresh.
    content = page_cache.cached_fragment(
        request, board_versions(request), "board", lambda: _board_content(request)
    )
    return render(request, "board/index.html", {"content": content})


def _board_content(request) -> str:
    form = BoardFilterForm(request.GET or None)
    filters = BoardFilters()
    if form.is_bound and form.is_valid():
        filters = BoardFilters(**{k: v for k, v in form.cleaned_data.items() if v})
    messages = for_board_cards(message_list_public(filters=filters))
    total = None
    if filters.is_ranked:
        page = ranked_page(messages, number=request.GET.get("page", 1))
    else:
        page = _numbered_page(request, messages)
        total = board_total(filters, messages)
    with_board_card_labels(page.items)
    if filters.q:
        with_search_snippets(page.items, filters.q)
    cards = rendered_cards(page.items)
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    # Without the search words: the link that keeps the filters.
    unsearched = query.copy()
    unsearched.pop("q", None)
    # No request: the fragment is nobody's, and needs no context processor.
    return render_to_string(
        "board/_board_content.html",
        {
            "form": form,
            "page": page,
            "cards": cards,
            "query": query.urlencode(),
            "unsearched_query": unsearched.urlencode(),
            "search": filters.q,
            # An empty search suggests dropping these first.
            "is_filtered": any(
                value and key not in ("q", "sort") for key, value in query.items()
            ),
            "has_cursor": bool(request.GET.get("cursor")),
            "total": total,
            # The board of one region or department links its figures.
            "stats_group": _stats_group(filters),
        },
    )


def _numbered_page(request, messages):
    """The keyset page, numbered as the link that led here says (a number
    only labels the page: the cursor decides which rows it shows)."""
    cursor = request.GET.get("cursor", "")
    position = parse_id(request.GET.get("page", "")) if cursor else 1
    return board_page_numbered(messages, cursor=cursor, position=position)


def _stats_group(filters: BoardFilters) -> dict | None:
    """A region's or a department's board shows its figures of this year."""
    for by in ("region", "department"):
        group = getattr(filters, by)
        if group is not None:
            return {
                "by": by,
                "id": group.pk,
                "name": str(group),
                "figures": figures_total(
                    period_named("this_year"), by=by, group_id=group.pk
                ),
            }
    return None


def official_versions(request, **kwargs) -> list[str]:
    return [page_cache.LISTS, page_cache.STATS]


@page_cache.cached_page(official_versions)
def official_detail(request, official_id):
    official = get_object_or_404(
        Official.objects.select_related("region", "department"), pk=official_id
    )
    messages = for_board_cards(
        message_list_public().filter(addressee_official=official)
    )
    page = _numbered_page(request, messages)
    return render(
        request,
        "board/official_detail.html",
        {
            "official": official,
            "page": page,
            "cards": rendered_cards(with_board_card_labels(page.items)),
            "counts": official_message_counts(official),
            # This year's figures, as the statistics page gives them.
            "figures": figures_total(
                period_named("this_year"), by="official", group_id=official.pk
            ),
        },
    )


@csrf_protect
def _language_set_remembered(request):
    response = set_language(request)
    if request.method == "POST":
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@csrf_exempt
def language_set(request):
    """Django's set_language; a signed-in user's choice is also remembered,
    so that their emails come in it, and that write is CSRF-checked.

    An anonymous visitor's switch only sets the language cookie and needs no
    CSRF token: the form on cached pages has none, so that one copy of a page
    serves every anonymous reader (board/page_cache.py)."""
    if request.user.is_authenticated:
        return _language_set_remembered(request)
    return set_language(request)
