"""Many rows in one INSERT statement, for the write paths that batch (the signing path's group
commit). The ORM's bulk_create cannot both skip the rows that conflict with a unique constraint
and return the ids of those it stored, and it costs several times more per row."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Field, Model


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
    return values_insert(
        model,
        fields,
        [
            [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            for obj in objects
        ],
        skip_conflicts_on=skip_conflicts_on,
        returning=returning,
    )


def values_insert(
    model: type[Model],
    fields: Sequence[Field],
    rows: Sequence[Sequence],
    *,
    skip_conflicts_on: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[tuple]:
    """As `rows_insert`, for rows given as the database's values of `fields`, in that order
    (what `field.get_db_prep_save` gives): a hot path prepares the parts that never change once,
    instead of a model instance and every field's conversion per row."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = ""
    if skip_conflicts_on:
        tail += f" ON CONFLICT ({', '.join(quote(name) for name in skip_conflicts_on)}) DO NOTHING"
    if returning:
        tail += f" RETURNING {', '.join(quote(name) for name in returning)}"
    stored: list[tuple] = []
    size = max(1, connection.ops.bulk_batch_size(fields, rows))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            # Only the model's own quoted names are formatted in; every value is a parameter.
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([placeholders] * len(chunk))}"  # noqa: S608
            cursor.execute(sql + tail, [value for row in chunk for value in row])
            if returning:
                stored.extend(tuple(values) for values in cursor.fetchall())
    return stored
