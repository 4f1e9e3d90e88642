from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [
        ops.AddField(
            model_name='Topic',
            name='version',
            field=fields.IntField(default=0, db_default=0, description='Grows on every change shown on the topic page (posts, reactions, solution, flags): the key'),
        ),
    ]
