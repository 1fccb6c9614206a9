"""Open311 GeoReport v2, mounted at ``/open311/v2/``.

The format is the path's suffix. Any suffix reaches the views, so that one
the endpoint does not speak (``.html``) is an Open311 404 in JSON rather
than the site's page.
"""

from django.urls import re_path

from . import views

app_name = "open311"

FORMAT = r"\.(?P<format>[A-Za-z0-9]+)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FORMAT, views.ServiceListView.as_view(), name="services"),
    re_path(
        r"^services/(?P<service_code>[^/.]+)" + FORMAT,
        views.ServiceDefinitionView.as_view(),
        name="service",
    ),
    re_path(r"^requests" + FORMAT, views.RequestListView.as_view(), name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/.]+)" + FORMAT,
        views.RequestDetailView.as_view(),
        name="request",
    ),
]
