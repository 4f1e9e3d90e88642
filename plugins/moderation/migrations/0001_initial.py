from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True
    dependencies = [("core", "0002_search")]

    operations = [
        ops.CreateModel(
            name='Flag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.ForeignKeyField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='moderation_flags', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='moderation_flags', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='moderation_flags_given', on_delete=OnDelete.CASCADE)),
                ('reason', fields.CharField(max_length=16)),
                ('note', fields.CharField(default='', max_length=1000)),
                ('weight', fields.FloatField(default=1.0)),
                ('state', fields.CharField(default='open', max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'moderation_flag', 'app': 'moderation', 'unique_together': (('content', 'member'),), 'indexes': [Index(fields=['community_id', 'state'])], 'pk_attr': 'id', 'table_description': "A member's report about a content item: one per member per item."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ModerationConfig',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('scope', fields.CharField(unique=True, max_length=40)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name='moderation_configs', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField(default=1)),
                ('settings', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'moderation_config', 'app': 'moderation', 'pk_attr': 'id', 'table_description': 'Settings of one scope (``site`` or ``community:<id>``) and a version for caches.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Review',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='moderation_review', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='moderation_reviews', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('core.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='moderation_reviews', on_delete=OnDelete.SET_NULL)),
                ('state', fields.CharField(default='open', max_length=16)),
                ('cause', fields.CharField(default='held', max_length=16)),
                ('reason', fields.CharField(default='', max_length=500)),
                ('score', fields.FloatField(default=0.0)),
                ('score_reasons', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('flag_weight', fields.FloatField(default=0.0)),
                ('flag_count', fields.IntField(default=0)),
                ('decision', fields.CharField(default='', max_length=16)),
                ('decided_by', fields.ForeignKeyField('core.Member', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='moderation_decisions', on_delete=OnDelete.SET_NULL)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'moderation_review', 'app': 'moderation', 'indexes': [Index(fields=['community_id', 'state', 'id'])], 'pk_attr': 'id', 'table_description': 'A content item that needs (or needed) a moderator: held before publication or flagged.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Sanction',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='moderation_sanctions', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name='moderation_sanctions', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('reason', fields.TextField(unique=False)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('content', fields.ForeignKeyField('core.Content', source_field='content_id', null=True, db_constraint=True, to_field='id', related_name='moderation_sanctions', on_delete=OnDelete.SET_NULL)),
                ('created_by', fields.ForeignKeyField('core.Member', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='moderation_sanctions_given', on_delete=OnDelete.SET_NULL)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('close_reason', fields.CharField(default='', max_length=500)),
                ('closed_by', fields.ForeignKeyField('core.Member', source_field='closed_by_id', null=True, db_constraint=True, to_field='id', related_name='moderation_sanctions_lifted', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'moderation_sanction', 'app': 'moderation', 'indexes': [Index(fields=['member_id', 'closed_at']), Index(fields=['community_id', 'id'])], 'pk_attr': 'id', 'table_description': 'A warning, silence, suspension or site ban, with its reason and end.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Appeal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='moderation_appeals', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='moderation_appeals', on_delete=OnDelete.CASCADE)),
                ('content', fields.ForeignKeyField('core.Content', source_field='content_id', null=True, db_constraint=True, to_field='id', related_name='moderation_appeals', on_delete=OnDelete.CASCADE)),
                ('sanction', fields.ForeignKeyField('moderation.Sanction', source_field='sanction_id', null=True, db_constraint=True, to_field='id', related_name='appeals', on_delete=OnDelete.CASCADE)),
                ('message', fields.TextField(unique=False)),
                ('state', fields.CharField(default='open', max_length=16)),
                ('answer', fields.TextField(default='', unique=False)),
                ('answered_by', fields.ForeignKeyField('core.Member', source_field='answered_by_id', null=True, db_constraint=True, to_field='id', related_name='moderation_appeals_answered', on_delete=OnDelete.SET_NULL)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'moderation_appeal', 'app': 'moderation', 'unique_together': (('member', 'content'), ('member', 'sanction')), 'indexes': [Index(fields=['community_id', 'state'])], 'pk_attr': 'id', 'table_description': "An author's one appeal against a decision on their content or a sanction."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Trust',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='moderation_trust', on_delete=OnDelete.CASCADE)),
                ('level', fields.IntField(default=0)),
                ('locked_level', fields.IntField(null=True)),
                ('days_visited', fields.IntField(default=0)),
                ('last_visit_on', fields.DateField(null=True)),
                ('posts_written', fields.IntField(default=0)),
                ('posts_read', fields.IntField(default=0)),
                ('flags_upheld', fields.IntField(default=0)),
                ('computed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'moderation_trust', 'app': 'moderation', 'pk_attr': 'id', 'table_description': "A member's trust level (0 new, 1 basic, 2 member, 3 regular) and the activity behind it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WatchedWord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name='moderation_words', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(default='word', max_length=16)),
                ('pattern', fields.CharField(max_length=200)),
                ('normalized', fields.CharField(max_length=200)),
                ('action', fields.CharField(max_length=16)),
                ('replacement', fields.CharField(default='', max_length=100)),
                ('created_by', fields.ForeignKeyField('core.Member', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='moderation_words_added', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'moderation_word', 'app': 'moderation', 'indexes': [Index(fields=['community_id', 'kind'])], 'pk_attr': 'id', 'table_description': 'A watched word, phrase or link domain, for the whole site or one community.'},
            bases=['Model'],
        ),
    ]
