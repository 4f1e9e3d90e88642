from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0004_plugin_switches')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuthTicket',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key_hash', fields.CharField(unique=True, max_length=64)),
                ('purpose', fields.CharField(max_length=20)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='auth_tickets', on_delete=OnDelete.CASCADE)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'auth_ticket', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A short-lived, one-time secret (OIDC state, pending second factor, pending account link,'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IdentityLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='identity_links', on_delete=OnDelete.CASCADE)),
                ('provider', fields.CharField(max_length=40)),
                ('subject', fields.CharField(max_length=255)),
                ('email', fields.CharField(default='', max_length=254)),
                ('granted', fields.JSONField(default=dict, description='What the last sign-in granted from groups: ``{"admin": bool, "communities": {slug: role}}``,', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'identity_link', 'app': 'core', 'unique_together': (('provider', 'subject'),), 'pk_attr': 'id', 'table_description': "A member's account at an OpenID provider (``provider`` is its ``[[auth.oidc]]`` name)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SsoSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session', fields.OneToOneField('core.Session', source_field='session_id', db_constraint=True, to_field='id', related_name='sso', on_delete=OnDelete.CASCADE)),
                ('provider', fields.CharField(max_length=40)),
                ('id_token', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'sso_session', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A session opened through an identity provider, with the ID token for signing out there.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TwoFactor',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='two_factor', on_delete=OnDelete.CASCADE)),
                ('secret', fields.CharField(max_length=64)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('recovery_codes', fields.JSONField(default=list, description='SHA-256 digests of the unused recovery codes.', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('last_step', fields.BigIntField(default=0, description='The last TOTP time step accepted (a code works once).')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'two_factor', 'app': 'core', 'pk_attr': 'id', 'table_description': "A member's TOTP secret (confirmed once a code was entered) and hashed recovery codes."},
            bases=['Model'],
        ),
    ]
