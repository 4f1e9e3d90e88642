from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0003_feed_indexes'), ('surveys', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Survey',
            name='planned_closes_at',
            field=fields.DatetimeField(null=True, description='The closing date planned before the survey was closed early (``closes_at`` then holds', auto_now=False, auto_now_add=False),
        ),
    ]
