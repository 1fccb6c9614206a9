"""Browsing by place: the directory of officials and departments by region
(省 → 市 → 县), and each region's page. Being built (#14)."""

from django.http import Http404


def official_directory(request):
    raise Http404


def region_detail(request, region_id):
    raise Http404
