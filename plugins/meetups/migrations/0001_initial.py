from tortoise import migrations
from tortoise.migrations import operations as ops
from tisserand.plugins.meetups.models import RsvpState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True
    dependencies = [("core", "0002_search")]

    operations = [
        ops.CreateModel(
            name='Meetup',
            fields=[
                ('id', fields.IntField(primary_key=True, unique=True, db_index=True, description="The content id (not generated: the row shares its content item's id).")),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='meetup', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='meetups', on_delete=OnDelete.CASCADE)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('timezone', fields.CharField(max_length=64)),
                ('venue', fields.CharField(default='', max_length=200)),
                ('address', fields.CharField(default='', max_length=300)),
                ('city', fields.CharField(default='', max_length=200)),
                ('latitude', fields.FloatField(null=True)),
                ('longitude', fields.FloatField(null=True)),
                ('online_url', fields.CharField(default='', max_length=500)),
                ('capacity', fields.IntField(null=True, description='Seats, or null for no limit.')),
                ('going_count', fields.IntField(default=0)),
                ('waitlist_count', fields.IntField(default=0)),
                ('maybe_count', fields.IntField(default=0)),
                ('rsvp_seq', fields.IntField(default=0, description='Bumped by every RSVP transaction, which locks the row first.')),
                ('cancelled', fields.BooleanField(default=False)),
                ('cancelled_reason', fields.CharField(default='', max_length=500)),
                ('series_id', fields.IntField(null=True, description='Content id of the first meet-up of a repeated series, null when alone.')),
                ('series_index', fields.IntField(default=0)),
                ('sequence', fields.IntField(default=0, description='iCalendar SEQUENCE, bumped when the time, place or status changes.')),
            ],
            options={'table': 'meetups_meetup', 'app': 'meetups', 'indexes': [Index(fields=['latitude', 'longitude', 'ends_at', 'cancelled', 'community_id']), Index(fields=['community_id', 'starts_at']), Index(fields=['starts_at']), Index(fields=['series_id'])], 'pk_attr': 'id', 'table_description': 'A meet-up in person, online or both. Times are stored in UTC with the IANA zone they'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Place',
            fields=[
                ('id', fields.IntField(primary_key=True, unique=True, db_index=True, description='The content id, as for a meet-up.')),
                ('content', fields.OneToOneField('core.Content', source_field='content_id', db_constraint=True, to_field='id', related_name='achievement_place', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='achievement_places', on_delete=OnDelete.CASCADE)),
                ('latitude', fields.FloatField()),
                ('longitude', fields.FloatField()),
                ('city', fields.CharField(default='', max_length=200)),
                ('achieved_on', fields.DateField(null=True)),
                ('link', fields.CharField(default='', max_length=500)),
            ],
            options={'table': 'meetups_place', 'app': 'meetups', 'indexes': [Index(fields=['latitude', 'longitude']), Index(fields=['community_id'])], 'pk_attr': 'id', 'table_description': 'Where a remarkable achievement (a project, a result) is pinned on the map.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Rsvp',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meetup', fields.ForeignKeyField('meetups.Meetup', source_field='meetup_id', db_constraint=True, to_field='id', related_name='rsvps', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='meetup_rsvps', on_delete=OnDelete.CASCADE)),
                ('state', fields.CharEnumField(description='GOING: going\nWAITLISTED: waitlisted\nMAYBE: maybe\nDECLINED: declined', enum_type=RsvpState, max_length=16)),
                ('waitlisted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'meetups_rsvp', 'app': 'meetups', 'unique_together': (('meetup', 'member'),), 'indexes': [Index(fields=['member_id', 'state']), Index(fields=['meetup_id', 'state', 'waitlisted_at'])], 'pk_attr': 'id', 'table_description': "One member's answer for one meet-up. ``waitlisted_at`` orders the waiting list,"},
            bases=['Model'],
        ),
    ]
