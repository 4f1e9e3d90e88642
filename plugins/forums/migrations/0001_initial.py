from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True
    dependencies = [("core", "0002_search")]

    operations = [
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='forum_categories', on_delete=OnDelete.CASCADE)),
                ('slug', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=100)),
                ('description', fields.TextField(default='', unique=False)),
                ('position', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'forum_category', 'app': 'forums', 'unique_together': (('community', 'slug'),), 'pk_attr': 'id', 'table_description': "A category of a community's forum, ordered by ``position``."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Participant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('topic', fields.ForeignKeyField('core.Content', source_field='topic_id', db_constraint=True, to_field='id', related_name='forum_participants', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='forum_participations', on_delete=OnDelete.CASCADE)),
                ('post_count', fields.IntField(default=0)),
                ('last_posted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'forum_participant', 'app': 'forums', 'unique_together': (('topic', 'member'),), 'pk_attr': 'id', 'table_description': 'A member who wrote in a topic, with how much (rebuilt from Content on every change).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Post',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='forum_post', on_delete=OnDelete.CASCADE)),
                ('topic', fields.ForeignKeyField('core.Content', source_field='topic_id', db_constraint=True, to_field='id', related_name='forum_posts', on_delete=OnDelete.CASCADE)),
                ('reply_to', fields.ForeignKeyField('core.Content', source_field='reply_to_id', null=True, db_constraint=True, to_field='id', related_name='forum_answers', on_delete=OnDelete.SET_NULL)),
                ('number', fields.IntField()),
                ('notified', fields.JSONField(default=list, description='Usernames already told they were mentioned.', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'forum_post', 'app': 'forums', 'unique_together': (('topic', 'number'),), 'pk_attr': 'id', 'table_description': 'The forum fields of a ``forum.post`` reply: its topic, number and the post it answers.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Reaction',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.ForeignKeyField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='forum_reactions', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='forum_reactions', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=20)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'forum_reaction', 'app': 'forums', 'unique_together': (('content', 'member', 'kind'),), 'pk_attr': 'id', 'table_description': "One member's reaction of one kind to a topic or a reply."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Topic',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='forum_topic', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='forum_topics', on_delete=OnDelete.CASCADE)),
                ('category', fields.ForeignKeyField('forums.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='topics', on_delete=OnDelete.SET_NULL)),
                ('slug', fields.CharField(default='topic', max_length=80)),
                ('pinned', fields.BooleanField(default=False)),
                ('locked', fields.BooleanField(default=False)),
                ('announcement', fields.BooleanField(default=False)),
                ('solved_post', fields.ForeignKeyField('core.Content', source_field='solved_post_id', null=True, db_constraint=True, to_field='id', related_name='forum_solutions', on_delete=OnDelete.SET_NULL)),
                ('reply_count', fields.IntField(default=0)),
                ('participant_count', fields.IntField(default=1)),
                ('post_seq', fields.IntField(default=1)),
                ('highest_number', fields.IntField(default=1)),
                ('bumped_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_poster', fields.ForeignKeyField('core.Member', source_field='last_poster_id', null=True, db_constraint=True, to_field='id', related_name='forum_last_posts', on_delete=OnDelete.SET_NULL)),
                ('notified', fields.JSONField(default=list, description='Usernames already told they were mentioned (so an edit does not notify twice).', encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'forum_topic', 'app': 'forums', 'indexes': [Index(fields=['community_id', 'pinned', 'bumped_at', 'content_id']), Index(fields=['category_id', 'pinned', 'bumped_at', 'content_id'])], 'pk_attr': 'id', 'table_description': 'The forum fields of a ``forum.topic`` content item, with counters kept at write time.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TopicState',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('topic', fields.ForeignKeyField('core.Content', source_field='topic_id', db_constraint=True, to_field='id', related_name='forum_states', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='forum_states', on_delete=OnDelete.CASCADE)),
                ('last_read_number', fields.IntField(default=0)),
                ('watching', fields.BooleanField(default=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'forum_topic_state', 'app': 'forums', 'unique_together': (('topic', 'member'),), 'pk_attr': 'id', 'table_description': "A member's read position in a topic and whether they watch it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Watch',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='forum_watches', on_delete=OnDelete.CASCADE)),
                ('category', fields.ForeignKeyField('forums.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='watches', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='forum_watches', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'forum_watch', 'app': 'forums', 'unique_together': (('community', 'category', 'member'),), 'pk_attr': 'id', 'table_description': 'A member who wants to hear of every new topic in a forum, or in one category.'},
            bases=['Model'],
        ),
    ]
