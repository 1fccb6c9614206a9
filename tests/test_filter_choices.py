"""The filter forms' selects: rendered without Django's widget templates, the
long lists kept in the cache per language, and an admin's edit shown at once
(board/forms/widgets.py, board/filter_choices.py)."""

import pytest
from django import forms
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from board import filter_choices
from board.forms import BoardFilterForm, InboxFilterForm
from board.models import Category, Official, Region
from board.selectors import region_descendant_ids
from moderation.forms import QueueFilterForm
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    OfficialFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

API_LIST = "/api/v1/messages/"


@pytest.fixture
def reference_data():
    """A province with a city, a county and departments; officials, one of
    a department and one inactive; a category whose name needs escaping."""
    province = RegionFactory(name="江南省", name_en="Jiangnan")
    city = RegionFactory(parent=province, name="临江市", name_en="Linjiang")
    county = RegionFactory(parent=city, name="南屏县", name_en="")
    department = DepartmentFactory(region=city, name="交通运输局", name_en="")
    DepartmentFactory(region=county, name="教育局", name_en="Education")
    OfficialFactory(region=city, name="张三", department=department)
    OfficialFactory(region=county, name="李四", title_en="")
    OfficialFactory(region=county, name="王五", is_active=False)
    CategoryFactory(slug="quotes", name="“引号” & <标记>", name_en="Quotes & 'marks'")
    return {"province": province, "city": city, "county": county}


def with_django_selects(form: forms.Form) -> forms.Form:
    """The same form with Django's own ``Select`` on every select."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget = forms.Select(attrs=field.widget.attrs, choices=field.choices)
    return form


FORMS = [BoardFilterForm, InboxFilterForm, QueueFilterForm]


def form_data(reference_data, case: str) -> dict | None:
    if case == "unbound":
        return None
    if case == "chosen":
        return {
            "region": str(reference_data["city"].pk),
            "official": str(Official.objects.get(name="张三").pk),
            "category": str(Category.objects.get(slug="quotes").pk),
            "kind": "complaint",
            "status": "replied",
            "due": "near",
            "sort": "support",
        }
    # Invalid values are ignored, but the fields say so (aria-invalid).
    return {"region": "abc", "official": "999999", "kind": "x", "status": "<b>"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", ["unbound", "chosen", "invalid"])
@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__name__)
def test_selects_render_as_djangos_widget_does(
    reference_data, form_class, case, language
):
    with translation.override(language):
        data = form_data(reference_data, case)
        ours = form_class(data)
        django = with_django_selects(form_class(data))
        if data is not None:
            assert ours.is_valid() is django.is_valid()
        # Every field but the search box (a text input) is a select.
        for name, field in ours.fields.items():
            if name == "q":
                continue
            assert isinstance(field.widget, forms.Select)
            assert str(ours[name]) == str(django[name])
            assert ours[name].id_for_label == django[name].id_for_label


def test_the_board_page_shows_the_same_filter_form(client, reference_data):
    city = reference_data["city"]
    response = client.get("/", {"region": city.pk, "sort": "support"})
    html = response.content.decode()
    expected = with_django_selects(
        BoardFilterForm({"region": str(city.pk), "sort": "support"})
    )
    expected.is_valid()
    for field in expected:
        assert f'<label for="{field.id_for_label}">{field.label}</label>' in html
        assert str(field) in html
    assert f'<option value="{city.pk}" selected>' in html


def test_validation_is_unchanged(reference_data):
    form = BoardFilterForm({"region": str(reference_data["county"].pk)})
    assert form.is_valid()
    assert form.cleaned_data["region"] == reference_data["county"]
    inactive = Official.objects.get(name="王五")
    form = BoardFilterForm({"official": str(inactive.pk)})
    assert not form.is_valid()
    assert "official" in form.errors


# --- The cache ---


@pytest.fixture
def cached_lists(reference_data_kept):
    """The lists' cache on, starting from a new version."""


def rendered(form_class=BoardFilterForm, data=None) -> str:
    return "".join(str(field) for field in form_class(data))


def test_the_lists_are_read_once_per_language(
    reference_data, cached_lists, django_assert_num_queries
):
    with django_assert_num_queries(4):  # regions, officials, departments, categories
        chinese = rendered()
    with django_assert_num_queries(0):
        assert rendered() == chinese
    with translation.override("en"):
        with django_assert_num_queries(4):
            english = rendered()
        with django_assert_num_queries(0):
            assert rendered() == english
    assert "Linjiang" in english
    assert "Linjiang" not in chinese


def test_a_cached_list_still_marks_the_chosen_value(reference_data, cached_lists):
    rendered()
    county = reference_data["county"]
    html = str(BoardFilterForm({"region": str(county.pk)})["region"])
    assert f'<option value="{county.pk}" selected>' in html
    assert html.count(" selected") == 1


def test_an_admin_edit_of_a_region_shows_at_once(
    admin_client, reference_data, cached_lists, django_capture_on_commit_callbacks
):
    city = reference_data["city"]
    assert "临江市" in admin_client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:board_region_change", args=[city.pk]),
            {
                "name": "新临江市",
                "name_en": "New Linjiang",
                "parent": reference_data["province"].pk,
                "level": Region.Level.CITY,
                "code": city.code,
            },
        )
    assert response.status_code == 302
    html = admin_client.get("/").content.decode()
    assert f'<option value="{city.pk}">\u3000新临江市</option>' in html
    # A department's label names its region.
    assert "新临江市 交通运输局" in html


def test_an_admin_edit_of_a_category_shows_at_once(
    admin_client, reference_data, cached_lists, django_capture_on_commit_callbacks
):
    category = CategoryFactory(slug="roads", name="道路", name_en="Roads")
    rendered()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:board_category_change", args=[category.pk]),
            {
                "name": "道路交通",
                "name_en": "Roads and traffic",
                "slug": "roads",
                "sort_order": 0,
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    assert f'<option value="{category.pk}">道路交通</option>' in rendered()


def test_an_edit_of_an_official_shows_at_once(
    reference_data, cached_lists, django_capture_on_commit_callbacks
):
    official = Official.objects.get(name="张三")
    assert "张三" in rendered()
    with django_capture_on_commit_callbacks(execute=True):
        official.is_active = False
        official.save()
        OfficialFactory(region=reference_data["county"], name="赵六")
    html = rendered()
    assert "张三" not in html
    assert "赵六" in html


def test_a_deleted_region_leaves_the_list(
    reference_data, cached_lists, django_capture_on_commit_callbacks
):
    province = RegionFactory(name="空省", name_en="Empty")
    assert "空省" in rendered()
    with django_capture_on_commit_callbacks(execute=True):
        province.delete()
    assert "空省" not in rendered()


def test_the_lists_are_read_afresh_once_a_change_commits(
    reference_data, cached_lists, django_capture_on_commit_callbacks
):
    """Until the commit the version stays (other readers cannot see the
    change yet); after it, the lists are read again."""
    rendered()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        RegionFactory(name="新区", name_en="New District")
    assert "新区" not in rendered()
    for callback in callbacks:
        callback()
    assert "新区" in rendered()


@pytest.mark.parametrize("form_class", [InboxFilterForm, QueueFilterForm])
def test_the_inbox_and_queue_filters_use_the_cache_too(
    reference_data, cached_lists, form_class, django_assert_num_queries
):
    rendered(form_class)
    with django_assert_num_queries(0):
        rendered(form_class)


def test_an_edit_made_by_another_process_shows_at_the_next_request(
    reference_data, cached_lists
):
    """The lists are kept in each process; the version that says they are
    current is shared in the cache. Another process's edit moves it."""
    rendered()
    Region.objects.filter(pk=reference_data["city"].pk).update(name="远方市")
    assert "远方市" not in rendered()  # an update() sends no signal

    filter_choices._bump_now()  # what the other process's commit does

    assert "远方市" in rendered()


def test_a_list_kept_longer_than_its_time_is_read_again(
    reference_data, cached_lists, monkeypatch, django_assert_num_queries
):
    rendered()
    Region.objects.filter(pk=reference_data["city"].pk).update(name="远方市")
    later = filter_choices.monotonic() + filter_choices.cache_seconds() + 1
    monkeypatch.setattr(filter_choices, "monotonic", lambda: later)

    with django_assert_num_queries(4):
        assert "远方市" in rendered()


# --- The chosen rows, found among the kept ones ---


def chosen_data(reference_data) -> dict:
    return {
        "region": str(reference_data["province"].pk),
        "official": str(Official.objects.get(name="张三").pk),
        "category": str(Category.objects.get(slug="quotes").pk),
    }


def test_the_board_filters_find_the_chosen_rows_without_a_query(
    reference_data, cached_lists, django_assert_num_queries
):
    data = chosen_data(reference_data)
    first = BoardFilterForm(data)
    assert first.is_valid()
    with django_assert_num_queries(0):
        again = BoardFilterForm(data)
        assert again.is_valid()
    assert again.cleaned_data == first.cleaned_data
    assert again.cleaned_data["region"] == reference_data["province"]


@pytest.mark.parametrize(
    "data",
    [
        {"official": "999999"},
        {"region": "abc"},
        {"region": "-1"},
        {"category": "99999999999999999999"},
    ],
    ids=["unknown", "not a number", "negative", "too long"],
)
def test_kept_rows_refuse_what_a_query_refuses(reference_data, settings, data):
    settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 0
    queried = BoardFilterForm(data)
    assert not queried.is_valid()
    settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 300
    cache.delete(filter_choices.VERSION_KEY)
    kept = BoardFilterForm(data)
    assert not kept.is_valid()
    assert kept.errors == queried.errors


def test_an_inactive_official_is_refused_from_the_kept_rows(
    reference_data, cached_lists, django_capture_on_commit_callbacks
):
    official = Official.objects.get(name="张三")
    assert BoardFilterForm({"official": str(official.pk)}).is_valid()
    with django_capture_on_commit_callbacks(execute=True):
        official.is_active = False
        official.save()
    assert "official" in BoardFilterForm({"official": str(official.pk)}).errors


def test_a_new_district_is_on_its_provinces_board_once_committed(
    client, reference_data, cached_lists, django_capture_on_commit_callbacks
):
    """The board of a province lists its districts' messages from the tree
    each process keeps; a district added under it joins at once."""
    province, city, county = (reference_data[k] for k in ("province", "city", "county"))
    assert region_descendant_ids(province.pk) == [province.pk, city.pk, county.pk]
    with django_capture_on_commit_callbacks(execute=True):
        district = RegionFactory(parent=county, name="新镇", name_en="New Town")
    assert region_descendant_ids(province.pk) == [
        province.pk,
        city.pk,
        county.pk,
        district.pk,
    ]
    assert region_descendant_ids(city.pk) == [city.pk, county.pk, district.pk]
    assert region_descendant_ids(district.pk) == [district.pk]


def test_the_apis_filters_find_the_chosen_rows_without_a_query(
    client, reference_data, cached_lists
):
    data = {**chosen_data(reference_data), "kind": "complaint"}
    assert client.get(API_LIST, data).status_code == 200
    for category in (data["category"], "quotes"):  # by id, then by slug
        with CaptureQueriesContext(connection) as queries:
            response = client.get(API_LIST, {**data, "category": category})
        assert response.status_code == 200
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        # The list's own query joins nothing; the filters read no table.
        for table in ("board_region", "board_official", "board_category"):
            assert f'FROM "{table}"' not in sql


@pytest.mark.parametrize(
    ("field", "value"),
    [("region", "999999"), ("official", "999999"), ("category", "no-such-slug")],
)
def test_the_api_names_an_unknown_filter_from_the_kept_rows(
    client, reference_data, cached_lists, field, value
):
    response = client.get(API_LIST, {field: value})
    assert response.status_code == 400
    assert field in response.json()
