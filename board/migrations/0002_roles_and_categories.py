"""The four roles as groups, and the ten categories the board starts with."""

from django.db import migrations

ROLES = ["citizen", "moderator", "official", "admin"]
CATEGORIES = [
    ("urban-construction", "城乡建设", "Urban and rural construction"),
    ("transport", "交通出行", "Transport"),
    ("education", "教育", "Education"),
    ("health", "医疗卫生", "Health care"),
    ("environment", "环境保护", "Environmental protection"),
    ("labour-social-security", "劳动社保", "Labour and social security"),
    ("agriculture", "三农", "Agriculture and rural affairs"),
    ("government-services", "政务服务", "Government services"),
    ("public-security", "治安", "Public security"),
    ("other", "其他", "Other"),
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Category = apps.get_model("board", "Category")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    for order, (slug, name, name_en) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
