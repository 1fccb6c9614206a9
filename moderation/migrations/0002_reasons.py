"""The rejection and hiding reasons; their codes are part of the API."""

from django.db import migrations

REASONS = [
    (
        "duplicate",
        "重复留言",
        "Duplicate",
        "该留言与已有留言内容重复，请关注原留言的办理进展。",
        "This message repeats one already on the board; please follow the original.",
    ),
    (
        "out_of_scope",
        "不属于受理范围",
        "Out of scope",
        "该留言涉及的事项不属于本平台受理范围，如涉及诉讼、仲裁等，请通过相应法定途径反映。",
        "The matter is outside what this board handles; court or arbitration matters "
        "go through their own legal channels.",
    ),
    (
        "abusive",
        "含有辱骂或人身攻击",
        "Abusive",
        "留言含有辱骂、人身攻击或歧视性内容。欢迎您修改后重新提交。",
        "The message contains abuse, personal attacks or discrimination. You are "
        "welcome to submit it again without them.",
    ),
    (
        "advertising",
        "广告或垃圾信息",
        "Advertising or spam",
        "留言含有广告、推销或与反映问题无关的信息。",
        "The message contains advertising or content unrelated to a public matter.",
    ),
    (
        "personal_data",
        "含有他人个人信息",
        "Personal data",
        "留言公开了他人的身份证号、手机号等个人信息，为保护隐私未予公开。",
        "The message discloses other people's personal data (ID or phone numbers); "
        "it was not published to protect their privacy.",
    ),
    (
        "illegal",
        "含有违法内容",
        "Illegal content",
        "留言含有违反法律法规的内容。",
        "The message contains content that breaks the law.",
    ),
    (
        "other",
        "其他原因",
        "Other",
        "审核员在备注中说明了具体原因。",
        "The moderator explains the reason in the note.",
    ),
]


def create(apps, schema_editor):
    ModerationReason = apps.get_model("moderation", "ModerationReason")
    for order, (code, title, title_en, explanation, explanation_en) in enumerate(
        REASONS
    ):
        ModerationReason.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "title_en": title_en,
                "explanation": explanation,
                "explanation_en": explanation_en,
                "requires_note": code == "other",
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
