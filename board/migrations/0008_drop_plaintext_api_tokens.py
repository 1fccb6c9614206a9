"""API tokens moved from DRF's authtoken (plaintext, no expiry) to
django-rest-knox (hashed, with a lifetime). The old table held every token
in the clear: it goes, and clients fetch a new token from
POST /api/v1/auth/token/. The migration record of the removed app goes too,
so the app could be installed again from scratch."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0007_followup_drop_claim_columns"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS authtoken_token",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "DELETE FROM django_migrations WHERE app = 'authtoken'",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
