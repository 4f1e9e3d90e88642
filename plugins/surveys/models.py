"""The surveys plugin's tables: surveys and their questions, who answered, and the answers.

Anonymity is a property of the schema, not only of the pages: ``Participation`` says *that* a
member answered (one row per member and survey, so nobody answers twice), ``Ballot`` and
``Answer`` hold *what* was answered. For an anonymous survey the ballot has no member and no
time stamp, and ballots and answers have random (UUID) keys, so nothing in the database ties an
answer to a person or to the moment a person answered.
"""

from __future__ import annotations

import uuid

from tortoise import fields
from tortoise.models import Model


class Survey(Model):
    """A survey of one community: a round of a series when it recurs.

    The state members see (draft, scheduled, open, closed) follows from ``published`` and the
    two dates, see :func:`tisserand.plugins.surveys.service.state_of`. ``invited_at`` and
    ``closed_at`` record what the scheduler already did (invitations, results notice, copy of
    the next round), so nothing happens twice.
    """

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="surveys", on_delete=fields.CASCADE)
    community_id: int
    author = fields.ForeignKeyField("core.Member", related_name="surveys_created", null=True,
                                    on_delete=fields.SET_NULL)
    author_id: int | None
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    #: The description rendered and sanitized once, at save.
    description_html = fields.TextField(default="")
    anonymous = fields.BooleanField(default=False)
    published = fields.BooleanField(default=False)
    opens_at = fields.DatetimeField(null=True)
    closes_at = fields.DatetimeField(null=True)
    #: The closing date planned before the survey was closed early (``closes_at`` then holds
    #: the moment it was closed); the next round of a series keeps the planned rhythm.
    planned_closes_at = fields.DatetimeField(null=True)
    #: Months between rounds (0 for a survey that does not recur).
    recurrence_months = fields.IntField(default=0)
    #: The id of the first round of the series (the survey's own id for a first round).
    series_id = fields.IntField(null=True)
    round = fields.IntField(default=1)
    invited_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    #: Set once the next round of a recurring survey was created.
    next_round_made = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "surveys"
        table = "surveys_survey"
        indexes = (("community_id", "published", "closes_at"), ("series_id", "round"))

    def __str__(self) -> str:
        return f"survey#{self.id}"


class Question(Model):
    """A question: ``kind`` is single, multiple, scale (1 to 5) or text.

    ``ref`` stays the same in every copy of the question (later rounds, duplicates), so rounds
    can be compared question by question. ``options`` lists the choices of single and multiple
    choice questions, answers refer to them by position. ``low_label`` and ``high_label`` name
    the ends of a scale.
    """

    id = fields.IntField(primary_key=True)
    survey = fields.ForeignKeyField("surveys.Survey", related_name="questions", on_delete=fields.CASCADE)
    survey_id: int
    ref = fields.CharField(max_length=32)
    position = fields.IntField(default=0)
    kind = fields.CharField(max_length=10)
    label = fields.CharField(max_length=500)
    help = fields.CharField(max_length=500, default="")
    required = fields.BooleanField(default=False)
    options = fields.JSONField(default=list)
    low_label = fields.CharField(max_length=80, default="")
    high_label = fields.CharField(max_length=80, default="")

    class Meta:
        app = "surveys"
        table = "surveys_question"
        indexes = (("survey_id", "position"),)


class Participation(Model):
    """That a member answered a survey (never what): one per member and survey."""

    id = fields.IntField(primary_key=True)
    survey = fields.ForeignKeyField("surveys.Survey", related_name="participations", on_delete=fields.CASCADE)
    survey_id: int
    member = fields.ForeignKeyField("core.Member", related_name="survey_participations",
                                    on_delete=fields.CASCADE)
    member_id: int
    answered_at = fields.DatetimeField(auto_now_add=True)
    changed_at = fields.DatetimeField(null=True)

    class Meta:
        app = "surveys"
        table = "surveys_participation"
        unique_together = (("survey", "member"),)


class Ballot(Model):
    """One set of answers. ``member`` and ``submitted_at`` are set for named surveys only.

    For an anonymous survey ``key_hash`` lets the member who holds the matching secret (kept in
    their browser, never stored here) change their answers while the survey is open.
    """

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    survey = fields.ForeignKeyField("surveys.Survey", related_name="ballots", on_delete=fields.CASCADE)
    survey_id: int
    member = fields.ForeignKeyField("core.Member", related_name="survey_ballots", null=True,
                                    on_delete=fields.CASCADE)
    member_id: int | None
    key_hash = fields.CharField(max_length=64, null=True, db_index=True)
    submitted_at = fields.DatetimeField(null=True)

    class Meta:
        app = "surveys"
        table = "surveys_ballot"
        unique_together = (("survey", "member"),)


class Answer(Model):
    """One answer to one question: ``value`` is an option's position (one row per ticked
    option) or a scale point, ``text`` a free answer. No member, no time."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    ballot = fields.ForeignKeyField("surveys.Ballot", related_name="answers", on_delete=fields.CASCADE)
    ballot_id: int
    survey = fields.ForeignKeyField("surveys.Survey", related_name="answers", on_delete=fields.CASCADE)
    survey_id: int
    question = fields.ForeignKeyField("surveys.Question", related_name="answers", on_delete=fields.CASCADE)
    question_id: int
    value = fields.IntField(null=True)
    text = fields.TextField(default="")

    class Meta:
        app = "surveys"
        table = "surveys_answer"
        indexes = (("survey_id", "question_id"),)
