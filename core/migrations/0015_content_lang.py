from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    """Content.lang: the language an item is written in (issue 22, WCAG "language of parts")."""

    dependencies = [('core', '0014_feeds')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Content',
            name='lang',
            field=fields.CharField(default='', db_default='', max_length=8),
        ),
    ]
