from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/messages/<int:message_id>/", consumers.MessagePageConsumer.as_asgi()),
]
