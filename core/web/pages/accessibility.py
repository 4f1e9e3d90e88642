"""The accessibility statement ``/accessibility``: what the automated audit found (its page
count, standards and date, read from ``tisserand/data/accessibility_audit.json``, which the
audit in ``tests/browser/test_accessibility_audit.py`` writes when it passes), then the site's
own part: a contact for reporting problems (``[site] accessibility_contact``) and whatever the
instance's ``templates/accessibility_site.html`` says."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.web.pages.common import render, site_of


@cache
def audit_result() -> dict[str, Any]:
    """The last clean audit shipped with this version ({} when there is none)."""
    try:
        text = resources.files("tisserand").joinpath("data/accessibility_audit.json").read_text("utf-8")
        result: dict[str, Any] = json.loads(text)
        result["date"] = date.fromisoformat(result["date"])
        return result
    except (OSError, ValueError, KeyError):
        return {}


async def statement(request: Request) -> Response:
    """The accessibility statement."""
    site = site_of(request)
    contact = site.settings.site.accessibility_contact.strip()
    return await render(request, "accessibility.html", {
        "audit": audit_result(), "contact": contact,
        "contact_is_mail": "@" in contact and not contact.startswith(("http://", "https://")),
    })


def routes() -> list[BaseRoute]:
    """``/accessibility``."""
    return [Route("/accessibility", statement, methods=["GET"])]
