"""Surveys in archive bundles: ``surveys/surveys.jsonl`` (each survey with its questions),
``surveys/participations.jsonl`` (who answered) and ``surveys/ballots.jsonl`` (the answers,
without a member for anonymous surveys, exactly as stored)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tisserand.plugins.surveys.models import Answer, Ballot, Participation, Question, Survey

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

SURVEYS = "surveys/surveys.jsonl"
PARTICIPATIONS = "surveys/participations.jsonl"
BALLOTS = "surveys/ballots.jsonl"
SURVEY_FIELDS = ("id", "author_id", "title", "description", "description_html", "anonymous", "published",
                 "opens_at", "closes_at", "recurrence_months", "series_id", "round", "invited_at",
                 "closed_at", "next_round_made", "created_at", "planned_closes_at")
QUESTION_FIELDS = ("id", "ref", "position", "kind", "label", "help", "required", "options", "low_label",
                   "high_label")


async def export_surveys(community: Community, bundle: Bundle) -> None:
    """Write the community's surveys, participations and answers."""
    surveys = await Survey.filter(community_id=community.id).order_by("id").values(*SURVEY_FIELDS)
    ids = [s["id"] for s in surveys]
    questions: dict[int, list[dict[str, Any]]] = {}
    for row in await Question.filter(survey_id__in=ids).order_by("position", "id").values("survey_id", *QUESTION_FIELDS):
        questions.setdefault(row.pop("survey_id"), []).append(row)
    for survey in surveys:
        survey["questions"] = questions.get(survey["id"], [])
        bundle.include_member(survey["author_id"])
    bundle.write_jsonl(SURVEYS, surveys)
    participations = await Participation.filter(survey_id__in=ids).order_by("id").values(
        "survey_id", "member_id", "answered_at", "changed_at")
    for row in participations:
        bundle.include_member(row["member_id"])
    bundle.write_jsonl(PARTICIPATIONS, participations)
    answers: dict[str, list[dict[str, Any]]] = {}
    for row in await Answer.filter(survey_id__in=ids).values("ballot_id", "question_id", "value", "text"):
        answers.setdefault(str(row.pop("ballot_id")), []).append(row)
    ballots = []
    for row in await Ballot.filter(survey_id__in=ids).order_by("id").values("id", "survey_id", "member_id",
                                                                            "submitted_at"):
        bundle.include_member(row["member_id"])
        ballot_answers = sorted(answers.get(str(row["id"]), []), key=lambda a: (a["question_id"], str(a["value"]), a["text"]))
        ballots.append({"survey_id": row["survey_id"], "member_id": row["member_id"],
                        "submitted_at": row["submitted_at"], "answers": ballot_answers})
    # Ballot ids are random (anonymity): order by content, so that an export is reproducible.
    ballots.sort(key=lambda b: (b["survey_id"], str(b["member_id"]), repr(b["answers"])))
    bundle.write_jsonl(BALLOTS, ballots)


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


async def import_surveys(community: Community, bundle: Bundle) -> None:
    """Recreate the surveys with new ids. Anonymous ballots lose their change secret (it was
    bound to the old member ids): they are final, as the surveys of an archive should be."""
    if not bundle.has(SURVEYS):
        return
    survey_ids: dict[int, int] = {}
    question_ids: dict[int, int] = {}
    series: list[tuple[Survey, int | None]] = []
    for row in bundle.read_jsonl(SURVEYS):
        survey = await Survey.create(
            community=community, author_id=bundle.member_id(row.get("author_id")), title=row["title"],
            description=row.get("description", ""), description_html=row.get("description_html", ""),
            anonymous=bool(row.get("anonymous")), published=bool(row.get("published")),
            opens_at=_when(row.get("opens_at")), closes_at=_when(row.get("closes_at")),
            recurrence_months=int(row.get("recurrence_months") or 0), round=int(row.get("round") or 1),
            invited_at=_when(row.get("invited_at")), closed_at=_when(row.get("closed_at")),
            next_round_made=bool(row.get("next_round_made")),
            planned_closes_at=_when(row.get("planned_closes_at")))
        if row.get("created_at"):  # auto_now_add stamps "now": keep the original date
            await Survey.filter(id=survey.id).update(created_at=_when(str(row["created_at"])))
        survey_ids[int(row["id"])] = survey.id
        series.append((survey, row.get("series_id")))
        for question in row.get("questions", []):
            created = await Question.create(
                survey=survey, ref=question["ref"], position=question.get("position", 0), kind=question["kind"],
                label=question["label"], help=question.get("help", ""), required=bool(question.get("required")),
                options=question.get("options") or [], low_label=question.get("low_label", ""),
                high_label=question.get("high_label", ""))
            question_ids[int(question["id"])] = created.id
    for survey, old_series in series:
        survey.series_id = survey_ids.get(int(old_series), survey.id) if old_series else survey.id
        await survey.save(update_fields=["series_id"])
    if bundle.has(PARTICIPATIONS):
        for row in bundle.read_jsonl(PARTICIPATIONS):
            member_id = bundle.member_id(row.get("member_id"))
            survey_id = survey_ids.get(int(row["survey_id"]))
            if member_id is None or survey_id is None:
                continue
            participation = await Participation.create(survey_id=survey_id, member_id=member_id,
                                                       changed_at=_when(row.get("changed_at")))
            answered = _when(row.get("answered_at"))
            if answered:
                await Participation.filter(id=participation.id).update(answered_at=answered)
    if bundle.has(BALLOTS):
        for row in bundle.read_jsonl(BALLOTS):
            survey_id = survey_ids.get(int(row["survey_id"]))
            if survey_id is None:
                continue
            ballot = await Ballot.create(survey_id=survey_id, member_id=bundle.member_id(row.get("member_id")),
                                         submitted_at=_when(row.get("submitted_at")))
            await Answer.bulk_create([
                Answer(ballot_id=ballot.id, survey_id=survey_id, question_id=question_ids[int(a["question_id"])],
                       value=a.get("value"), text=a.get("text") or "")
                for a in row.get("answers", []) if int(a["question_id"]) in question_ids])
