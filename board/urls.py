from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("", views.board_index, name="index"),
    path("messages/new/", views.message_compose, name="compose"),
    path("messages/<int:message_id>/", views.message_detail, name="message_detail"),
    path(
        "messages/<int:message_id>/edit/", views.message_edit_view, name="message_edit"
    ),
    path(
        "messages/<int:message_id>/withdraw/",
        views.message_withdraw_view,
        name="message_withdraw",
    ),
    path("me/messages/", views.my_messages, name="my_messages"),
    path("officials/<int:official_id>/", views.official_detail, name="official_detail"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
