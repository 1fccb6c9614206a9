"""RSS 2.0 and Atom feeds of the public board (#13): the newest messages, the
newest replies, and the newest messages to one official, handled by one
department, in one region (and the regions below it) or in one category.

A feed prints what the public reads and nothing else: messages on the public
board (``message_list_public``) in their public version (``shown_title``,
``shown_body_html``: a redaction's text, never the original), and published
replies of such messages in theirs. Twenty rows, newest first, read with the
few columns an item prints.

Each feed is an RSS class and its Atom subclass (``AtomFormat``). RSS
readers take a title for HTML, so the RSS classes escape titles (Django's
default, ticket #6533); Atom declares its titles plain text, so they are not.
A description is an HTML-escaped plain-text excerpt in both.
"""

from html import unescape
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from board.models import Category, Department, Message, Official, Region, Reply
from board.selectors import BoardFilters, message_list_public

FEED_SIZE = 20
# Characters of a message's or reply's text in an item's description.
EXCERPT_LENGTH = 300

# What a message item prints: its public title and text, its dates and its
# category's name. ``title``, ``body_html`` and ``is_redacted`` are read
# because ``shown_title``/``shown_body_html`` choose between the versions.
MESSAGE_ITEM_FIELDS = (
    "id",
    "title",
    "public_title",
    "body_html",
    "public_body_html",
    "is_redacted",
    "published_at",
    "updated_at",
    "category__name",
    "category__name_en",
)
REPLY_ITEM_FIELDS = (
    "id",
    "office",
    "office_en",
    "body_html",
    "public_body_html",
    "is_redacted",
    "published_at",
    "message__id",
    "message__title",
    "message__public_title",
    "message__is_redacted",
)


# --- Reads ---


def feed_messages(filters: BoardFilters) -> list[Message]:
    """The newest messages of the public board under ``filters``."""
    messages = (
        message_list_public(filters=filters)
        # The board's joins name the addressee and region on a card; an item
        # prints only the category.
        .select_related(None)
        .select_related("category")
        .only(*MESSAGE_ITEM_FIELDS)
    )
    return list(messages[:FEED_SIZE])


def feed_replies() -> list[Reply]:
    """The newest published replies to messages on the public board."""
    replies = (
        Reply.objects.published()
        .filter(published_at__isnull=False, message__in=Message.objects.public())
        .select_related("message")
        .only(*REPLY_ITEM_FIELDS)
        .order_by("-published_at", "-pk")
    )
    return list(replies[:FEED_SIZE])


def excerpt(html: str) -> str:
    """The start of a sanitised text as plain text, escaped for the HTML
    that a description is in both formats."""
    text = " ".join(unescape(strip_tags(html)).split())
    return escape(Truncator(text).chars(EXCERPT_LENGTH))


def board_filtered_url(**query) -> str:
    """The board filtered as a feed is (``/?region=3``): the feed's page."""
    return f"{reverse('board:index')}?{urlencode(query)}"


# --- Formats ---


class FeedFormat(Feed):
    """RSS 2.0; what every feed here shares."""

    feed_type = Rss201rev2Feed
    escapes_titles = True

    def author_name(self) -> str:
        return _("Zhitong")

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Atom's feed id defaults to the page the feed is about, which two
        # feeds (and each feed's two formats) share; the feed's own absolute
        # address is unique.
        feed.feed["id"] = feed.feed["feed_url"]
        return feed

    def shown_title(self, text: str) -> str:
        return escape(text) if self.escapes_titles else text


class AtomFormat:
    """The same feed in Atom: RSS's description is Atom's subtitle, and an
    Atom title is plain text."""

    feed_type = Atom1Feed
    escapes_titles = False

    def subtitle(self, obj) -> str:
        return self.description(obj)


# --- Messages ---


class MessagesFeed(FeedFormat):
    """The newest messages on the public board."""

    def title(self, obj) -> str:
        return _("Zhitong · newest messages")

    def link(self, obj) -> str:
        return reverse("board:index")

    def description(self, obj) -> str:
        return _(
            "The newest messages citizens wrote to officials and departments, "
            "published on the Zhitong message board after review."
        )

    def board_filters(self, obj) -> BoardFilters:
        return BoardFilters()

    def items(self, obj) -> list[Message]:
        return feed_messages(self.board_filters(obj))

    def item_title(self, message: Message) -> str:
        return self.shown_title(message.shown_title)

    def item_description(self, message: Message) -> str:
        return excerpt(message.shown_body_html)

    def item_link(self, message: Message) -> str:
        return message.get_absolute_url()

    def item_pubdate(self, message: Message):
        return message.published_at

    def item_updateddate(self, message: Message):
        # A message changes after publication (its status, a redaction).
        return max(message.updated_at, message.published_at)

    def item_categories(self, message: Message) -> list[str]:
        return [message.category.display_name]


class MessagesAtomFeed(AtomFormat, MessagesFeed):
    pass


class OfficialMessagesFeed(MessagesFeed):
    """The newest public messages addressed to one official."""

    def get_object(self, request, official_id):
        return get_object_or_404(Official, pk=official_id)

    def title(self, official: Official) -> str:
        return _("Zhitong · messages to %(name)s") % {"name": official.name}

    def link(self, official: Official) -> str:
        return official.get_absolute_url()

    def description(self, official: Official) -> str:
        return _("The newest public messages addressed to %(name)s (%(title)s).") % {
            "name": official.name,
            "title": official.display_title,
        }

    def board_filters(self, official: Official) -> BoardFilters:
        return BoardFilters(official=official)


class OfficialMessagesAtomFeed(AtomFormat, OfficialMessagesFeed):
    pass


class DepartmentMessagesFeed(MessagesFeed):
    """The newest public messages a department handles: addressed to it or
    to one of its officials."""

    def get_object(self, request, department_id):
        return get_object_or_404(
            Department.objects.select_related("region"), pk=department_id
        )

    def title(self, department: Department) -> str:
        return _("Zhitong · messages handled by %(department)s") % {
            "department": department
        }

    def link(self, department: Department) -> str:
        return board_filtered_url(department=department.pk)

    def description(self, department: Department) -> str:
        return _(
            "The newest public messages addressed to %(department)s or to "
            "one of its officials."
        ) % {"department": department}

    def board_filters(self, department: Department) -> BoardFilters:
        return BoardFilters(department=department)


class DepartmentMessagesAtomFeed(AtomFormat, DepartmentMessagesFeed):
    pass


class RegionMessagesFeed(MessagesFeed):
    """The newest public messages about a region and the regions below it."""

    def get_object(self, request, region_id):
        return get_object_or_404(Region, pk=region_id)

    def title(self, region: Region) -> str:
        return _("Zhitong · messages in %(region)s") % {"region": region.display_name}

    def link(self, region: Region) -> str:
        return board_filtered_url(region=region.pk)

    def description(self, region: Region) -> str:
        return _(
            "The newest public messages about %(region)s and the places in it."
        ) % {"region": region.display_name}

    def board_filters(self, region: Region) -> BoardFilters:
        return BoardFilters(region=region)


class RegionMessagesAtomFeed(AtomFormat, RegionMessagesFeed):
    pass


class CategoryMessagesFeed(MessagesFeed):
    """The newest public messages in one category (领域)."""

    def get_object(self, request, category_id):
        return get_object_or_404(Category, pk=category_id)

    def title(self, category: Category) -> str:
        return _("Zhitong · messages about %(category)s") % {
            "category": category.display_name
        }

    def link(self, category: Category) -> str:
        return board_filtered_url(category=category.pk)

    def description(self, category: Category) -> str:
        return _("The newest public messages in the category %(category)s.") % {
            "category": category.display_name
        }

    def board_filters(self, category: Category) -> BoardFilters:
        return BoardFilters(category=category)


class CategoryMessagesAtomFeed(AtomFormat, CategoryMessagesFeed):
    pass


# --- Replies ---


class RepliesFeed(FeedFormat):
    """The newest replies officials and departments published to messages
    on the public board."""

    def title(self, obj) -> str:
        return _("Zhitong · newest replies")

    def link(self, obj) -> str:
        return reverse("board:index")

    def description(self, obj) -> str:
        return _(
            "The newest replies of officials and departments to public "
            "messages on the Zhitong message board."
        )

    def items(self, obj) -> list[Reply]:
        return feed_replies()

    def item_title(self, reply: Reply) -> str:
        return self.shown_title(
            _("%(office)s replied: %(title)s")
            % {"office": reply.display_office, "title": reply.message.shown_title}
        )

    def item_description(self, reply: Reply) -> str:
        return excerpt(reply.shown_body_html)

    def item_link(self, reply: Reply) -> str:
        return f"{reply.message.get_absolute_url()}#reply-{reply.pk}"

    def item_author_name(self, reply: Reply) -> str:
        # The office the reply was published under: public, not a person.
        return reply.display_office

    def item_pubdate(self, reply: Reply):
        return reply.published_at

    def item_updateddate(self, reply: Reply):
        # A published reply is never edited; a correction is a reply of its
        # own.
        return reply.published_at


class RepliesAtomFeed(AtomFormat, RepliesFeed):
    pass
