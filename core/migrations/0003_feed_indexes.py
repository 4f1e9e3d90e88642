"""Indexes for the lists of top-level content (home feed, community home, profiles): newest
activity first and newest publication first, so a page reads about twenty index entries
instead of sorting every item (measured in benchmarks/web/README.md).

Each database gets the shape its planner uses: SQLite an index led by ``parent_id``,
PostgreSQL a partial index on top-level items (it does not take ``IS NULL`` as an equality
when it looks for an index in the right order)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

UP = {
    "sqlite": [
        "CREATE INDEX IF NOT EXISTS content_feed_activity ON content "
        "(parent_id, COALESCE(activity_at, created_at), id)",
        "CREATE INDEX IF NOT EXISTS content_feed_recent ON content (parent_id, created_at, id)",
    ],
    "postgres": [
        "CREATE INDEX IF NOT EXISTS content_feed_activity ON content "
        "(COALESCE(activity_at, created_at), id) WHERE parent_id IS NULL",
        "CREATE INDEX IF NOT EXISTS content_feed_recent ON content (created_at, id) WHERE parent_id IS NULL",
    ],
}
DOWN = ["DROP INDEX IF EXISTS content_feed_recent", "DROP INDEX IF EXISTS content_feed_activity"]


async def forward(apps, state_editor):
    client = state_editor.client
    for statement in UP.get(client.capabilities.dialect, []):
        await client.execute_script(statement)


async def backward(apps, state_editor):
    for statement in DOWN:
        await state_editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search")]
    operations = [ops.RunPython(forward, backward)]
