"""Open data: the public record as streamed CSV and JSON Lines, without
personal data."""

from django.urls import path

from . import views

app_name = "open_data"

urlpatterns = [
    path("", views.index, name="index"),
    path(
        "<slug:dataset>.<slug:format_name>",
        views.export,
        name="export",
    ),
]
