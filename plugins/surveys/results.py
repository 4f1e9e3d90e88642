"""Results of a survey: counts per option and scale point, free texts, two rounds side by side,
and the CSV export. A handful of grouped queries whatever the number of answers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from tisserand.db import fetch_all, fetch_one
from tisserand.i18n import _
from tisserand.plugins.surveys.models import Question, Survey
from tisserand.plugins.surveys.questions import SCALE
from tisserand.plugins.surveys.service import questions_of


@dataclass
class QuestionResult:
    """One question's results: ``counts`` follow ``labels`` (options, or 1 to 5)."""

    question: Question
    answered: int = 0
    labels: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    mean: float | None = None
    texts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, int]]:
        """(label, count) pairs for charts and tables."""
        return list(zip(self.labels, self.counts, strict=True))

    def as_json(self) -> dict[str, Any]:
        """The API's view of this question's results."""
        q = self.question
        data: dict[str, Any] = {"id": q.id, "ref": q.ref, "kind": q.kind, "label": q.label,
                                "answered": self.answered}
        if q.kind == "text":
            data["texts"] = self.texts
        else:
            data["counts"] = [{"label": label, "value": i if q.kind != "scale" else SCALE[i], "count": count}
                              for i, (label, count) in enumerate(self.rows)]
        if q.kind == "scale":
            data["mean"] = self.mean
        return data


@dataclass
class Results:
    """A survey's results, or why they are withheld (``hidden`` says so)."""

    survey: Survey
    respondents: int
    questions: list[QuestionResult]
    hidden: str = ""


def scale_labels(question: Question) -> list[str]:
    """"1 – Not at all", "2", … "5 – Completely"."""
    labels = [str(point) for point in SCALE]
    if question.low_label:
        labels[0] = f"1 – {question.low_label}"
    if question.high_label:
        labels[-1] = f"5 – {question.high_label}"
    return labels


async def respondents(survey: Survey) -> int:
    """How many members answered."""
    row = await fetch_one("SELECT COUNT(*) AS n FROM surveys_participation WHERE survey_id = ?", [survey.id])
    return int(row["n"]) if row else 0


async def results_of(survey: Survey, *, min_anonymous: int = 3, names: bool = True) -> Results:
    """Count every answer of ``survey``. An anonymous survey with fewer than ``min_anonymous``
    respondents shows nothing: with two answers, anyone who knows who answered knows what
    they said. ``names`` lists the author of each free text of a named survey."""
    questions = await questions_of(survey)
    total = await respondents(survey)
    if survey.anonymous and total < min_anonymous:
        return Results(survey, total, [QuestionResult(q) for q in questions],
                       hidden=_("Results of an anonymous survey appear from {n} answers on, so that "
                                "nobody's answers can be guessed.", n=min_anonymous))
    counts = await fetch_all(
        "SELECT question_id, value, COUNT(*) AS n FROM surveys_answer WHERE survey_id = ? "
        "AND value IS NOT NULL GROUP BY question_id, value", [survey.id])
    answered = await fetch_all(
        "SELECT question_id, COUNT(DISTINCT ballot_id) AS n FROM surveys_answer WHERE survey_id = ? "
        "GROUP BY question_id", [survey.id])
    if survey.anonymous or not names:
        # Ordered by the random answer key: neither by time nor by person.
        texts = await fetch_all(
            "SELECT question_id, text FROM surveys_answer WHERE survey_id = ? AND value IS NULL "
            "ORDER BY id", [survey.id])
    else:
        texts = await fetch_all(
            "SELECT a.question_id, a.text, m.username, m.display_name FROM surveys_answer a "
            "JOIN surveys_ballot b ON b.id = a.ballot_id LEFT JOIN member m ON m.id = b.member_id "
            "WHERE a.survey_id = ? AND a.value IS NULL ORDER BY b.submitted_at, a.question_id", [survey.id])
    by_question: dict[int, dict[int, int]] = {}
    for row in counts:
        by_question.setdefault(row["question_id"], {})[int(row["value"])] = int(row["n"])
    answered_by = {row["question_id"]: int(row["n"]) for row in answered}
    results = []
    for question in questions:
        result = QuestionResult(question, answered=answered_by.get(question.id, 0))
        tally = by_question.get(question.id, {})
        if question.kind in ("single", "multiple"):
            result.labels = list(question.options or [])
            result.counts = [tally.get(i, 0) for i in range(len(result.labels))]
        elif question.kind == "scale":
            result.labels = scale_labels(question)
            result.counts = [tally.get(point, 0) for point in SCALE]
            given = sum(result.counts)
            if given:
                result.mean = round(sum(p * c for p, c in zip(SCALE, result.counts, strict=True)) / given, 2)
        else:
            result.texts = [
                {"text": row["text"], **({"author": row.get("display_name") or row.get("username")}
                                         if "username" in row and row.get("username") else {})}
                for row in texts if row["question_id"] == question.id]
        results.append(result)
    return Results(survey, total, results)


@dataclass
class Pair:
    """The same question (same ``ref``) in two rounds; one side may be missing."""

    first: QuestionResult | None
    second: QuestionResult | None

    @property
    def question(self) -> Question:
        """The question, from whichever side has it."""
        return (self.first or self.second).question  # type: ignore[union-attr]


def compare(first: Results, second: Results) -> list[Pair]:
    """Questions of two rounds matched by their ``ref``, in the order of the first round
    (questions only in the second come last)."""
    later = {r.question.ref: r for r in second.questions}
    pairs = []
    for result in first.questions:
        other = later.pop(result.question.ref, None)
        if other is not None and other.question.kind != result.question.kind:
            pairs.append(Pair(result, None))
            pairs.append(Pair(None, other))
            continue
        pairs.append(Pair(result, other))
    pairs.extend(Pair(None, other) for other in later.values())
    return pairs


def aligned_counts(pair: Pair) -> tuple[list[str], list[int], list[int]]:
    """Labels and the two rounds' counts on the same rows (options matched by their text)."""
    first, second = pair.first, pair.second
    labels: list[str] = list(first.labels) if first else []
    for label in (second.labels if second else []):
        if label not in labels:
            labels.append(label)
    def counts(result: QuestionResult | None) -> list[int]:
        found = dict(result.rows) if result else {}
        return [found.get(label, 0) for label in labels]
    return labels, counts(first), counts(second)


def _cell(text: str) -> str:
    # A cell starting like a formula would run in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def export_csv(survey: Survey) -> str:
    """Every answer, one line per respondent. Named surveys start with who answered and
    when; anonymous ones have neither, and their lines are in a random order."""
    questions = await questions_of(survey)
    rows = await fetch_all(
        "SELECT a.ballot_id, a.question_id, a.value, a.text, b.submitted_at, m.username, m.display_name "
        "FROM surveys_answer a JOIN surveys_ballot b ON b.id = a.ballot_id "
        "LEFT JOIN member m ON m.id = b.member_id WHERE a.survey_id = ? "
        "ORDER BY b.submitted_at, a.ballot_id, a.question_id, a.value", [survey.id])
    ballots: dict[str, dict[str, Any]] = {}
    for row in rows:
        ballot = ballots.setdefault(str(row["ballot_id"]), {
            "who": row["display_name"] or row["username"] or "", "when": row["submitted_at"], "answers": {}})
        ballot["answers"].setdefault(row["question_id"], []).append(row)
    out = io.StringIO()
    writer = csv.writer(out)
    head = [] if survey.anonymous else [_("Respondent"), _("Answered at")]
    writer.writerow(head + [q.label for q in questions])
    for ballot in ballots.values():
        line = [] if survey.anonymous else [ballot["who"], str(ballot["when"] or "")]
        for question in questions:
            given = ballot["answers"].get(question.id, [])
            if question.kind == "text":
                line.append(_cell(" ".join(str(r["text"]) for r in given)))
            elif question.kind == "scale":
                line.append(";".join(str(r["value"]) for r in given))
            else:
                options = question.options or []
                line.append(_cell("; ".join(options[r["value"]] for r in given
                                            if 0 <= int(r["value"]) < len(options))))
        writer.writerow(line)
    return "\ufeff" + out.getvalue()
