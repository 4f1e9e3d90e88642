from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True
    dependencies = [("core", "0002_search")]

    operations = [
        ops.CreateModel(
            name='WikiCommunitySettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.OneToOneField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='wiki_settings', on_delete=OnDelete.CASCADE)),
                ('default_licence', fields.CharField(max_length=40)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'wiki_settings', 'app': 'wiki', 'pk_attr': 'id', 'table_description': "A community's wiki settings (the licence new pages get by default)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WikiPage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='wiki_page', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='wiki_pages', on_delete=OnDelete.CASCADE)),
                ('path', fields.CharField(max_length=200)),
                ('parent', fields.ForeignKeyField('wiki.WikiPage', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.SET_NULL)),
                ('title_key', fields.CharField(description='The title folded for case-insensitive lookups of [[Title]] links.', max_length=300)),
                ('licence', fields.CharField(max_length=40)),
                ('visibility', fields.CharField(default='public', description='``public`` (whoever may read the community) or ``members`` (active members only).', max_length=16)),
                ('protected', fields.BooleanField(default=False, description='Only those with ``wiki.page.protect`` may edit a protected page.')),
                ('current_revision', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_by', fields.ForeignKeyField('core.Member', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name='wiki_pages_updated', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'wiki_page', 'app': 'wiki', 'unique_together': (('community', 'path'),), 'indexes': [Index(fields=['community_id', 'title_key']), Index(fields=['community_id', 'updated_at'])], 'pk_attr': 'id', 'table_description': "A page of a community's wiki, addressed by ``path`` (``guide/onboarding``)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WikiLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('source', fields.ForeignKeyField('wiki.WikiPage', source_field='source_id', db_constraint=True, to_field='id', related_name='links_out', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='wiki_links', on_delete=OnDelete.CASCADE)),
                ('target_path', fields.CharField(max_length=200)),
                ('target_key', fields.CharField(default='', description='The link text folded like ``WikiPage.title_key``, to find links that name a title.', max_length=300)),
            ],
            options={'table': 'wiki_link', 'app': 'wiki', 'indexes': [Index(fields=['community_id', 'target_path']), Index(fields=['community_id', 'target_key'])], 'pk_attr': 'id', 'table_description': 'A ``[[link]]`` from a page: where it points (existing or not) and the title it named.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WikiRevision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('page', fields.ForeignKeyField('wiki.WikiPage', source_field='page_id', db_constraint=True, to_field='id', related_name='revisions', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='wiki_revisions', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('author', fields.ForeignKeyField('core.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='wiki_revisions', on_delete=OnDelete.SET_NULL)),
                ('author_name', fields.CharField(default='', description="The author's name when the revision was saved (kept if the account goes away).", max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('summary', fields.CharField(default='', max_length=300)),
                ('title', fields.CharField(max_length=300)),
                ('body', fields.TextField(unique=False)),
                ('size', fields.IntField(default=0, description='Length of the body in characters, so history lists never load the texts.')),
                ('restored_from', fields.IntField(null=True, description='The revision this one restored, for rollbacks.')),
            ],
            options={'table': 'wiki_revision', 'app': 'wiki', 'unique_together': (('page', 'number'),), 'indexes': [Index(fields=['community_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One saved state of a page: who, when, why, and the full text.'},
            bases=['Model'],
        ),
    ]
