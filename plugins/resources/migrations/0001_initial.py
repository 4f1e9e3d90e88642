from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0010_pictures')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Resource',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='resource', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='resources', on_delete=OnDelete.CASCADE)),
                ('url', fields.CharField(default='', max_length=2000)),
                ('upload_id', fields.CharField(null=True, max_length=32)),
                ('licence', fields.CharField(max_length=40)),
                ('visibility', fields.CharField(default='public', max_length=16)),
                ('tags', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('featured', fields.BooleanField(default=False)),
                ('version', fields.IntField(default=1)),
                ('text', fields.TextField(default='', unique=False)),
                ('updated_by', fields.ForeignKeyField('core.Member', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name='resources_updated', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'resources_resource', 'app': 'resources', 'indexes': [Index(fields=['community_id', 'featured']), Index(fields=['community_id', 'updated_at'])], 'pk_attr': 'id', 'table_description': 'The current state of a resource: link and/or file, licence, visibility, tags.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ResourceTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('resource', fields.ForeignKeyField('resources.Resource', source_field='resource_id', db_constraint=True, to_field='id', related_name='tag_rows', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='resource_tags', on_delete=OnDelete.CASCADE)),
                ('tag', fields.CharField(max_length=40)),
            ],
            options={'table': 'resources_tag', 'app': 'resources', 'indexes': [Index(fields=['community_id', 'tag'])], 'pk_attr': 'id', 'table_description': 'A tag of a resource (lower-case), for the tag filter.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ResourceVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('resource', fields.ForeignKeyField('resources.Resource', source_field='resource_id', db_constraint=True, to_field='id', related_name='versions', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('title', fields.CharField(max_length=300)),
                ('description', fields.TextField(default='', unique=False)),
                ('url', fields.CharField(default='', max_length=2000)),
                ('upload_id', fields.CharField(null=True, max_length=32)),
                ('licence', fields.CharField(max_length=40)),
                ('visibility', fields.CharField(default='public', max_length=16)),
                ('tags', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('note', fields.CharField(default='', max_length=300)),
                ('author', fields.ForeignKeyField('core.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='resource_versions', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'resources_version', 'app': 'resources', 'unique_together': (('resource_id', 'number'),), 'pk_attr': 'id', 'table_description': 'One version of a resource, as it was saved: who changed what, and when.'},
            bases=['Model'],
        ),
    ]
