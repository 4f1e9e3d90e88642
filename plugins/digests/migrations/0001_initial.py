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
            name='Bounce',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='digest_bounces', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=20)),
                ('error', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'digests_bounce', 'app': 'digests', 'pk_attr': 'id', 'table_description': 'An address refused by the mail server (a permanent error).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Call',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='digest_call', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='digest_calls', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('core.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='digest_calls_sent', on_delete=OnDelete.SET_NULL)),
                ('day', fields.DateField()),
                ('recipients', fields.IntField(default=0)),
                ('emailed', fields.IntField(default=0)),
                ('dispatched_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'digests_call', 'app': 'digests', 'unique_together': (('community', 'day'),), 'pk_attr': 'id', 'table_description': 'A call to all: an announcement sent in-app and by e-mail to every member of a community.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CommunityPreference',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='digest_community_prefs', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='digest_member_prefs', on_delete=OnDelete.CASCADE)),
                ('frequency', fields.CharField(max_length=10)),
            ],
            options={'table': 'digests_community_pref', 'app': 'digests', 'unique_together': (('member', 'community'),), 'pk_attr': 'id', 'table_description': 'How often a member wants one community in their digest (overrides their global choice).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Delivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='digest_deliveries', on_delete=OnDelete.CASCADE)),
                ('period_key', fields.CharField(max_length=60)),
                ('kind', fields.CharField(max_length=20)),
                ('state', fields.CharField(max_length=12)),
                ('run_id', fields.CharField(max_length=32)),
                ('claimed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('error', fields.CharField(default='', max_length=500)),
                ('message_id', fields.CharField(default='', max_length=250)),
            ],
            options={'table': 'digests_delivery', 'app': 'digests', 'unique_together': (('member', 'period_key'),), 'indexes': [Index(fields=['period_key', 'state'])], 'pk_attr': 'id', 'table_description': 'One e-mail to one member under a unique key (``weekly:2026-11-16``, ``call:12``).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DigestAccount',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='digest_account', on_delete=OnDelete.CASCADE)),
                ('frequency', fields.CharField(null=True, max_length=10)),
                ('unsubscribe_version', fields.IntField(default=0)),
                ('bounce_count', fields.IntField(default=0, description='Refusals in a row, reset by a delivered message.')),
                ('email_paused_at', fields.DatetimeField(null=True, description='Set when bounces stopped e-mails to this member.', auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'digests_account', 'app': 'digests', 'pk_attr': 'id', 'table_description': "A member's e-mail settings, created the first time they are needed."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Mention',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.ForeignKeyField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='digest_mentions', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='digest_mentions_received', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'digests_mention', 'app': 'digests', 'unique_together': (('content', 'member'),), 'pk_attr': 'id', 'table_description': 'A member already notified of a mention in a content item (edits do not notify again).'},
            bases=['Model'],
        ),
    ]
