from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0002_search')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Alert',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='insights_alerts', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(default='quiet', max_length=20)),
                ('started_on', fields.DateField()),
                ('ended_on', fields.DateField(null=True)),
                ('level', fields.FloatField(default=0)),
                ('usual', fields.FloatField(default=0)),
                ('notified', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'insights_alert', 'app': 'insights', 'indexes': [Index(fields=['community_id', 'ended_on'])], 'pk_attr': 'id', 'table_description': 'A quiet period of a community: opened when activity fell well below its usual level for'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Daily',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='insights_days', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('members', fields.IntField(default=0)),
                ('joined', fields.IntField(default=0)),
                ('departed', fields.IntField(default=0)),
                ('readers', fields.IntField(default=0)),
                ('contributors', fields.IntField(default=0)),
                ('active', fields.IntField(default=0)),
                ('active_week', fields.IntField(default=0)),
                ('active_7d', fields.IntField(default=0)),
                ('active_28d', fields.IntField(default=0)),
                ('posts', fields.IntField(default=0)),
                ('replies', fields.IntField(default=0)),
                ('wiki_edits', fields.IntField(default=0)),
                ('edits', fields.IntField(default=0)),
                ('topics', fields.IntField(default=0)),
                ('answered', fields.IntField(default=0)),
                ('answer_minutes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('pending', fields.IntField(default=0)),
                ('by_kind', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('extra', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('computed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'insights_daily', 'app': 'insights', 'unique_together': (('community', 'day'),), 'indexes': [Index(fields=['day'])], 'pk_attr': 'id', 'table_description': 'One community on one day, computed by the aggregation job.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Dirty',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='insights_dirty', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
            ],
            options={'table': 'insights_dirty', 'app': 'insights', 'unique_together': (('community', 'day'),), 'pk_attr': 'id', 'table_description': 'A past day whose daily row must be computed again (a late moderation decision, a topic'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Event',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='insights_events', on_delete=OnDelete.CASCADE)),
                ('member_id', fields.IntField(null=True)),
                ('kind', fields.CharField(max_length=40)),
                ('action', fields.CharField(max_length=8)),
                ('content_id', fields.IntField(null=True)),
                ('root_id', fields.IntField(null=True)),
                ('counted', fields.BooleanField(default=True)),
                ('happened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('day', fields.DateField()),
            ],
            options={'table': 'insights_event', 'app': 'insights', 'indexes': [Index(fields=['community_id', 'day']), Index(fields=['content_id']), Index(fields=['root_id']), Index(fields=['day', 'action'])], 'pk_attr': 'id', 'table_description': 'Something that happened in a community, told by a core hook.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Review',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='insights_reviews', on_delete=OnDelete.CASCADE)),
                ('content_id', fields.IntField()),
                ('held_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'insights_review', 'app': 'insights', 'indexes': [Index(fields=['community_id', 'resolved_at']), Index(fields=['content_id'])], 'pk_attr': 'id', 'table_description': 'Content waiting for a moderator: from the moment it was held until it was resolved.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Thread',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='insights_threads', on_delete=OnDelete.CASCADE)),
                ('content_id', fields.IntField(unique=True)),
                ('author_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('day', fields.DateField()),
                ('counted', fields.BooleanField(default=True)),
                ('first_reply_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'insights_thread', 'app': 'insights', 'indexes': [Index(fields=['community_id', 'day'])], 'pk_attr': 'id', 'table_description': 'A topic that can be answered, and its first answer by someone else than its author.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Visit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='insights_visits', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='insights_visits', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
            ],
            options={'table': 'insights_visit', 'app': 'insights', 'unique_together': (('community', 'member', 'day'),), 'indexes': [Index(fields=['day', 'community_id'])], 'pk_attr': 'id', 'table_description': 'A member read pages of a community on a day (local day of the site).'},
            bases=['Model'],
        ),
    ]
