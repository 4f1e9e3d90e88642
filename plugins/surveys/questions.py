"""Question kinds: what a question may hold, and how an answer to it is read and checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tisserand.i18n import _

KINDS = ("single", "multiple", "scale", "text")
SCALE = (1, 2, 3, 4, 5)
MAX_OPTIONS = 20
MAX_TEXT = 5000


def kind_label(kind: str) -> str:
    """The name of a question kind, for people."""
    return {
        "single": _("Single choice"),
        "multiple": _("Multiple choice"),
        "scale": _("Scale from 1 to 5"),
        "text": _("Free text"),
    }.get(kind, kind)


def kind_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for a select box."""
    return [(kind, kind_label(kind)) for kind in KINDS]


@dataclass
class QuestionInput:
    """A question as typed by a survey's author, checked."""

    kind: str
    label: str
    help: str = ""
    required: bool = False
    options: list[str] | None = None
    low_label: str = ""
    high_label: str = ""


def split_options(raw: str | list[str] | None) -> list[str]:
    """Options from a textarea (one per line) or a list, stripped, blanks dropped."""
    if raw is None:
        return []
    lines = raw.splitlines() if isinstance(raw, str) else [str(item) for item in raw]
    return [line.strip() for line in lines if line.strip()]


def check_question(data: dict[str, Any]) -> tuple[QuestionInput | None, dict[str, str]]:
    """Read a question from form or JSON data; field errors when it is not right."""
    errors: dict[str, str] = {}
    kind = str(data.get("kind") or "").strip()
    if kind not in KINDS:
        errors["kind"] = _("Choose a kind of question.")
    label = str(data.get("label") or "").strip()
    if not label:
        errors["label"] = _("Write the question.")
    elif len(label) > 500:
        errors["label"] = _("At most {n} characters.", n=500)
    help_text = str(data.get("help") or "").strip()
    if len(help_text) > 500:
        errors["help"] = _("At most {n} characters.", n=500)
    options = split_options(data.get("options"))
    if kind in ("single", "multiple"):
        if len(options) < 2:
            errors["options"] = _("Give at least two options, one per line.")
        elif len(options) > MAX_OPTIONS:
            errors["options"] = _("At most {n} options.", n=MAX_OPTIONS)
        elif any(len(option) > 200 for option in options):
            errors["options"] = _("An option may have at most {n} characters.", n=200)
        elif len({o.casefold() for o in options}) != len(options):
            errors["options"] = _("Two options are the same.")
    low = str(data.get("low_label") or "").strip()
    high = str(data.get("high_label") or "").strip()
    if len(low) > 80 or len(high) > 80:
        errors["low_label" if len(low) > 80 else "high_label"] = _("At most {n} characters.", n=80)
    required = data.get("required") in (True, "on", "1", "true", "yes")
    if errors:
        return None, errors
    return QuestionInput(kind=kind, label=label, help=help_text, required=required,
                         options=options if kind in ("single", "multiple") else [],
                         low_label=low if kind == "scale" else "",
                         high_label=high if kind == "scale" else ""), {}


@dataclass(frozen=True)
class AnswerRow:
    """One row to store: a question's option position or scale point, or a text."""

    question_id: int
    value: int | None = None
    text: str = ""


def _as_list(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return [str(item) for item in raw if str(item).strip() != ""]
    text = str(raw)
    return [text] if text.strip() != "" else []


def check_answers(questions: list[Any], raw: dict[str, Any]) -> tuple[list[AnswerRow], dict[str, str]]:
    """Turn submitted values (by question id, as strings or lists) into rows to store.

    Single choice and scale take one value, multiple choice a list of option positions, text a
    string. Unknown option positions, values out of the scale and missing required answers
    are field errors named ``q<id>``.
    """
    rows: list[AnswerRow] = []
    errors: dict[str, str] = {}
    for question in questions:
        name = f"q{question.id}"
        values = _as_list(raw.get(str(question.id), raw.get(name)))
        if question.kind == "text":
            text = "\n".join(values).strip()
            if len(text) > MAX_TEXT:
                errors[name] = _("At most {n} characters.", n=MAX_TEXT)
            elif text:
                rows.append(AnswerRow(question.id, text=text))
            elif question.required:
                errors[name] = _("This question needs an answer.")
            continue
        try:
            numbers = sorted({int(value) for value in values})
        except ValueError:
            errors[name] = _("This answer is not one of the choices.")
            continue
        if question.kind == "scale":
            allowed: set[int] = set(SCALE)
        else:
            allowed = set(range(len(question.options or [])))
        if any(number not in allowed for number in numbers):
            errors[name] = _("This answer is not one of the choices.")
        elif question.kind in ("single", "scale") and len(numbers) > 1:
            errors[name] = _("Choose only one answer.")
        elif not numbers and question.required:
            errors[name] = _("This question needs an answer.")
        else:
            rows.extend(AnswerRow(question.id, value=number) for number in numbers)
    return rows, errors
