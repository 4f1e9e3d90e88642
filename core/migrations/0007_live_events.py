from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0006_jobs_queue')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LiveEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('topic', fields.CharField(db_index=True, max_length=200)),
                ('kind', fields.CharField(max_length=60)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('community_id', fields.IntField(null=True)),
                ('content_id', fields.IntField(null=True)),
                ('member_id', fields.IntField(null=True)),
                ('permission', fields.CharField(null=True, max_length=100)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'live_event', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A live event (``GET /api/v1/events``), kept a short while so that a client coming back'},
            bases=['Model'],
        ),
    ]
