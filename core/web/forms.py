"""Reading HTML forms with limits (the CSRF token was already checked by the middleware).

Every text value is cleaned at the door (:func:`tisserand.text.clean_text`): no control
characters reach titles, names, summaries or bodies, whichever form they come from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.text import BadText, clean_text

if TYPE_CHECKING:
    from starlette.requests import Request


def form_text(value: str) -> str:
    """A form value without control characters (lone surrogates dropped)."""
    try:
        return clean_text(value)
    except BadText:
        return clean_text(value.encode("utf-8", "ignore").decode("utf-8"))


async def read_form(request: Request, *, max_fields: int = 200, max_files: int = 10) -> dict[str, str]:
    """The form's text fields as a dict (last value wins), with limits on fields and files."""
    async with request.form(max_fields=max_fields, max_files=max_files,
                            max_part_size=1024 * 1024) as form:
        return {form_text(key): form_text(value) for key, value in form.items() if isinstance(value, str)}


async def read_form_lists(request: Request, *names: str) -> dict[str, list[str]]:
    """Multi-valued fields (checkboxes) as lists."""
    async with request.form(max_fields=500) as form:
        return {name: [form_text(v) for v in form.getlist(name) if isinstance(v, str)] for name in names}


async def read_form_multi(request: Request, *, prefix: str = "", max_fields: int = 500) -> dict[str, list[str]]:
    """Every text field whose name starts with ``prefix``, with all its values, cleaned."""
    async with request.form(max_fields=max_fields, max_files=0) as form:
        return {form_text(key): [form_text(v) for v in form.getlist(key) if isinstance(v, str)]
                for key in form if key.startswith(prefix)}
