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
# What points a message to each department (Department.routing_keywords),
# until moderators' routing teaches board/routing_model.py more.
DEPARTMENT_KEYWORDS = {
    "urban-construction": "住建、小区、物业、楼道、加装电梯、老旧小区改造、工地、"
    "施工、违建、交房、开发商、房产证、公租房、停车位",
    "transport": "交通、公交、末班车、路灯、红绿灯、路口、道路、公路、堵车、"
    "网约车、出租车、塌方、客运、斑马线",
    "education": "教育、学校、小学、中学、幼儿园、招生、学区、划片、入学、"
    "老师、学生、培训机构、校车",
    "health": "卫健、医院、看病、挂号、医生、医保、疫苗、卫生院、住院、急诊、医疗",
    "environment": "环保、生态环境、污染、排放、臭味、异味、污水、排污、河道、"
    "黑臭、焚烧、扬尘、油烟",
    "labour-social-security": "人社、工资、欠薪、社保、养老金、退休、劳动合同、"
    "加班、失业、就业、工伤、公积金、劳动仲裁",
    "agriculture": "农业、农村、村民、种植、养殖、农田、耕地、土地流转、种粮、"
    "化肥、农产品、合作社、灌溉",
    "government-services": "政务服务、办事、办证、窗口、审批、证明、户口、户籍、"
    "营业执照、一网通办、排队、热线、12345",
    "public-security": "公安、派出所、警察、民警、报警、盗窃、小偷、诈骗、打架、"
    "治安、赌博、交警、酒驾、飙车",
}
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
        for slug, name, province_name, name_en in DEPARTMENTS:
            Department.objects.update_or_create(
                region=region,
                name=province_name if is_province else name,
                defaults={
                    "name_en": name_en,
                    "routing_keywords": DEPARTMENT_KEYWORDS[slug],
                },
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
