"""The demo's fictional province: regions, departments and officials.

Keyed on natural keys (region code, department name per region, official name
per region), so seeding again changes nothing.
"""

import random

from board.models import Department, Official, Region

from . import text

# A fictional province: (code, parent code, level, name, English name).
REGIONS = [
    ("910000", None, 1, "江南省", "Jiangnan Province"),
    ("910100", "910000", 2, "临江市", "Linjiang"),
    ("910102", "910100", 3, "江北区", "Jiangbei District"),
    ("910103", "910100", 3, "滨江区", "Binjiang District"),
    ("910121", "910100", 3, "南屏县", "Nanping County"),
    ("910200", "910000", 2, "青山市", "Qingshan"),
    ("910202", "910200", 3, "翠屏区", "Cuiping District"),
    ("910221", "910200", 3, "石门县", "Shimen County"),
    ("910300", "910000", 2, "云湖市", "Yunhu"),
    ("910302", "910300", 3, "湖滨区", "Hubin District"),
    ("910321", "910300", 3, "桃源县", "Taoyuan County"),
    ("910322", "910300", 3, "白沙县", "Baisha County"),
]
# (category slug, name in cities and counties, name in the province, English)
DEPARTMENTS = [
    ("urban-construction", "住房和城乡建设局", "住房和城乡建设厅",
     "Housing and Urban-Rural Development Bureau"),
    ("transport", "交通运输局", "交通运输厅", "Transport Bureau"),
    ("education", "教育局", "教育厅", "Education Bureau"),
    ("health", "卫生健康委员会", "卫生健康委员会", "Health Commission"),
    ("environment", "生态环境局", "生态环境厅", "Ecology and Environment Bureau"),
    ("labour-social-security", "人力资源和社会保障局", "人力资源和社会保障厅",
     "Human Resources and Social Security Bureau"),
    ("agriculture", "农业农村局", "农业农村厅", "Agriculture and Rural Affairs Bureau"),
    ("government-services", "政务服务管理局", "政务服务管理局",
     "Government Services Administration"),
    ("public-security", "公安局", "公安厅", "Public Security Bureau"),
]  # fmt: skip
HEAD_TITLES_EN = {1: "Governor of %s", 2: "Mayor of %s", 3: "Head of %s"}
# Each city also has directors of these departments.
DIRECTED_DEPARTMENTS = ["transport", "urban-construction", "education"]


def seed_regions() -> list[Region]:
    regions = {}
    for code, parent_code, level, name, name_en in REGIONS:
        regions[code], _created = Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "level": level,
                "parent": regions.get(parent_code),
            },
        )
    for region in regions.values():
        is_province = region.level == Region.Level.PROVINCE
        for _slug, name, province_name, name_en in DEPARTMENTS:
            Department.objects.update_or_create(
                region=region,
                name=province_name if is_province else name,
                defaults={"name_en": name_en},
            )
    return list(regions.values())


def seed_officials(regions: list[Region]) -> Official:
    """Secretary and head of each region, three directors per city.

    Returns the first city's mayor, whom the demo official account plays.
    """
    mayor = None
    for region in regions:
        # Seeded by the region code, so every run picks the same names.
        names = iter(person_names(random.Random(region.code), 5))
        kind = region.name[-1]  # 省, 市, 区 or 县
        secretary_en = f"Party Secretary of {region.name_en}"
        head_en = HEAD_TITLES_EN[region.level] % region.name_en
        upsert_official(next(names), region, f"{region.name}{kind}委书记", secretary_en)
        head = upsert_official(next(names), region, f"{region.name}{kind}长", head_en)
        if region.level != Region.Level.CITY:
            continue
        mayor = mayor or head
        for slug, name, _province_name, name_en in DEPARTMENTS:
            if slug in DIRECTED_DEPARTMENTS:
                department = Department.objects.get(region=region, name=name)
                title_en = f"Director, {region.name_en} {name_en}"
                title = f"{region.name}{name}局长"
                upsert_official(next(names), region, title, title_en, department)
    return mayor


def upsert_official(name, region, title, title_en, department=None) -> Official:
    official, _created = Official.objects.update_or_create(
        name=name,
        region=region,
        defaults={
            "title": title,
            "title_en": title_en,
            "department": department,
            "is_active": True,
        },
    )
    return official


def person_names(rng: random.Random, count: int) -> list[str]:
    """``count`` different Chinese names."""
    names = []
    while len(names) < count:
        given = rng.choices(text.GIVEN_NAME_CHARACTERS, k=rng.choice((1, 2)))
        name = rng.choice(text.SURNAMES) + "".join(given)
        if name not in names:
            names.append(name)
    return names
