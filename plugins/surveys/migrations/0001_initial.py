from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    dependencies = [("core", "0002_search")]

    operations = [
        ops.CreateModel(
            name='Survey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='surveys', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('core.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='surveys_created', on_delete=OnDelete.SET_NULL)),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('description_html', fields.TextField(default='', description='The description rendered and sanitized once, at save.', unique=False)),
                ('anonymous', fields.BooleanField(default=False)),
                ('published', fields.BooleanField(default=False)),
                ('opens_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closes_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('recurrence_months', fields.IntField(default=0, description='Months between rounds (0 for a survey that does not recur).')),
                ('series_id', fields.IntField(null=True, description="The id of the first round of the series (the survey's own id for a first round).")),
                ('round', fields.IntField(default=1)),
                ('invited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('next_round_made', fields.BooleanField(default=False, description='Set once the next round of a recurring survey was created.')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'surveys_survey', 'app': 'surveys', 'indexes': [Index(fields=['community_id', 'published', 'closes_at']), Index(fields=['series_id', 'round'])], 'pk_attr': 'id', 'table_description': 'A survey of one community: a round of a series when it recurs.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ballot',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('survey', fields.ForeignKeyField('surveys.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='ballots', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='survey_ballots', on_delete=OnDelete.CASCADE)),
                ('key_hash', fields.CharField(null=True, db_index=True, max_length=64)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'surveys_ballot', 'app': 'surveys', 'unique_together': (('survey', 'member'),), 'pk_attr': 'id', 'table_description': 'One set of answers. ``member`` and ``submitted_at`` are set for named surveys only.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Participation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('survey', fields.ForeignKeyField('surveys.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='participations', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='survey_participations', on_delete=OnDelete.CASCADE)),
                ('answered_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('changed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'surveys_participation', 'app': 'surveys', 'unique_together': (('survey', 'member'),), 'pk_attr': 'id', 'table_description': 'That a member answered a survey (never what): one per member and survey.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Question',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('survey', fields.ForeignKeyField('surveys.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='questions', on_delete=OnDelete.CASCADE)),
                ('ref', fields.CharField(max_length=32)),
                ('position', fields.IntField(default=0)),
                ('kind', fields.CharField(max_length=10)),
                ('label', fields.CharField(max_length=500)),
                ('help', fields.CharField(default='', max_length=500)),
                ('required', fields.BooleanField(default=False)),
                ('options', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('low_label', fields.CharField(default='', max_length=80)),
                ('high_label', fields.CharField(default='', max_length=80)),
            ],
            options={'table': 'surveys_question', 'app': 'surveys', 'indexes': [Index(fields=['survey_id', 'position'])], 'pk_attr': 'id', 'table_description': 'A question: ``kind`` is single, multiple, scale (1 to 5) or text.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Answer',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('ballot', fields.ForeignKeyField('surveys.Ballot', source_field='ballot_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('survey', fields.ForeignKeyField('surveys.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('question', fields.ForeignKeyField('surveys.Question', source_field='question_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('value', fields.IntField(null=True)),
                ('text', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'surveys_answer', 'app': 'surveys', 'indexes': [Index(fields=['survey_id', 'question_id'])], 'pk_attr': 'id', 'table_description': "One answer to one question: ``value`` is an option's position (one row per ticked"},
            bases=['Model'],
        ),
    ]
