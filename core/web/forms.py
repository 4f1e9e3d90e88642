"""Reading HTML forms with limits (the CSRF token was already checked by the middleware)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request


async def read_form(request: Request, *, max_fields: int = 200, max_files: int = 10) -> dict[str, str]:
    """The form's text fields as a dict (last value wins), with limits on fields and files."""
    async with request.form(max_fields=max_fields, max_files=max_files,
                            max_part_size=1024 * 1024) as form:
        return {key: value for key, value in form.items() if isinstance(value, str)}


async def read_form_lists(request: Request, *names: str) -> dict[str, list[str]]:
    """Multi-valued fields (checkboxes) as lists."""
    async with request.form(max_fields=500) as form:
        return {name: [v for v in form.getlist(name) if isinstance(v, str)] for name in names}
