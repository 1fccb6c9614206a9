"""How many public messages the board holds per region, category, kind and
status: the board's total for any combination of those filters is a sum of
at most a few thousand of these rows, never a count of messages.

The database keeps them, not Python: triggers on board_message (migration
0023) add and take away as a row enters or leaves the public board or moves
between cells, whatever wrote it: an action's save, ``QuerySet.update()``,
a bulk load or a COPY. ``BoardCount.objects.rebuild()`` counts them afresh.
"""

from django.db import connection, models, transaction

from ..lifecycle import PUBLIC_STATUSES

# What Message.objects.public() says, in SQL, for the triggers and rebuild().
PUBLIC_CONDITION = (
    "{row}.is_public AND {row}.published_at IS NOT NULL AND {row}.status IN ("
    + ", ".join(f"'{status}'" for status in sorted(PUBLIC_STATUSES))
    + ")"
)


CELL = "region_id, category_id, kind, status"


class BoardCountQuerySet(models.QuerySet):
    def rebuild(self) -> None:
        """Every count from the messages (after a restore, say)."""
        public = PUBLIC_CONDITION.format(row="board_message")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM board_boardcount")
            # Every part is a constant of this module.
            backfill = " ".join(
                [
                    "INSERT INTO board_boardcount",
                    f"({CELL}, count) SELECT {CELL}, COUNT(*) FROM board_message",  # noqa: S608
                    f"WHERE {public} GROUP BY {CELL}",
                ]
            )
            cursor.execute(backfill)


class BoardCount(models.Model):
    # Plain ids: the triggers write them, and a region or category is never
    # deleted while messages name it (PROTECT on Message).
    region_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    count = models.IntegerField(default=0)

    objects = BoardCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region_id", "category_id", "kind", "status"],
                name="board_count_cell",
            )
        ]
        indexes = [
            models.Index(
                fields=["category_id", "kind", "status", "region_id"],
                name="board_count_by_category",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.region_id}/{self.category_id}/{self.kind}/{self.status}:"
            f" {self.count}"
        )
