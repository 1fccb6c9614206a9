"""Regions, departments, officials and categories: the lists a client needs."""

import pytest

from board.models import Category
from tests.factories import DepartmentFactory, OfficialFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    """A province with a city and a county below it, and another province."""
    province = RegionFactory(name="浙江省", name_en="Zhejiang")
    city = RegionFactory(parent=province, name="杭州市", name_en="Hangzhou")
    county = RegionFactory(parent=city, name="西湖区", name_en="Xihu")
    elsewhere = RegionFactory(name="江苏省", name_en="Jiangsu")
    return province, city, county, elsewhere


def ids(response):
    return {item["id"] for item in response.json()}


def test_regions(api_client, regions):
    province, city, county, _elsewhere = regions

    response = api_client.get("/api/v1/regions/")

    assert response.status_code == 200
    by_id = {item["id"]: item for item in response.json()}
    assert set(by_id) == {region.pk for region in regions}
    assert by_id[county.pk] == {
        "id": county.pk,
        "name": "西湖区",
        "name_en": "Xihu",
        "level": 3,
        "parent": city.pk,
        "code": county.code,
    }
    assert by_id[province.pk]["parent"] is None


def test_departments(api_client, regions):
    department = DepartmentFactory(
        region=regions[0], name="交通厅", name_en="Transport"
    )

    response = api_client.get("/api/v1/departments/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": department.pk,
            "name": "交通厅",
            "name_en": "Transport",
            "region": regions[0].pk,
        }
    ]


def test_departments_serving_a_region_include_those_above(api_client, regions):
    province, city, county, elsewhere = regions
    at_province = DepartmentFactory(region=province)
    at_city = DepartmentFactory(region=city)
    DepartmentFactory(region=elsewhere)

    response = api_client.get("/api/v1/departments/", {"region": county.pk})

    assert response.status_code == 200
    assert ids(response) == {at_province.pk, at_city.pk}


def test_officials_active_only_with_page_url(api_client, regions):
    province = regions[0]
    department = DepartmentFactory(region=province)
    official = OfficialFactory(
        region=province, department=department, name="王明", title="厅长"
    )
    OfficialFactory(region=province, is_active=False)

    response = api_client.get("/api/v1/officials/")

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == official.pk
    assert item["name"] == "王明"
    assert item["title"] == "厅长"
    assert item["region"] == province.pk
    assert item["department"] == department.pk
    assert item["url"] == official.get_absolute_url()
    assert item["url"] == f"/officials/{official.pk}/"


def test_officials_serving_a_region(api_client, regions):
    province, city, county, elsewhere = regions
    governor = OfficialFactory(region=province)
    mayor = OfficialFactory(region=city)
    OfficialFactory(region=elsewhere)

    by_county = api_client.get("/api/v1/officials/", {"region": county.pk})
    by_province = api_client.get("/api/v1/officials/", {"region": province.pk})

    assert ids(by_county) == {governor.pk, mayor.pk}
    assert ids(by_province) == {governor.pk}


@pytest.mark.parametrize("path", ["/api/v1/officials/", "/api/v1/departments/"])
@pytest.mark.parametrize("value", ["abc", "999999", "-1", "99999999999999999999999"])
def test_invalid_region_is_400_naming_it(api_client, path, value):
    response = api_client.get(path, {"region": value})

    assert response.status_code == 400
    assert "region" in response.json()


def test_categories_active_only(api_client):
    Category.objects.filter(slug="other").update(is_active=False)

    response = api_client.get("/api/v1/categories/")

    assert response.status_code == 200
    slugs = [item["slug"] for item in response.json()]
    assert "transport" in slugs
    assert "other" not in slugs
    assert len(slugs) == Category.objects.filter(is_active=True).count() == 9
    transport = next(item for item in response.json() if item["slug"] == "transport")
    assert transport == {
        "id": Category.objects.get(slug="transport").pk,
        "slug": "transport",
        "name": "交通出行",
        "name_en": "Transport",
    }


def test_lists_are_not_paginated(api_client, regions):
    response = api_client.get("/api/v1/regions/")

    assert isinstance(response.json(), list)
