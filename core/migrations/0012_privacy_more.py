from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0011_privacy')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Member',
            name='consent_pending',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Member',
            name='profile_visibility',
            field=fields.JSONField(null=True),
        ),
        ops.AddField(
            model_name='Member',
            name='inactivity_warned_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
