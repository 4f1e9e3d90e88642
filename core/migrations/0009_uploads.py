from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tisserand.models.upload import UploadPurpose
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0008_notification_messages')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Upload',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('uploader', fields.ForeignKeyField('core.Member', source_field='uploader_id', null=True, db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.SET_NULL)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.CASCADE)),
                ('content', fields.ForeignKeyField('core.Content', source_field='content_id', null=True, description='The content item the file belongs to (its readers may fetch it).', db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.SET_NULL)),
                ('purpose', fields.CharEnumField(default=UploadPurpose.ATTACHMENT, description='ATTACHMENT: attachment\nAVATAR: avatar\nLOGO: logo\nBANNER: banner', enum_type=UploadPurpose, max_length=16)),
                ('name', fields.CharField(max_length=200)),
                ('mime', fields.CharField(max_length=120)),
                ('size', fields.BigIntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('storage_key', fields.CharField(max_length=200)),
                ('width', fields.IntField(null=True)),
                ('height', fields.IntField(null=True)),
                ('alt', fields.CharField(default='', max_length=500)),
                ('variants', fields.JSONField(default=dict, description='Smaller copies of an image: ``{"display": key, "thumb": key}`` (storage keys).', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'upload', 'app': 'core', 'indexes': [Index(fields=['uploader_id', 'created_at']), Index(fields=['community_id']), Index(fields=['content_id'])], 'pk_attr': 'id', 'table_description': 'One uploaded file. ``id`` is a random token made by the server (also the name used in'},
            bases=['Model'],
        ),
    ]
