from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True
    dependencies = [("core", "0002_search")]

    operations = [
        ops.CreateModel(
            name='Reminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='archive_reminders', on_delete=OnDelete.CASCADE)),
                ('ends_on', fields.DateField()),
                ('days_before', fields.IntField()),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'archive_reminder', 'app': 'archive', 'unique_together': (('community', 'ends_on', 'days_before'),), 'pk_attr': 'id', 'table_description': "One end-of-life reminder sent to a community's coordinators."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Season',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='archive_seasons', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=120)),
                ('description', fields.TextField(default='', unique=False)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'archive_season', 'app': 'archive', 'indexes': [Index(fields=['community_id', 'starts_on'])], 'pk_attr': 'id', 'table_description': "A named period of a community's life (``Automne 2026``), with objectives."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Objective',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('season', fields.ForeignKeyField('archive.Season', source_field='season_id', db_constraint=True, to_field='id', related_name='objectives', on_delete=OnDelete.CASCADE)),
                ('text', fields.CharField(max_length=300)),
                ('position', fields.IntField(default=0)),
                ('reached_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reached_by', fields.ForeignKeyField('core.Member', source_field='reached_by_id', null=True, db_constraint=True, to_field='id', related_name='archive_objectives_reached', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'archive_objective', 'app': 'archive', 'pk_attr': 'id', 'table_description': 'Something the community means to achieve during a season, marked once reached.'},
            bases=['Model'],
        ),
    ]
