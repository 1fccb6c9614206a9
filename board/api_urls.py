"""The API's URLs, mounted at ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

app_name = "api"

router = SimpleRouter()
router.register("regions", api.RegionViewSet, basename="region")
router.register("departments", api.DepartmentViewSet, basename="department")
router.register("officials", api.OfficialViewSet, basename="official")
router.register("categories", api.CategoryViewSet, basename="category")
router.register("messages", api.MessageViewSet, basename="message")

urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="token"),
    path("me/", api.MeView.as_view(), name="me"),
    *router.urls,
]
