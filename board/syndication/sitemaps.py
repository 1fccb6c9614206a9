"""The sitemap (#13): what search engines should find of the public board.

``/sitemap.xml`` is an index of one sitemap per section (``SITEMAPS``):
every message on the public board, every official's page, the board whole
and by region, and the statistics pages. The messages' section is a million
rows at full size: it is read as (id, updated_at) pairs, a range of ten
thousand ids to a page (``IdRangePaginator``), and its addresses are written
without resolving each one.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from board.models import Message, Official, Region

# Fewer than the protocol's 50,000: a page is read and rendered per request.
MESSAGES_PER_SITEMAP_PAGE = 10_000
# The statistics page's views (board/views/stats.py): "" is its default.
STATISTICS_BY = ("", "region", "department", "official")


class IdRangePaginator(Paginator):
    """Pages of ``per_page`` consecutive ids: page n holds the rows with ids
    in ((n - 1) × per_page, n × per_page], read along the primary key.

    Django's paginator counts every row and skips those before a page
    (OFFSET): at a million messages that is half a second a page, and the
    sitemap index counts them too. Here the highest id stands in for the
    count. A page holds fewer rows than ``per_page`` where ids belong to
    messages not on the public board, and may hold none.
    """

    @cached_property
    def count(self) -> int:
        highest = self.object_list.aggregate(highest=Max("pk"))["highest"]
        return highest or 0

    def page(self, number):
        number = self.validate_number(number)
        after = (number - 1) * self.per_page
        rows = self.object_list.filter(pk__gt=after, pk__lte=after + self.per_page)
        return self._get_page(rows, number, self)


class MessagesSitemap(Sitemap):
    """Every message on the public board, by id; ``lastmod`` is its last
    change (a reply, a status, a redaction)."""

    limit = MESSAGES_PER_SITEMAP_PAGE

    def __init__(self):
        # One reverse() for the page, not one per row.
        self.url_prefix = reverse("board:message_detail", args=[1]).removesuffix("1/")

    def items(self):
        return Message.objects.public().order_by("pk").values_list("pk", "updated_at")

    @property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self.items(), self.limit)

    def location(self, item) -> str:
        return f"{self.url_prefix}{item[0]}/"

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        # Sitemap's own would load every row to take their maximum.
        return Message.objects.public().aggregate(latest=Max("updated_at"))["latest"]


class OfficialsSitemap(Sitemap):
    """Every official's page: its figures and the messages addressed to it."""

    def items(self):
        return Official.objects.order_by("pk").only("pk")


class RegionsSitemap(Sitemap):
    """The board itself, then the board filtered by each region."""

    def items(self):
        return [None, *Region.objects.order_by("code").values_list("pk", flat=True)]

    def location(self, region_id) -> str:
        board = reverse("board:index")
        return board if region_id is None else f"{board}?region={region_id}"


class StatisticsSitemap(Sitemap):
    """The statistics page, overall and by region, department and official,
    and the open data page beside it."""

    changefreq = "daily"

    def items(self):
        return [*STATISTICS_BY, "open-data"]

    def location(self, by: str) -> str:
        if by == "open-data":
            return reverse("open_data:index")
        stats = reverse("board:stats")
        return f"{stats}?by={by}" if by else stats


# Classes, not instances: the sitemap views make one per request, and a
# sitemap keeps state of the page it is writing (``latest_lastmod``).
SITEMAPS = {
    "messages": MessagesSitemap,
    "officials": OfficialsSitemap,
    "regions": RegionsSitemap,
    "stats": StatisticsSitemap,
}
