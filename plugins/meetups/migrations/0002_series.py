from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("meetups", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name='Meetup',
            name='repeat_every',
            field=fields.CharField(default='', db_default='', max_length=10,
                                   description='``week`` or ``month`` for an occurrence of a repeated series, empty when alone.'),
        ),
    ]
