"""Browsing by place: the directory of officials and departments by region
(省 → 市 → 县), and each region's page.

Both are cached whole for anonymous readers (board/page_cache.py): the
directory under the reference data alone (an edit of a region, department
or official bumps it), a region's page also under the lists (its latest
messages) and the statistics (its figures).
"""

from django.shortcuts import get_object_or_404, render

from board import page_cache
from board.models import Region
from board.selectors import BoardFilters, message_list_public
from board.selectors.cards import (
    for_board_cards,
    rendered_cards,
    with_board_card_labels,
)
from board.selectors.geography import official_directory as directory_tree
from board.selectors.geography import region_page_data
from board.selectors.messages import board_page
from board.selectors.stats import figures_total, period_named

# The latest messages a region's page shows; the board filtered by the
# region has the rest.
REGION_LATEST = 10


def directory_versions(request, **kwargs) -> list[str]:
    # page_cache adds the reference data's version to every page.
    return []


def region_versions(request, **kwargs) -> list[str]:
    return [page_cache.LISTS, page_cache.STATS]


@page_cache.cached_page(directory_versions)
def official_directory(request):
    return render(request, "board/directory.html", {"provinces": directory_tree()})


@page_cache.cached_page(region_versions)
def region_detail(request, region_id):
    region = get_object_or_404(
        Region.objects.select_related("parent__parent"), pk=region_id
    )
    messages = for_board_cards(message_list_public(filters=BoardFilters(region=region)))
    page = board_page(messages, size=REGION_LATEST)
    return render(
        request,
        "board/region.html",
        {
            "region": region,
            **region_page_data(region),
            "cards": rendered_cards(with_board_card_labels(page.items)),
            "has_more": page.next_cursor is not None,
            # This year's figures, as the region's board shows them.
            "figures": figures_total(
                period_named("this_year"), by="region", group_id=region.pk
            ),
        },
    )
