"""What a site is, for comparing it before a backup and after a restore: every row of every table
and every media file."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def database_snapshot() -> dict[str, list[tuple]]:
    """Table name -> its rows, sorted: the models' tables, their many-to-many tables and whatever
    else the database holds (the migrations' record, the search index)."""
    tables = set(connection.introspection.table_names())
    model_tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    assert model_tables <= tables, f"tables missing: {model_tables - tables}"
    quote = connection.ops.quote_name
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the catalogue
            snapshot[table] = sorted(
                (tuple(_plain(value) for value in row) for row in cursor.fetchall()), key=repr
            )
    return snapshot


def media_snapshot() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
