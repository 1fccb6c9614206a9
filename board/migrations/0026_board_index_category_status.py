# The database side written by hand, as in 0025: PostgreSQL builds the
# index without locking writes.
#
# The board filtered by category and status but not by kind (with a region
# or not) had no index in its order: message_board_category puts the kind
# between the two. PostgreSQL ANDed the bitmaps of the category, the region
# and the status (about 110,000, 118,000 and 64,000 rows at a million
# messages) and sorted the 600 left: 65 ms for 61 keys. Walking this index
# in order and filtering the region on its INCLUDE columns: 0.6 ms. Across
# the 3,000 filter combinations of bench/suite.py, the keys query's p99 went
# from 72 ms to 3.3 ms.

from django.db import migrations, models

INDEX = models.Index(
    condition=models.Q(('published_at__isnull', False)),
    fields=['category', 'status', '-published_at', '-id'],
    include=('region', 'kind', 'is_public'),
    name='message_board_category_status',
)


def add_index(apps, schema_editor):
    message = apps.get_model('board', 'Message')
    if schema_editor.connection.vendor == 'postgresql':
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{INDEX.name}"')
        schema_editor.execute(INDEX.create_sql(message, schema_editor, concurrently=True))
    else:
        schema_editor.add_index(message, INDEX)


def remove_index(apps, schema_editor):
    message = apps.get_model('board', 'Message')
    if schema_editor.connection.vendor == 'postgresql':
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{INDEX.name}"')
    else:
        schema_editor.remove_index(message, INDEX)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ('board', '0025_board_index_filters'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name='message', index=INDEX)],
            database_operations=[migrations.RunPython(add_index, remove_index)],
        ),
    ]
