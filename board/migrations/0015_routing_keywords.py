"""Routing keywords on categories and departments, and those of the ten
categories migration 0002 created, so that routing suggestions work before
moderators have routed anything (board/routing_model.py)."""

from django.db import migrations, models

HELP = (
    "Words that point a message here, separated by commas, spaces or 、, "
    "e.g. 公交、路灯、红绿灯. Routing suggestions look for them in a draft."
)
CATEGORY_KEYWORDS = {
    "urban-construction": (
        "小区、物业、楼道、电梯、加装电梯、老旧小区、改造、工地、施工、拆迁、"
        "违建、违章建筑、交房、开发商、楼盘、房产证、购房、住房、公租房、"
        "漏水、维修基金、燃气、供暖、暖气、停车位、住建"
    ),
    "transport": (
        "公交、公交车、末班车、地铁、路灯、红绿灯、信号灯、路口、道路、马路、"
        "公路、堵车、拥堵、网约车、出租车、驾驶员、塌方、通村、高速、客运、"
        "车站、斑马线、人行道、共享单车、bus、traffic、road"
    ),
    "education": (
        "学校、小学、中学、初中、高中、幼儿园、招生、学区、划片、入学、学位、"
        "老师、教师、学生、孩子上学、补课、培训机构、校车、学费、食堂、中考、"
        "高考、教育、school"
    ),
    "health": (
        "医院、看病、挂号、医生、医保、报销、药、药店、疫苗、诊所、卫生院、"
        "卫生服务中心、住院、急诊、护士、体检、医疗、卫健、hospital、doctor"
    ),
    "environment": (
        "污染、排放、废气、臭味、异味、污水、排污、河道、黑臭、垃圾、焚烧、"
        "扬尘、油烟、环保、水质、空气、化工厂、噪声、生态、pollution"
    ),
    "labour-social-security": (
        "工资、欠薪、拖欠工资、社保、养老金、退休、劳动合同、加班、失业、就业、"
        "招聘、工伤、公积金、养老保险、辞退、劳动仲裁、农民工、人社、salary"
    ),
    "agriculture": (
        "农村、村民、种植、养殖、农田、耕地、土地流转、种粮、农业、化肥、种子、"
        "粮食、农产品、合作社、宅基地、灌溉、水渠、大棚、农机、果园、三农"
    ),
    "government-services": (
        "办事、办证、窗口、审批、证明、材料、户口、户籍、身份证、营业执照、"
        "政务、网上办、一网通办、排队、热线、12345、跑腿、不动产登记、办理"
    ),
    "public-security": (
        "派出所、警察、民警、报警、110、盗窃、小偷、诈骗、骗子、打架、斗殴、"
        "治安、赌博、传销、交警、酒驾、飙车、炸街、监控、police"
    ),
}


def add_keywords(apps, schema_editor):
    Category = apps.get_model("board", "Category")
    for slug, keywords in CATEGORY_KEYWORDS.items():
        Category.objects.filter(slug=slug, routing_keywords="").update(
            routing_keywords=keywords
        )


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0014_search_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="routing_keywords",
            field=models.TextField(
                blank=True, help_text=HELP, verbose_name="routing keywords"
            ),
        ),
        migrations.AddField(
            model_name="department",
            name="routing_keywords",
            field=models.TextField(
                blank=True, help_text=HELP, verbose_name="routing keywords"
            ),
        ),
        migrations.RunPython(add_keywords, migrations.RunPython.noop),
    ]
