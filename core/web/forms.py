"""Reading HTML forms with limits (the CSRF token was already checked by the middleware).

Every text value is cleaned at the door (:func:`tisserand.text.clean_text`): no control
characters reach titles, names, summaries or bodies, whichever form they come from.

Files attached without JavaScript: a Markdown form may carry ``<input type="file"
name="attachment">`` (the ``attach`` macro of the default theme, in a form sent as
``multipart/form-data``). :func:`read_form` takes such files in through the uploads service,
for the logged-in member and the community of the page, and appends their Markdown
references to the ``body`` field (``attachment_alt`` gives an image's alt text), so every
form that reads its fields with :func:`read_form` accepts files with no code of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import UploadFile

from tisserand.text import BadText, clean_text

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["read_form", "read_form_lists", "read_form_multi"]

#: The field of a Markdown form that carries files to attach to its ``body``.
ATTACHMENT_FIELD = "attachment"


def form_text(value: str) -> str:
    """A form value without control characters (lone surrogates dropped)."""
    try:
        return clean_text(value)
    except BadText:
        return clean_text(value.encode("utf-8", "ignore").decode("utf-8"))


async def read_form(request: Request, *, max_fields: int = 200, max_files: int = 10) -> dict[str, str]:
    """The form's text fields as a dict (last value wins), with limits on fields and files;
    files in the ``attachment`` field are uploaded and referenced at the end of ``body``."""
    async with request.form(max_fields=max_fields, max_files=max_files,
                            max_part_size=1024 * 1024) as form:
        values = {form_text(key): form_text(value) for key, value in form.items() if isinstance(value, str)}
        files = [item for item in form.getlist(ATTACHMENT_FIELD)
                 if isinstance(item, UploadFile) and item.filename]
        if files:
            references = await _attach(request, files, values.get("attachment_alt", ""))
            if references:
                body = values.get("body", "").rstrip()
                values["body"] = "\n\n".join(part for part in (body, "\n".join(references)) if part)
        return values


async def _attach(request: Request, files: list[UploadFile], alt: str) -> list[str]:
    from tisserand.uploads import markdown_reference, save_upload

    member = getattr(request.state, "viewer", None)
    if member is None:
        return []
    view = getattr(request.state, "community", None)
    # Only a member's files count in a community's quota (the page checks the right to post).
    community = getattr(view, "community", None) if getattr(view, "is_member", False) else None
    references = []
    for item in files:
        upload = await save_upload(item.file, name=item.filename or "", uploader=member,
                                   community=community, alt=alt)
        references.append(markdown_reference(upload))
    return references


async def read_form_lists(request: Request, *names: str) -> dict[str, list[str]]:
    """Multi-valued fields (checkboxes) as lists."""
    async with request.form(max_fields=500) as form:
        return {name: [form_text(v) for v in form.getlist(name) if isinstance(v, str)] for name in names}


async def read_form_multi(request: Request, *, prefix: str = "", max_fields: int = 500) -> dict[str, list[str]]:
    """Every text field whose name starts with ``prefix``, with all its values, cleaned."""
    async with request.form(max_fields=max_fields, max_files=0) as form:
        return {form_text(key): [form_text(v) for v in form.getlist(key) if isinstance(v, str)]
                for key in form if key.startswith(prefix)}
