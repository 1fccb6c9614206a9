"""Feeds (RSS 2.0, Atom) and the sitemap: how readers and search engines
follow the public board (#13). These addresses are a public contract.

Feed readers and crawlers ask again and again without a session: every feed
and sitemap is kept by the page cache (board/page_cache.py) until a message
on the public board or the reference data changes, like the board itself.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from board import page_cache
from board.syndication import feeds
from board.syndication.sitemaps import SITEMAPS

app_name = "syndication"


def lists_version(request, **kwargs) -> list[str]:
    return [page_cache.LISTS]


cached = page_cache.cached_page(lists_version)

urlpatterns = [
    path("feeds/messages/rss/", cached(feeds.MessagesFeed()), name="messages_rss"),
    path(
        "feeds/messages/atom/", cached(feeds.MessagesAtomFeed()), name="messages_atom"
    ),
    path("feeds/replies/rss/", cached(feeds.RepliesFeed()), name="replies_rss"),
    path("feeds/replies/atom/", cached(feeds.RepliesAtomFeed()), name="replies_atom"),
    path(
        "feeds/officials/<id:official_id>/rss/",
        cached(feeds.OfficialMessagesFeed()),
        name="official_rss",
    ),
    path(
        "feeds/officials/<id:official_id>/atom/",
        cached(feeds.OfficialMessagesAtomFeed()),
        name="official_atom",
    ),
    path(
        "feeds/departments/<id:department_id>/rss/",
        cached(feeds.DepartmentMessagesFeed()),
        name="department_rss",
    ),
    path(
        "feeds/departments/<id:department_id>/atom/",
        cached(feeds.DepartmentMessagesAtomFeed()),
        name="department_atom",
    ),
    path(
        "feeds/regions/<id:region_id>/rss/",
        cached(feeds.RegionMessagesFeed()),
        name="region_rss",
    ),
    path(
        "feeds/regions/<id:region_id>/atom/",
        cached(feeds.RegionMessagesAtomFeed()),
        name="region_atom",
    ),
    path(
        "feeds/categories/<id:category_id>/rss/",
        cached(feeds.CategoryMessagesFeed()),
        name="category_rss",
    ),
    path(
        "feeds/categories/<id:category_id>/atom/",
        cached(feeds.CategoryMessagesAtomFeed()),
        name="category_atom",
    ),
    path(
        "sitemap.xml",
        cached(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "syndication:sitemap"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        cached(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]
