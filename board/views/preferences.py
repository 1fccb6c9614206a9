"""A reader's display preferences: 长辈模式 (elder mode). Being built (#14)."""

from django.http import Http404


def elder_mode_set(request):
    raise Http404
