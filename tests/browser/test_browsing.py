"""A visitor browses by place: the directory, a province, a city, an
official, back to a region's page; on a phone the board's filters open
from one 筛选 button. Screenshots at 390 and 1280 px in Chinese and English
go to /tmp/shots_browsing/."""

import tempfile
from pathlib import Path

import pytest

from board.lifecycle import MessageStatus
from board.models import Rating, Region
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    ReplyFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots_browsing"


@pytest.fixture
def places(db):
    province = RegionFactory(
        name="江南省", name_en="Jiangnan", level=Region.Level.PROVINCE
    )
    city = RegionFactory(
        name="江州市", name_en="Jiangzhou", parent=province, level=Region.Level.CITY
    )
    county = RegionFactory(
        name="清河县", name_en="Qinghe", parent=city, level=Region.Level.COUNTY
    )
    department = DepartmentFactory(name="交通运输局", name_en="Transport", region=city)
    mayor = OfficialFactory(
        name="李明", title="江州市市长", title_en="Mayor of Jiangzhou", region=city
    )
    OfficialFactory(
        name="周华",
        title="交通运输局局长",
        title_en="Director of Transport",
        region=city,
        department=department,
    )
    OfficialFactory(
        name="赵强", title="清河县县长", title_en="Head of Qinghe", region=county
    )
    category = CategoryFactory(slug="transport", name="交通出行", name_en="Transport")
    # Older than the replied message, which comes first.
    for number in range(24):
        MessageFactory(
            title=f"清河县第{number + 1}号路灯不亮",
            body="路灯坏了两周，晚上很黑，请尽快修理。",
            region=county if number % 2 else city,
            addressee_official=mayor,
            category=category,
            support_count=number % 3,
        )
    author = UserFactory(username="wangfang", display_name="王芳", citizen=True)
    replied = MessageFactory(
        title="江州大道公交站台顶棚损坏，雨天无法候车，请问何时修复？",
        body="江州大道与人民路交叉口的公交站台顶棚损坏已有三个月。" * 5,
        author=author,
        region=city,
        addressee_official=mayor,
        category=category,
        status=MessageStatus.REPLIED,
        support_count=12,
    )
    reply = ReplyFactory(message=replied, is_final=True)
    replied.final_reply_at = reply.created_at
    replied.save()
    Rating.objects.create(
        message=replied,
        reply=reply,
        attitude=5,
        speed=4,
        resolved=5,
        overall="satisfied",
    )
    return {"province": province, "city": city, "mayor": mayor}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_visitor_browses_from_province_to_official_and_back(
    live_server, new_page, places
):
    page = new_page()
    page.goto(live_server.url + "/officials/")
    province = page.locator("details.directory-province").first
    # The only province is open from the start; a city is one click away.
    assert province.get_attribute("open") is not None
    page.get_by_text("江州市", exact=True).first.click()
    shoot(page, "directory-zh-1280")
    page.get_by_role("link", name="李明").first.click()
    page.wait_for_url(f"**/officials/{places['mayor'].pk}/")
    assert "李明" in page.locator("h1").inner_text()
    page.go_back()
    city = page.locator("details.directory-city").first
    if city.get_attribute("open") is None:
        city.locator("> summary").click()
    city.locator("> .directory-entry .directory-region-link").click()
    page.wait_for_url(f"**/regions/{places['city'].pk}/")
    assert page.locator("h1").inner_text().startswith("江州市")
    assert page.locator(".region-messages .message-card").count() == 10
    assert "王**" in page.content() and "王芳" not in page.content()
    shoot(page, "region-zh-1280")
    # Up to the province by the breadcrumbs.
    page.locator(".breadcrumbs").get_by_role("link", name="江南省").click()
    page.wait_for_url(f"**/regions/{places['province'].pk}/")


def test_the_filters_wait_behind_one_button_on_a_phone(live_server, new_page, places):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    form = page.locator("form.filters")
    button = page.locator("summary.filters-summary")
    assert button.is_visible()
    assert button.bounding_box()["height"] >= 44
    assert form.is_hidden()
    # The first message is on the first screen, not after seven boxes.
    first_card = page.locator(".message-card").first.bounding_box()
    assert first_card["y"] < 844
    assert fits(page)
    shoot(page, "board-zh-390")
    button.click()
    assert form.is_visible()
    shoot(page, "board-zh-390-filters")
    page.locator("select[name=region]").select_option(str(places["city"].pk))
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/?*region=*")
    # Closed again, saying that filters are on; the list comes first.
    assert form.is_hidden()
    assert page.locator("summary.filters-summary .filters-active").is_visible()
    assert page.locator(".message-card").count() == 20


def test_the_filters_are_open_on_a_wide_screen(live_server, new_page, places):
    page = new_page()
    page.goto(live_server.url + "/")
    assert page.locator("form.filters").is_visible()
    assert page.locator("summary.filters-summary").is_hidden()
    shoot(page, "board-zh-1280")


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_new_pages_fit_each_width_in_each_language(
    live_server, new_page, places, locale, width
):
    page = new_page(locale)
    page.set_viewport_size({"width": width, "height": 900})
    language = "zh" if locale == "zh-CN" else "en"
    for name, path in [
        ("board", "/"),
        ("directory", "/officials/"),
        ("region", f"/regions/{places['city'].pk}/"),
        ("official", f"/officials/{places['mayor'].pk}/"),
    ]:
        page.goto(live_server.url + path)
        if name == "directory":
            page.evaluate(
                "document.querySelectorAll('details').forEach(d => d.open = true)"
            )
        assert fits(page), f"{name} scrolls sideways at {width} px ({locale})"
        shoot(page, f"{name}-{language}-{width}")
