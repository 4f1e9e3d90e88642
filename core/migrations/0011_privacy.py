from tortoise import migrations
from tortoise.migrations import operations as ops
from tisserand.models.privacy import ExportStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0010_pictures')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AccountClosing',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='closing', on_delete=OnDelete.CASCADE)),
                ('mode', fields.CharField(max_length=16)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'account_closing', 'app': 'core', 'pk_attr': 'id', 'table_description': "A member's request to close their account, carried out at ``due_at`` unless they sign in"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Consent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='consents', on_delete=OnDelete.CASCADE)),
                ('document', fields.CharField(max_length=40)),
                ('version', fields.CharField(max_length=40)),
                ('accepted_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'consent', 'app': 'core', 'pk_attr': 'id', 'table_description': "A member's acceptance of a site document (``privacy`` policy, ``terms``) in one version."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DataExport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='data_exports', on_delete=OnDelete.CASCADE)),
                ('requested_by', fields.ForeignKeyField('core.Member', source_field='requested_by_id', null=True, db_constraint=True, to_field='id', related_name='data_exports_requested', on_delete=OnDelete.SET_NULL)),
                ('status', fields.CharEnumField(default=ExportStatus.PENDING, description='PENDING: pending\nBUILDING: building\nREADY: ready\nFAILED: failed\nEXPIRED: expired', enum_type=ExportStatus, max_length=16)),
                ('file_name', fields.CharField(default='', description="The zip's file name inside the instance's ``data/exports`` folder.", max_length=100)),
                ('size', fields.BigIntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('ready_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'data_export', 'app': 'core', 'pk_attr': 'id', 'table_description': "A zip of everything one member's account holds, built in the background."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Session',
            name='ip',
            field=fields.CharField(null=True, max_length=45),
        ),
    ]
