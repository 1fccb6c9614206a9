"""The delay notice shown while the review queue is behind its deadline."""

from django.db import migrations


def create(apps, schema_editor):
    SiteNotice = apps.get_model("moderation", "SiteNotice")
    if not SiteNotice.objects.exists():
        SiteNotice.objects.create(
            text="近期留言较多，审核时间可能超过 24 小时，敬请谅解。"
            "您的留言审核后我们会第一时间通知您。",
            text_en="We are receiving many messages: review may take longer than "
            "24 hours. We will tell you as soon as yours has been reviewed.",
            is_active=True,
        )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_reasons")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
