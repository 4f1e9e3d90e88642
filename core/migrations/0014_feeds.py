from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [('core', '0013_search_extra')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FeedKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='feed_key', on_delete=OnDelete.CASCADE)),
                ('salt', fields.CharField(max_length=64)),
                ('key_hash', fields.CharField(max_length=64, unique=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'feed_key', 'app': 'core', 'pk_attr': 'id', 'table_description': 'One per member. The URL\'s secret is an HMAC of ``salt`` with the site\'s secret key, so'},
            bases=['Model'],
        ),
    ]
