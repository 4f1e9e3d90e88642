from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True
    # Tortoise does not record dependencies across apps: kudos points at core tables.
    dependencies = [("core", "0002_search")]

    operations = [
        ops.CreateModel(
            name='Kudos',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='kudos', on_delete=OnDelete.CASCADE)),
                ('content', fields.ForeignKeyField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='kudos', on_delete=OnDelete.CASCADE)),
                ('giver', fields.ForeignKeyField('core.Member', source_field='giver_id', db_constraint=True, to_field='id', related_name='kudos_given', on_delete=OnDelete.CASCADE)),
                ('receiver', fields.ForeignKeyField('core.Member', source_field='receiver_id', db_constraint=True, to_field='id', related_name='kudos_received', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'kudos', 'app': 'kudos', 'unique_together': (('content', 'giver'),), 'indexes': [Index(fields=['community_id', 'created_at']), Index(fields=['receiver_id'])], 'pk_attr': 'id', 'table_description': 'A member thanks the author of a content item, once per item.'},
            bases=['Model'],
        ),
    ]
