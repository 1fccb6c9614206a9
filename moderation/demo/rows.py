"""Plain rows into a model's table, many at a time, for the bulk load.

Far faster than ``bulk_create``: PostgreSQL takes the rows by COPY, SQLite by
``executemany`` of one prepared INSERT.
"""

from datetime import UTC, datetime
from functools import partial

from django.db import connection


class RowInserter:
    """Writes rows of plain values into a model's table, many at a time.

    Each row gives the ``columns`` (attribute names) in order; the other
    columns get their field's default. PostgreSQL takes the rows by COPY,
    SQLite by ``executemany`` of one prepared INSERT. Both are far faster than
    ``bulk_create``, which prepares every value of every object field by
    field, and neither can return ids, so ids are reserved first.
    """

    def __init__(self, model, columns: tuple[str, ...]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        others = [f for f in fields.values() if f.attname not in columns]
        others = [f for f in others if not f.primary_key]
        self.tail = [f.get_db_prep_save(f.get_default(), connection) for f in others]
        self.datetime_indexes = [
            index
            for index, name in enumerate(columns)
            if fields[name].get_internal_type() == "DateTimeField"
        ]
        self.to_parameter = datetime_parameter()
        self.table = model._meta.db_table
        self.pk_column = model._meta.pk.column
        self.columns = [fields[name].column for name in columns]
        self.columns += [f.column for f in others]

    def __call__(self, rows, with_ids: bool = False) -> list[int]:
        """Insert ``rows``; ``with_ids`` gives them new ids, returned in order.

        Must run inside a transaction that holds the table's write lock
        (PostgreSQL needs none: its sequence hands out the ids).
        """
        rows = [self.parameters(row) for row in rows]
        columns = self.columns
        ids = []
        with connection.cursor() as cursor:
            if with_ids:
                ids = self.reserve_ids(cursor, len(rows))
                rows = [[pk, *row] for pk, row in zip(ids, rows, strict=True)]
                columns = [self.pk_column, *columns]
            quote = connection.ops.quote_name
            # Names come from the model, quoted; values are always parameters.
            table = quote(self.table)
            column_list = ", ".join(quote(column) for column in columns)
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({column_list}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608
                cursor.executemany(sql, rows)
        return ids

    def parameters(self, row) -> list:
        row = list(row)
        for index in self.datetime_indexes:
            if row[index] is not None:
                row[index] = self.to_parameter(row[index])
        return row + self.tail

    def reserve_ids(self, cursor, count: int) -> list[int]:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s))"
                " FROM generate_series(1, %s)",
                [self.table, self.pk_column, count],
            )
            return sorted(pk for (pk,) in cursor.fetchall())
        # The write lock keeps anyone else from inserting until commit.
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX({quote(self.pk_column)}) FROM {quote(self.table)}"  # noqa: S608
        )
        first = (cursor.fetchone()[0] or 0) + 1
        return list(range(first, first + count))


def datetime_parameter():
    """Turns a naive UTC time into the query parameter Django would send."""
    operations = connection.ops  # looked up once: the proxy costs per call
    sample = datetime(2026, 1, 2, 3, 4, 5, 6)
    aware = sample.replace(tzinfo=UTC)
    parameter = operations.adapt_datetimefield_value(aware)
    # The two backends' answers, taken directly: several times faster.
    if parameter == str(sample):  # SQLite stores the text of the UTC time
        return str
    if parameter is aware:  # PostgreSQL takes the aware time as it is
        return partial(datetime.replace, tzinfo=UTC)
    return lambda value: operations.adapt_datetimefield_value(value.replace(tzinfo=UTC))
