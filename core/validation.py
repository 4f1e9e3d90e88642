"""Validation messages people understand, in their language: pydantic's errors translated by
their type (with the limits they carry), each naming the field as the form names it.

A model names its fields for people with ``Field(title=N_("Subject"))`` (translated when the
error is shown); otherwise a shared table of common field names is used, then the field's own
name. :func:`describe` is what the API and the HTML forms use for their 422 answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from tisserand.i18n import N_, _, format_number, ngettext

__all__ = ["describe", "error_message", "field_label"]

#: People's names for field names common to many forms (a model's ``title`` comes first).
FIELD_LABELS = {
    "title": N_("Title"), "body": N_("Text"), "name": N_("Name"), "description": N_("Description"),
    "slug": N_("Address"), "tags": N_("Tags"), "email": N_("E-mail address"), "password": N_("Password"),
    "username": N_("Username"), "display_name": N_("Display name"), "visibility": N_("Visibility"),
    "join_policy": N_("Joining"), "reason": N_("Reason"), "note": N_("Note"), "subject": N_("Subject"),
    "locale": N_("Language"), "timezone": N_("Time zone"), "role": N_("Role"), "url": N_("Web address"),
    "ids": N_("Items"), "plugins": N_("Plugins"), "parent": N_("Parent"), "status": N_("Status"),
    "starts_at": N_("Start"), "ends_at": N_("End"), "capacity": N_("Seats"), "answer": N_("Answer"),
    "content": N_("Content"), "community": N_("Community"), "kind": N_("Kind"), "licence": N_("Licence"),
}


def field_label(model: type[BaseModel] | None, location: tuple[Any, ...]) -> str:
    """How the form names the field at ``location`` (``("tags", 3)`` → "Tags")."""
    names = [str(part) for part in location if not isinstance(part, int)]
    if not names:
        return _("Request")
    name = names[-1]
    if model is not None and len(names) == 1:
        info = model.model_fields.get(name)
        if info is not None and info.title:
            return _(info.title)
    if name in FIELD_LABELS:
        return _(FIELD_LABELS[name])
    return name.replace("_", " ").capitalize()


def _n(value: Any) -> str:
    return format_number(value) if isinstance(value, int | float) else str(value)


def error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error in the active locale."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    limit = ctx.get("max_length", ctx.get("min_length", 0))
    count = int(limit) if isinstance(limit, int) else 0
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "null_refused":
        return _("This field cannot be null: leave it out to keep its value.")
    if kind == "string_too_long":
        return ngettext("{count} character at most.", "{count} characters at most.", count)
    if kind == "string_too_short":
        if count <= 1:
            return _("This field is required.")
        return ngettext("At least {count} character.", "At least {count} characters.", count)
    if kind == "too_long":
        return ngettext("{count} item at most.", "{count} items at most.", count)
    if kind == "too_short":
        return ngettext("At least {count} item.", "At least {count} items.", count)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = _n(ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt", "")))))
        return {"greater_than_equal": _("{limit} or more.", limit=bound),
                "greater_than": _("More than {limit}.", limit=bound),
                "less_than_equal": _("{limit} or less.", limit=bound),
                "less_than": _("Less than {limit}.", limit=bound)}[kind]
    if kind in ("literal_error", "enum"):
        return _("Choose one of: {choices}.", choices=str(ctx.get("expected", "")).replace("'", ""))
    if kind == "value_error":
        return str(ctx.get("error", "")) or _("This value is not valid.")
    simple = {
        "string_type": N_("Text is expected here."), "string_unicode": N_("Text is expected here."),
        "string_pattern_mismatch": N_("This value does not have the expected form."),
        "int_type": N_("A whole number is expected here."), "int_parsing": N_("A whole number is expected here."),
        "int_from_float": N_("A whole number is expected here."),
        "float_type": N_("A number is expected here."), "float_parsing": N_("A number is expected here."),
        "finite_number": N_("A number is expected here."), "decimal_parsing": N_("A number is expected here."),
        "bool_type": N_("Yes or no (true or false) is expected here."),
        "bool_parsing": N_("Yes or no (true or false) is expected here."),
        "list_type": N_("A list is expected here."), "tuple_type": N_("A list is expected here."),
        "set_type": N_("A list is expected here."), "dict_type": N_("An object is expected here."),
        "model_type": N_("An object is expected here."), "model_attributes_type": N_("An object is expected here."),
        "date_type": N_("A date such as 2031-06-21 is expected here."),
        "date_parsing": N_("A date such as 2031-06-21 is expected here."),
        "date_from_datetime_parsing": N_("A date such as 2031-06-21 is expected here."),
        "date_from_datetime_inexact": N_("A date such as 2031-06-21 is expected here."),
        "datetime_type": N_("A date and time such as 2031-06-21T14:30 is expected here."),
        "datetime_parsing": N_("A date and time such as 2031-06-21T14:30 is expected here."),
        "datetime_from_date_parsing": N_("A date and time such as 2031-06-21T14:30 is expected here."),
        "time_parsing": N_("A time such as 14:30 is expected here."),
        "timezone_aware": N_("A date and time with its time zone is expected here."),
        "url_parsing": N_("A web address (https://…) is expected here."),
        "url_scheme": N_("A web address (https://…) is expected here."),
        "uuid_parsing": N_("This identifier is not valid."), "uuid_type": N_("This identifier is not valid."),
        "json_invalid": N_("The body is not valid JSON."), "json_type": N_("The body is not valid JSON."),
        "union_tag_invalid": N_("This value is not valid."), "union_tag_not_found": N_("This value is not valid."),
        "assertion_error": N_("This value is not valid."),
    }
    return _(simple.get(kind, N_("This value is not valid.")))


def describe(exc: ValidationError, model: type[BaseModel] | None = None) -> tuple[dict[str, str], str]:
    """``({field: message}, summary)`` for a failed validation: messages for the form's fields,
    and one line naming the first field as the form does ("Tags: 20 items at most.")."""
    fields: dict[str, str] = {}
    summary = ""
    for error in exc.errors():
        location = tuple(error.get("loc") or ())
        if not location and (error.get("ctx") or {}).get("field"):
            location = (error["ctx"]["field"],)  # a model-level check that names its field
        name = ".".join(str(p) for p in location) or "body"
        message = error_message(error)
        if name not in fields:
            fields[name] = message
            if not summary:
                summary = _("{field}: {problem}", field=field_label(model, location), problem=message)
    return fields, summary or _("Please check your input")
