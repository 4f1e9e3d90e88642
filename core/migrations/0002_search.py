"""Full-text index on content: FTS5 + triggers on SQLite, tsvector + trigger on PostgreSQL."""

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE_UP = [
    "CREATE VIRTUAL TABLE content_fts USING fts5(title, body, content='content', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER content_fts_ai AFTER INSERT ON content BEGIN "
    "INSERT INTO content_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER content_fts_ad AFTER DELETE ON content BEGIN "
    "INSERT INTO content_fts(content_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER content_fts_au AFTER UPDATE OF title, body ON content BEGIN "
    "INSERT INTO content_fts(content_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO content_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS content_fts_au",
    "DROP TRIGGER IF EXISTS content_fts_ad",
    "DROP TRIGGER IF EXISTS content_fts_ai",
    "DROP TABLE IF EXISTS content_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "ALTER TABLE content ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION content_search_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('french', unaccent(coalesce(NEW.title, ''))), 'A') ||
        setweight(to_tsvector('english', unaccent(coalesce(NEW.title, ''))), 'A') ||
        setweight(to_tsvector('french', unaccent(coalesce(NEW.body, ''))), 'B') ||
        setweight(to_tsvector('english', unaccent(coalesce(NEW.body, ''))), 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER content_search_trigger BEFORE INSERT OR UPDATE OF title, body ON content "
    "FOR EACH ROW EXECUTE FUNCTION content_search_update()",
    "CREATE INDEX content_search_idx ON content USING GIN (search_vector)",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS content_search_trigger ON content",
    "DROP FUNCTION IF EXISTS content_search_update()",
    "ALTER TABLE content DROP COLUMN IF EXISTS search_vector",
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
    dependencies = [("core", "0001_initial")]
    operations = [ops.RunPython(forward, backward)]
