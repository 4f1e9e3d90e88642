from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0005_identity')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PeriodicRun',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('slot', fields.BigIntField()),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'job_periodic_run', 'app': 'core', 'unique_together': (('name', 'slot'),), 'pk_attr': 'id', 'table_description': 'One row per periodic job and period: inserting it is the right to run that period.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='QueuedJob',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('task', fields.CharField(db_index=True, max_length=100)),
                ('args', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharField(default='todo', db_index=True, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('lock', fields.CharField(null=True, max_length=200)),
                ('queueing_lock', fields.CharField(null=True, max_length=200)),
                ('scheduled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'job_queue', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A job of the in-process queue (SQLite sites, or sites that choose it).'},
            bases=['Model'],
        ),
        ops.DeleteModel(name='JobRun'),
    ]
