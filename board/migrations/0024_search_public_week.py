# Written by hand on 2026-12-05: a column, triggers and an index Django does
# not model (PostgreSQL only: SQLite's FTS5 table is fast enough as it is).

from django.db import migrations

# At a million messages a word in 1% of them has 11,000 matches, and reading
# every match's document to rank the newest 200 read 11,000 pages (search
# p95 421 ms). The documents' GIN index now also holds, for each document,
# the week its message was published while it is on the public board
# ('~w' and the week's number since 1970), or '~private', so that "the
# public matches published in the last weeks" is answered inside the index
# and only those documents are read (board.selectors.search: the newest
# matches). No word's term holds a '~'.
#
# Tried first and left: buckets of ids, as a second column of the index
# (btree_gin; PostgreSQL, underestimating how many documents hold two given
# terms, then filtered the bucket on the rows rather than in the index) and
# as a term (the newest ids are the review queue's, not the board's: at
# 100,000 pending messages a search read their documents for nothing).
#
# public_week is a copy of the message's state kept by triggers: set from
# the message whenever a document is written, and on the document whenever
# the message moves on or off the board or is published again. It only
# narrows what the index hands over; every search still intersects a
# queryset built for its reader, so a stale copy could hide a result, never
# show one.
PUBLIC = (
    "{row}.is_public AND {row}.published_at IS NOT NULL"
    " AND {row}.status IN ('accepted', 'closed', 'published', 'replied')"
)
WEEK = "floor(extract(epoch FROM {row}.published_at) / 604800)::integer"
PUBLIC_WEEK = f"CASE WHEN {PUBLIC} THEN {WEEK} END"
INDEXED_VECTOR = (
    "(vector || array_to_tsvector(CASE WHEN public_week IS NULL"
    " THEN ARRAY['~private'] ELSE ARRAY['~public', '~w' || public_week::text] END))"
)
POSTGRESQL_FORWARD = [
    "ALTER TABLE board_searchdocument ADD COLUMN IF NOT EXISTS public_week integer",
    # Before the triggers and the index: one pass, no new index to keep.
    f"UPDATE board_searchdocument SET public_week = {WEEK.format(row='board_message')}"
    " FROM board_message WHERE board_message.id = board_searchdocument.message_id"
    f" AND {PUBLIC.format(row='board_message')}",
    f"""
    CREATE OR REPLACE FUNCTION board_searchdocument_public_week() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.public_week := (
            SELECT {PUBLIC_WEEK.format(row="m")} FROM board_message m
            WHERE m.id = NEW.message_id
        );
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE OR REPLACE TRIGGER board_searchdocument_public_week
    BEFORE INSERT OR UPDATE ON board_searchdocument
    FOR EACH ROW EXECUTE FUNCTION board_searchdocument_public_week()
    """,
    f"""
    CREATE OR REPLACE FUNCTION board_message_search_public_week() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF ({PUBLIC_WEEK.format(row="OLD")})
            IS DISTINCT FROM ({PUBLIC_WEEK.format(row="NEW")}) THEN
            -- The document's own trigger reads the message afresh.
            UPDATE board_searchdocument SET public_week = NULL
            WHERE message_id = NEW.id;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE OR REPLACE TRIGGER board_message_search_public_week
    AFTER UPDATE ON board_message
    FOR EACH ROW EXECUTE FUNCTION board_message_search_public_week()
    """,
    # CONCURRENTLY: the documents stay writable while it builds.
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_document_public_week"
    f" ON board_searchdocument USING gin ({INDEXED_VECTOR})",
    # It answers every query of the index on the vector alone.
    "DROP INDEX CONCURRENTLY IF EXISTS search_document_vector",
]
POSTGRESQL_REVERSE = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_document_vector"
    " ON board_searchdocument USING gin (vector)",
    "DROP INDEX CONCURRENTLY IF EXISTS search_document_public_week",
    "DROP TRIGGER IF EXISTS board_message_search_public_week ON board_message",
    "DROP FUNCTION IF EXISTS board_message_search_public_week()",
    "DROP TRIGGER IF EXISTS board_searchdocument_public_week"
    " ON board_searchdocument",
    "DROP FUNCTION IF EXISTS board_searchdocument_public_week()",
    "ALTER TABLE board_searchdocument DROP COLUMN IF EXISTS public_week",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements:
            schema_editor.execute(statement)


def add_public_week_index(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_FORWARD)


def remove_public_week_index(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_REVERSE)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("board", "0023_board_counts"),
    ]

    operations = [
        migrations.RunPython(add_public_week_index, remove_public_week_index),
    ]
