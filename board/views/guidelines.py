"""留言须知: the posting guidelines administrators keep. Being built (#14)."""

from django.http import Http404


def posting_guidelines(request):
    raise Http404
