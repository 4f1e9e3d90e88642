from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('archive', '0002_edit_counts'), ('core', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BundleExport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='archive_exports', on_delete=OnDelete.CASCADE)),
                ('requested_by', fields.ForeignKeyField('core.Member', source_field='requested_by_id', null=True, db_constraint=True, to_field='id', related_name='archive_exports_requested', on_delete=OnDelete.SET_NULL)),
                ('include_private', fields.BooleanField(default=False)),
                ('status', fields.CharField(default='queued', max_length=16)),
                ('file_name', fields.CharField(default='', max_length=200)),
                ('size', fields.BigIntField(default=0)),
                ('error', fields.CharField(default='', max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'archive_export', 'app': 'archive', 'indexes': [Index(fields=['community_id', 'status'])], 'pk_attr': 'id', 'table_description': "A community's bundle built in the background by a worker, kept a few days for download."},
            bases=['Model'],
        ),
    ]
