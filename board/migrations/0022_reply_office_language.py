# Replies are published under the office's name in the reader's language:
# Reply.office_en beside Reply.office, and existing replies rewritten from
# the person ("name · title") to the office, in both languages.

from django.db import migrations, models

OFFICE_MAX_LENGTH = 120


def _department_names(department):
    region = department.region
    chinese = f"{region.name} {department.name}"
    english = f"{region.name_en or region.name} {department.name_en or department.name}"
    return chinese[:OFFICE_MAX_LENGTH], english[:OFFICE_MAX_LENGTH]


def _office_names(reply, Official):
    """The rule of board.actions.replies._office, on the historical models."""
    official = (
        Official.objects.filter(user_id=reply.author_id)
        .select_related("department__region")
        .first()
    )
    message = reply.message
    if official is not None:
        department = official.department
    elif message.addressee_department_id is not None:
        department = message.addressee_department
    elif message.addressee_official_id is not None:
        department = message.addressee_official.department
    else:
        department = None
    if department is not None:
        return _department_names(department)
    official = official or message.addressee_official
    if official is not None:
        return official.title, official.title_en or official.title
    return "办理单位", "The handling office"


def offices_in_both_languages(apps, schema_editor):
    Reply = apps.get_model("board", "Reply")
    Official = apps.get_model("board", "Official")
    replies = Reply.objects.select_related(
        "message__addressee_department__region",
        "message__addressee_official__department__region",
    )
    changed = []
    for reply in replies.iterator(chunk_size=500):
        reply.office, reply.office_en = _office_names(reply, Official)
        changed.append(reply)
        if len(changed) >= 500:
            Reply.objects.bulk_update(changed, ["office", "office_en"])
            changed = []
    Reply.objects.bulk_update(changed, ["office", "office_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0021_default_guidelines"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="office_en",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=120,
                verbose_name="replying office (English)",
            ),
        ),
        migrations.RunPython(
            offices_in_both_languages, migrations.RunPython.noop, elidable=True
        ),
    ]
