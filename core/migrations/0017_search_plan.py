"""The words of PostgreSQL's full-text index, readable in order (``content_lexemes``).

PostgreSQL's search expands each word's stem ("jardin") into the lexemes that start with it
("jardin", "jardinag"…) and searches those exact lexemes, as SQLite does with
``content_fts_terms`` (``0016_search_prefix``): GIN finds an exact lexeme's posts in a few
milliseconds, while a prefix (``'jardin':*``) first gathers the posts of every lexeme it
covers — 0.15–0.25 s for a word of middling frequency at a million posts — which ruled out
the GIN plan for such words (``benchmarks/search/README.md``). A trigger keeps the list as
content is written (lexemes are only added; one no longer used costs an empty index probe;
``tisserand.search.rebuild_search_words`` drops them). SQLite needs nothing here.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

POSTGRES_UP = [
    'CREATE TABLE IF NOT EXISTS content_lexemes (lexeme TEXT COLLATE "C" PRIMARY KEY)',
    """CREATE OR REPLACE FUNCTION content_lexemes_add() RETURNS trigger AS $$
    BEGIN
      INSERT INTO content_lexemes (lexeme)
        SELECT DISTINCT unnest(tsvector_to_array(NEW.search_vector)) ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS content_lexemes_trigger ON content",
    "CREATE TRIGGER content_lexemes_trigger AFTER INSERT OR UPDATE OF title, body, search_extra ON content "
    "FOR EACH ROW WHEN (NEW.search_vector IS NOT NULL) EXECUTE FUNCTION content_lexemes_add()",
    "INSERT INTO content_lexemes (lexeme) SELECT word FROM ts_stat('SELECT search_vector FROM content') "
    "ON CONFLICT DO NOTHING",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS content_lexemes_trigger ON content",
    "DROP FUNCTION IF EXISTS content_lexemes_add()",
    "DROP TABLE IF EXISTS content_lexemes",
]


async def _run(state_editor, statements_by_dialect):
    client = state_editor.client
    for statement in statements_by_dialect.get(client.capabilities.dialect, []):
        await client.execute_script(statement)


async def forward(apps, state_editor):
    await _run(state_editor, {"postgres": POSTGRES_UP})


async def backward(apps, state_editor):
    await _run(state_editor, {"postgres": POSTGRES_DOWN})


class Migration(migrations.Migration):
    dependencies = [("core", "0016_search_prefix")]
    operations = [ops.RunPython(forward, backward)]
