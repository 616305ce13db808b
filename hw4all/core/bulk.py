"""Many rows in one INSERT statement, for the write paths that batch (the signing path's group
commit). The ORM's bulk_create cannot both skip the rows that conflict with a unique constraint
and return the ids of those it stored, and it costs several times more per row."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model


def rows_insert(
    objects: Sequence[Model], *, skip_conflicts_on: Sequence[str] = (), returning: Sequence[str] = ()
) -> list[tuple]:
    """Insert `objects` (all of one model; their primary key left to the database unless set)
    and return the `returning` columns of the rows stored. With `skip_conflicts_on` (the columns
    of a unique constraint), a row that would break that constraint is skipped, not an error."""
    if not objects:
        return []
    model = type(objects[0])
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and getattr(objects[0], field.attname) is None)
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = ""
    if skip_conflicts_on:
        tail += f" ON CONFLICT ({', '.join(quote(name) for name in skip_conflicts_on)}) DO NOTHING"
    if returning:
        tail += f" RETURNING {', '.join(quote(name) for name in returning)}"
    stored: list[tuple] = []
    size = max(1, connection.ops.bulk_batch_size(fields, objects))
    with connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            chunk = objects[start : start + size]
            # Only the model's own quoted names are formatted in; every value is a parameter.
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([row] * len(chunk))}"  # noqa: S608
            cursor.execute(
                sql + tail,
                [
                    field.get_db_prep_save(field.pre_save(obj, True), connection)
                    for obj in chunk
                    for field in fields
                ],
            )
            if returning:
                stored.extend(tuple(values) for values in cursor.fetchall())
    return stored
