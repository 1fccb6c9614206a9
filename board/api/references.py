"""The API's reference lists: regions, departments, officials and
categories, each given whole."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from board.models import Category, Department, Official, Region
from board.selectors import region_ancestor_ids
from board.serializers import (
    CategorySerializer,
    DepartmentSerializer,
    OfficialSerializer,
    RegionQuerySerializer,
    RegionSerializer,
)

from .common import validated


class ReferenceListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A short list, given whole."""

    pagination_class = None


@extend_schema(tags=["reference"])
class RegionViewSet(ReferenceListViewSet):
    """Provinces, cities and counties."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer


class ServingRegionMixin:
    """``?region=<id>`` keeps what serves that region: it or one above it."""

    def filter_by_region(self, queryset):
        query = validated(RegionQuerySerializer, self.request.query_params)
        region = query.validated_data.get("region")
        if region is None:
            return queryset
        return queryset.filter(region_id__in=region_ancestor_ids(region))


@extend_schema(tags=["reference"])
@extend_schema_view(list=extend_schema(parameters=[RegionQuerySerializer]))
class DepartmentViewSet(ServingRegionMixin, ReferenceListViewSet):
    """Departments that receive messages."""

    serializer_class = DepartmentSerializer

    def get_queryset(self):
        return self.filter_by_region(Department.objects.all())


@extend_schema(tags=["reference"])
@extend_schema_view(list=extend_schema(parameters=[RegionQuerySerializer]))
class OfficialViewSet(ServingRegionMixin, ReferenceListViewSet):
    """Officials who receive messages at present."""

    serializer_class = OfficialSerializer

    def get_queryset(self):
        return self.filter_by_region(Official.objects.filter(is_active=True))


@extend_schema(tags=["reference"])
class CategoryViewSet(ReferenceListViewSet):
    """The categories a citizen can choose."""

    queryset = Category.objects.filter(is_active=True)
    serializer_class = CategorySerializer
