"""The forums' own tables, one-to-one with core Content where they describe an item.

Topics and replies are Content rows (kinds ``forum.topic`` and ``forum.post``); these tables
keep what the forum queries: categories, the topic's flags and counters, each reply's number and
the post it answers, reactions, participants and each member's read position.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Category(Model):
    """A category of a community's forum, ordered by ``position``."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="forum_categories",
                                       on_delete=fields.CASCADE)
    community_id: int
    slug = fields.CharField(max_length=64)
    name = fields.CharField(max_length=100)
    description = fields.TextField(default="")
    position = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "forums"
        table = "forum_category"
        unique_together = (("community", "slug"),)
        ordering = ["position", "id"]


class Topic(Model):
    """The forum fields of a ``forum.topic`` content item, with counters kept at write time.

    ``post_seq`` numbers the replies (the opening post is number 1), ``highest_number`` is the
    number of the latest published reply, used for unread markers.
    """

    id = fields.IntField(primary_key=True)
    content = fields.OneToOneField("core.Content", related_name="forum_topic", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="forum_topics",
                                       on_delete=fields.CASCADE)
    community_id: int
    category = fields.ForeignKeyField("forums.Category", related_name="topics", null=True,
                                      on_delete=fields.SET_NULL)
    category_id: int | None
    slug = fields.CharField(max_length=80, default="topic")
    pinned = fields.BooleanField(default=False)
    locked = fields.BooleanField(default=False)
    announcement = fields.BooleanField(default=False)
    solved_post = fields.ForeignKeyField("core.Content", related_name="forum_solutions", null=True,
                                         on_delete=fields.SET_NULL)
    solved_post_id: int | None
    reply_count = fields.IntField(default=0)
    participant_count = fields.IntField(default=1)
    post_seq = fields.IntField(default=1)
    highest_number = fields.IntField(default=1)
    bumped_at = fields.DatetimeField()
    last_poster = fields.ForeignKeyField("core.Member", related_name="forum_last_posts", null=True,
                                         on_delete=fields.SET_NULL)
    last_poster_id: int | None
    #: Usernames already told they were mentioned (so an edit does not notify twice).
    notified = fields.JSONField(default=list)
    #: Grows on every change shown on the topic page (posts, reactions, solution, flags): the key
    #: of the rendered replies cached for anonymous readers.
    version = fields.IntField(default=0, db_default=0)

    class Meta:
        app = "forums"
        table = "forum_topic"
        indexes = (("community_id", "pinned", "bumped_at", "content_id"),
                   ("category_id", "pinned", "bumped_at", "content_id"))


class Post(Model):
    """The forum fields of a ``forum.post`` reply: its topic, number and the post it answers."""

    id = fields.IntField(primary_key=True)
    content = fields.OneToOneField("core.Content", related_name="forum_post", on_delete=fields.CASCADE)
    content_id: int
    topic = fields.ForeignKeyField("core.Content", related_name="forum_posts", on_delete=fields.CASCADE)
    topic_id: int
    reply_to = fields.ForeignKeyField("core.Content", related_name="forum_answers", null=True,
                                      on_delete=fields.SET_NULL)
    reply_to_id: int | None
    number = fields.IntField()
    #: Usernames already told they were mentioned.
    notified = fields.JSONField(default=list)

    class Meta:
        app = "forums"
        table = "forum_post"
        unique_together = (("topic", "number"),)


class Reaction(Model):
    """One member's reaction of one kind to a topic or a reply."""

    id = fields.IntField(primary_key=True)
    content = fields.ForeignKeyField("core.Content", related_name="forum_reactions", on_delete=fields.CASCADE)
    content_id: int
    member = fields.ForeignKeyField("core.Member", related_name="forum_reactions", on_delete=fields.CASCADE)
    member_id: int
    kind = fields.CharField(max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "forums"
        table = "forum_reaction"
        unique_together = (("content", "member", "kind"),)


class Participant(Model):
    """A member who wrote in a topic, with how much (rebuilt from Content on every change)."""

    id = fields.IntField(primary_key=True)
    topic = fields.ForeignKeyField("core.Content", related_name="forum_participants", on_delete=fields.CASCADE)
    topic_id: int
    member = fields.ForeignKeyField("core.Member", related_name="forum_participations",
                                    on_delete=fields.CASCADE)
    member_id: int
    post_count = fields.IntField(default=0)
    last_posted_at = fields.DatetimeField()

    class Meta:
        app = "forums"
        table = "forum_participant"
        unique_together = (("topic", "member"),)


class TopicState(Model):
    """A member's read position in a topic and whether they watch it."""

    id = fields.IntField(primary_key=True)
    topic = fields.ForeignKeyField("core.Content", related_name="forum_states", on_delete=fields.CASCADE)
    topic_id: int
    member = fields.ForeignKeyField("core.Member", related_name="forum_states", on_delete=fields.CASCADE)
    member_id: int
    last_read_number = fields.IntField(default=0)
    watching = fields.BooleanField(default=False)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "forums"
        table = "forum_topic_state"
        unique_together = (("topic", "member"),)


class Watch(Model):
    """A member who wants to hear of every new topic in a forum, or in one category."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="forum_watches", on_delete=fields.CASCADE)
    community_id: int
    category = fields.ForeignKeyField("forums.Category", related_name="watches", null=True,
                                      on_delete=fields.CASCADE)
    category_id: int | None
    member = fields.ForeignKeyField("core.Member", related_name="forum_watches", on_delete=fields.CASCADE)
    member_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "forums"
        table = "forum_watch"
        unique_together = (("community", "category", "member"),)
