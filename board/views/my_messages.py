"""TODO docstring."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from board.lifecycle import MessageStatus
from board.selectors import (
    message_list_of_author,
)


@login_required
def my_messages(request):
    messages = message_list_of_author(author=request.user)
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    return render(
        request,
        "board/my_messages.html",
        {
            "messages_list": messages[:200],
            "status": status,
            "statuses": MessageStatus.choices,
        },
    )
