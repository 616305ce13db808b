"""The library's search index (hw4all/library/search.py): the facet values of each published
resource and what a result shows of it, the generation number that tells every process its facet bitmaps are stale, and the
full-text index itself, which differs by database: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import migrations

SQLITE = [
    """CREATE TABLE library_search (
        resource_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        year INTEGER,
        sort_key INTEGER NOT NULL,
        languages TEXT NOT NULL,
        countries TEXT NOT NULL,
        regions TEXT NOT NULL,
        topics TEXT NOT NULL,
        title TEXT NOT NULL,
        slug TEXT NOT NULL,
        authors TEXT NOT NULL
    )""",
    """CREATE VIRTUAL TABLE library_search_fts USING fts5(
        title, people, summary, topics, body, stems,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
]
POSTGRESQL = [
    """CREATE TABLE library_search (
        resource_id BIGINT PRIMARY KEY,
        kind TEXT NOT NULL,
        year INTEGER,
        sort_key INTEGER NOT NULL,
        languages TEXT NOT NULL,
        countries TEXT NOT NULL,
        regions TEXT NOT NULL,
        topics TEXT NOT NULL,
        title TEXT NOT NULL,
        slug TEXT NOT NULL,
        authors TEXT NOT NULL,
        people TEXT NOT NULL,
        summary TEXT NOT NULL,
        topics_text TEXT NOT NULL,
        body TEXT NOT NULL,
        document TSVECTOR NOT NULL
    )""",
    "CREATE INDEX library_search_document ON library_search USING GIN (document)",
]
COMMON = [
    "CREATE TABLE library_search_state (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)",
    "INSERT INTO library_search_state (id, generation) VALUES (1, 1)",
]


def index_create(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in [*statements, *COMMON]:
        schema_editor.execute(statement)


def index_drop(apps, schema_editor):
    tables = ["library_search_state", "library_search"]
    if schema_editor.connection.vendor != "postgresql":
        tables.append("library_search_fts")
    for table in tables:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_topics")]

    operations = [migrations.RunPython(index_create, index_drop)]
