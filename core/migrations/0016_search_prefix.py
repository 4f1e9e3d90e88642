"""The terms of the SQLite full-text index, readable in order (``content_fts_terms``).

SQLite's search expands each word's root ("communaut") into the index terms that start with it
("communaute", "communautes"…) and searches those exact terms: FTS5 reads exact terms newest
first and stops after the bounded candidate set, while a prefix query (``"communaut"*``)
merges the postings of every matching term — every match — before the first row comes out.
PostgreSQL needs nothing here (its GIN index is walked in id order by the planner).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE_UP = ["CREATE VIRTUAL TABLE IF NOT EXISTS content_fts_terms USING fts5vocab(content_fts, 'row')"]
SQLITE_DOWN = ["DROP TABLE IF EXISTS content_fts_terms"]


async def _run(state_editor, statements_by_dialect):
    client = state_editor.client
    for statement in statements_by_dialect.get(client.capabilities.dialect, []):
        await client.execute_script(statement)


async def forward(apps, state_editor):
    await _run(state_editor, {"sqlite": SQLITE_UP})


async def backward(apps, state_editor):
    await _run(state_editor, {"sqlite": SQLITE_DOWN})


class Migration(migrations.Migration):
    dependencies = [("core", "0015_content_lang")]
    operations = [ops.RunPython(forward, backward)]
