from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('archive', '0001_initial'), ('core', '0002_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EditCount',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='archive_edit_count', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='archive_edit_counts', on_delete=OnDelete.CASCADE)),
                ('edits', fields.IntField(default=0)),
                ('last_edited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'archive_edit_count', 'app': 'archive', 'indexes': [Index(fields=['community_id', 'edits'])], 'pk_attr': 'id', 'table_description': 'How many times a content item was edited (counted from ``content_saved``), for the'},
            bases=['Model'],
        ),
    ]
