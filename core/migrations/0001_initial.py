from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tisserand.models.community import CommunityStatus, JoinPolicy, Visibility
from tisserand.models.content import ContentStatus
from tisserand.models.membership import MembershipState, Role
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Community',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('visibility', fields.CharEnumField(default=Visibility.PUBLIC, description='PUBLIC: public\nPRIVATE: private\nSECRET: secret', enum_type=Visibility, max_length=16)),
                ('join_policy', fields.CharEnumField(default=JoinPolicy.OPEN, description='OPEN: open\nREQUEST: request\nINVITE: invite', enum_type=JoinPolicy, max_length=16)),
                ('parent', fields.ForeignKeyField('core.Community', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.SET_NULL)),
                ('plugins', fields.JSONField(null=True, description='Plugins switched on here (``None`` means every plugin enabled on the site).', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('grants', fields.JSONField(default=dict, description='Per-community permission grants: ``{"forums.topic.create": ["coordinator", ...]}``.', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=CommunityStatus.ACTIVE, description='ACTIVE: active\nARCHIVED: archived', enum_type=CommunityStatus, max_length=16)),
                ('ends_on', fields.DateField(null=True)),
                ('archived_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('member_count', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'community', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A community of practice (or a community of communities, through ``parent``).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='JobRun',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=100)),
                ('last_run_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'job_run', 'app': 'core', 'pk_attr': 'name', 'table_description': 'One row per job name, updated with a compare-and-set to claim a run.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Member',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=40)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('display_name', fields.CharField(default='', max_length=100)),
                ('password_hash', fields.CharField(default='', max_length=255)),
                ('is_admin', fields.BooleanField(default=False)),
                ('is_active', fields.BooleanField(default=True)),
                ('is_placeholder', fields.BooleanField(default=False, description='A placeholder created by an import, who never signed up.')),
                ('locale', fields.CharField(default='', max_length=8)),
                ('timezone', fields.CharField(default='', max_length=64)),
                ('email_verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('latitude', fields.FloatField(null=True, description='Opt-in coarse location (rounded to about 1 km), for maps and "near me".')),
                ('longitude', fields.FloatField(null=True)),
                ('city', fields.CharField(default='', max_length=120)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_seen_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'member', 'app': 'core', 'pk_attr': 'id', 'table_description': 'An account. ``username`` is stored lower-case and is unique, and so is ``email``.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ApiToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key_hash', fields.CharField(unique=True, max_length=64)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='api_tokens', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_token', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A bearer token for the JSON API.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditLog',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('actor', fields.ForeignKeyField('core.Member', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='audit_actions', on_delete=OnDelete.SET_NULL)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name='audit_entries', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharField(max_length=80)),
                ('target_kind', fields.CharField(default='', max_length=40)),
                ('target_id', fields.IntField(null=True)),
                ('reason', fields.TextField(default='', unique=False)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'audit_log', 'app': 'core', 'indexes': [Index(fields=['community_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One action: ``action`` is dotted (``community.archive``, ``moderation.hide``).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Content',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=40)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='contents', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('core.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='contents', on_delete=OnDelete.SET_NULL)),
                ('parent', fields.ForeignKeyField('core.Content', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(default='', max_length=300)),
                ('body', fields.TextField(default='', unique=False)),
                ('html', fields.TextField(default='', unique=False)),
                ('status', fields.CharEnumField(default=ContentStatus.PUBLISHED, description='PUBLISHED: published\nPENDING: pending\nHIDDEN: hidden\nDELETED: deleted', enum_type=ContentStatus, max_length=16)),
                ('status_reason', fields.CharField(default='', description='Why the item is pending or hidden, shown to its author.', max_length=500)),
                ('meta', fields.JSONField(default=dict, description="Small plugin-specific extras (anything queried belongs in the plugin's own table).", encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('edited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('activity_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'content', 'app': 'core', 'indexes': [Index(fields=['community_id', 'kind', 'status']), Index(fields=['kind', 'activity_at']), Index(fields=['parent_id', 'id'])], 'pk_attr': 'id', 'table_description': 'A forum topic or post, a wiki page, a meet-up…: ``kind`` says which plugin owns it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(default=Role.MEMBER, description='COORDINATOR: coordinator\nANIMATOR: animator\nSPONSOR: sponsor\nMEMBER: member\nOBSERVER: observer', enum_type=Role, max_length=16)),
                ('state', fields.CharEnumField(default=MembershipState.ACTIVE, description='ACTIVE: active\nREQUESTED: requested\nINVITED: invited', enum_type=MembershipState, max_length=16)),
                ('invited_by', fields.ForeignKeyField('core.Member', source_field='invited_by_id', null=True, db_constraint=True, to_field='id', related_name='invitations_sent', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'membership', 'app': 'core', 'unique_together': (('member', 'community'),), 'pk_attr': 'id', 'table_description': 'One member in one community, with a role.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=60)),
                ('actor', fields.ForeignKeyField('core.Member', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='notifications_caused', on_delete=OnDelete.SET_NULL)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('content', fields.ForeignKeyField('core.Content', source_field='content_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=300)),
                ('text', fields.TextField(default='', unique=False)),
                ('url', fields.CharField(default='', max_length=500)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('emailed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notification', 'app': 'core', 'indexes': [Index(fields=['member_id', 'read_at', 'id'])], 'pk_attr': 'id', 'table_description': 'Something a member should know: ``kind`` is dotted (``forums.reply``, ``mention``).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key_hash', fields.CharField(unique=True, max_length=64)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('csrf_token', fields.CharField(max_length=64)),
                ('user_agent', fields.CharField(default='', max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'session', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A logged-in browser. The cookie holds the secret, the table holds its SHA-256.'},
            bases=['Model'],
        ),
    ]
