from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0003_exports')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BundleImport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('file_name', fields.CharField(default='', max_length=200)),
                ('original_name', fields.CharField(default='', max_length=255)),
                ('slug', fields.CharField(null=True, max_length=64)),
                ('skip_missing_plugins', fields.BooleanField(default=False)),
                ('status', fields.CharField(default='queued', max_length=16)),
                ('community_slug', fields.CharField(default='', max_length=64)),
                ('error', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'archive_import', 'app': 'archive', 'pk_attr': 'id', 'table_description': 'A bundle handed to ``tisserand import FILE.zip --queue``: copied into the instance'},
            bases=['Model'],
        ),
    ]
