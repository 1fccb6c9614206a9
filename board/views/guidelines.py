"""留言须知: the posting guidelines administrators keep, for everyone to read
before writing (the compose page links here and shows them inline)."""

from django.http import Http404
from django.shortcuts import render

from board import page_cache
from board.selectors.guidelines import GUIDELINES_VERSION, posting_guidelines_shown


def guidelines_versions(request, **kwargs) -> list[str]:
    return [GUIDELINES_VERSION]


@page_cache.cached_page(guidelines_versions)
def posting_guidelines(request):
    guidelines = posting_guidelines_shown()
    if guidelines is None:
        raise Http404
    return render(request, "board/guidelines.html", {"guidelines": guidelines})
