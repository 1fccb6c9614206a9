"""The shapes of the reference lists: regions, departments, officials and
categories, and the ``?region=`` filter of the lists that serve a region."""

from rest_framework import serializers

from board.models import Category, Department, Official, Region

from .fields import IdField


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "name_en", "level", "parent", "code"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "name_en", "region"]


class OfficialSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Official
        fields = ["id", "name", "title", "title_en", "region", "department", "url"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "slug", "name", "name_en"]


class RegionQuerySerializer(serializers.Serializer):
    """``?region=<id>``: what serves this region (it or a region above it)."""

    region = IdField(queryset=Region.objects.all(), required=False)
