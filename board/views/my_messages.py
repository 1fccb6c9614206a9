"""My messages: a citizen's own messages, newest first, a page at a time."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from board.lifecycle import MessageStatus
from board.selectors import (
    board_page,
    for_cards,
    message_list_of_author,
    rendered_cards,
    with_card_labels,
)


@login_required
def my_messages(request):
    messages = for_cards(message_list_of_author(author=request.user))
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    page = board_page(messages, cursor=request.GET.get("cursor", ""))
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "board/my_messages.html",
        {
            "page": page,
            "cards": rendered_cards(with_card_labels(page.items)),
            "query": query.urlencode(),
            "has_cursor": bool(request.GET.get("cursor")),
            "status": status,
            "statuses": MessageStatus.choices,
        },
    )
