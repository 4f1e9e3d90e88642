"""Text the search finds besides an item's title and body (``content.search_extra``: the text
inside a resource's PDF or OpenDocument file, set with :func:`tisserand.search.set_search_text`).

The column is not a model field (the ORM never loads it, as ``search_vector``): it is in the
SQLite FTS5 index (rebuilt here, with the column) and in PostgreSQL's ``search_vector``.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE_UP = [
    "ALTER TABLE content ADD COLUMN search_extra TEXT NOT NULL DEFAULT ''",
    "DROP TRIGGER IF EXISTS content_fts_au",
    "DROP TRIGGER IF EXISTS content_fts_ad",
    "DROP TRIGGER IF EXISTS content_fts_ai",
    "DROP TABLE IF EXISTS content_fts",
    "CREATE VIRTUAL TABLE content_fts USING fts5(title, body, search_extra, content='content', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO content_fts(content_fts) VALUES ('rebuild')",
    "CREATE TRIGGER content_fts_ai AFTER INSERT ON content BEGIN "
    "INSERT INTO content_fts(rowid, title, body, search_extra) "
    "VALUES (new.id, new.title, new.body, new.search_extra); END",
    "CREATE TRIGGER content_fts_ad AFTER DELETE ON content BEGIN "
    "INSERT INTO content_fts(content_fts, rowid, title, body, search_extra) "
    "VALUES ('delete', old.id, old.title, old.body, old.search_extra); END",
    "CREATE TRIGGER content_fts_au AFTER UPDATE OF title, body, search_extra ON content BEGIN "
    "INSERT INTO content_fts(content_fts, rowid, title, body, search_extra) "
    "VALUES ('delete', old.id, old.title, old.body, old.search_extra); "
    "INSERT INTO content_fts(rowid, title, body, search_extra) "
    "VALUES (new.id, new.title, new.body, new.search_extra); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS content_fts_au",
    "DROP TRIGGER IF EXISTS content_fts_ad",
    "DROP TRIGGER IF EXISTS content_fts_ai",
    "DROP TABLE IF EXISTS content_fts",
    "CREATE VIRTUAL TABLE content_fts USING fts5(title, body, content='content', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO content_fts(content_fts) VALUES ('rebuild')",
    "CREATE TRIGGER content_fts_ai AFTER INSERT ON content BEGIN "
    "INSERT INTO content_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER content_fts_ad AFTER DELETE ON content BEGIN "
    "INSERT INTO content_fts(content_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER content_fts_au AFTER UPDATE OF title, body ON content BEGIN "
    "INSERT INTO content_fts(content_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO content_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "ALTER TABLE content DROP COLUMN search_extra",
]
_PG_FUNCTION = """CREATE OR REPLACE FUNCTION content_search_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('french', unaccent(coalesce(NEW.title, ''))), 'A') ||
        setweight(to_tsvector('english', unaccent(coalesce(NEW.title, ''))), 'A') ||
        setweight(to_tsvector('french', unaccent(coalesce(NEW.body, ''))), 'B') ||
        setweight(to_tsvector('english', unaccent(coalesce(NEW.body, ''))), 'B'){extra};
      RETURN NEW;
    END $$ LANGUAGE plpgsql"""
_PG_EXTRA = """ ||
        setweight(to_tsvector('french', unaccent(coalesce(NEW.search_extra, ''))), 'C') ||
        setweight(to_tsvector('english', unaccent(coalesce(NEW.search_extra, ''))), 'C')"""
POSTGRES_UP = [
    "ALTER TABLE content ADD COLUMN search_extra TEXT NOT NULL DEFAULT ''",
    _PG_FUNCTION.replace("{extra}", _PG_EXTRA),
    "DROP TRIGGER IF EXISTS content_search_trigger ON content",
    "CREATE TRIGGER content_search_trigger BEFORE INSERT OR UPDATE OF title, body, search_extra ON content "
    "FOR EACH ROW EXECUTE FUNCTION content_search_update()",
]
POSTGRES_DOWN = [
    _PG_FUNCTION.replace("{extra}", ""),
    "DROP TRIGGER IF EXISTS content_search_trigger ON content",
    "CREATE TRIGGER content_search_trigger BEFORE INSERT OR UPDATE OF title, body ON content "
    "FOR EACH ROW EXECUTE FUNCTION content_search_update()",
    "ALTER TABLE content DROP COLUMN IF EXISTS search_extra",
]


async def _run(state_editor, statements_by_dialect):
    client = state_editor.client
    dialect = client.capabilities.dialect
    for statement in statements_by_dialect.get(dialect, []):
        await client.execute_script(statement)


async def forward(apps, state_editor):
    await _run(state_editor, {"sqlite": SQLITE_UP, "postgres": POSTGRES_UP})


async def backward(apps, state_editor):
    await _run(state_editor, {"sqlite": SQLITE_DOWN, "postgres": POSTGRES_DOWN})


class Migration(migrations.Migration):
    dependencies = [("core", "0012_privacy_more")]
    operations = [ops.RunPython(forward, backward)]
