"""Indexes on the foreign keys that deleting or exporting a large forum walks (reply links and
solved answers): without them PostgreSQL scans forum_post for every deleted content row."""

from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("forums", "0002_topic_version")]

    operations = [
        ops.RunSQL(
            [
                "CREATE INDEX IF NOT EXISTS forum_post_reply_to_idx ON forum_post (reply_to_id)",
                "CREATE INDEX IF NOT EXISTS forum_topic_solved_post_idx ON forum_topic (solved_post_id)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS forum_post_reply_to_idx",
                "DROP INDEX IF EXISTS forum_topic_solved_post_idx",
            ],
        ),
    ]
