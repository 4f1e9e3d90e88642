from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0009_uploads')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Community',
            name='banner_upload',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='Community',
            name='logo_upload',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='Member',
            name='avatar_upload',
            field=fields.CharField(null=True, max_length=32),
        ),
    ]
