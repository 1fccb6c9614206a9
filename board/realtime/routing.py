"""WebSocket URLs: the live message page and the notification socket."""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/messages/<int:message_id>/", consumers.MessagePageConsumer.as_asgi()),
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
]
