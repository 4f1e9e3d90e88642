"""``/admin/privacy/register``: the register of processing, built from the core's and the
enabled plugins' ``data_register`` declarations, in French or English."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from tisserand.data_register import build_register
from tisserand.web.pages.common import render, require_admin, site_of

LANGUAGES = ("fr", "en")


async def register_page(request: Request) -> Response:
    """The register, in ``?lang=fr|en`` (default: the site's language)."""
    require_admin(request)
    site = site_of(request)
    language = request.query_params.get("lang") or site.settings.site.default_locale
    if language not in LANGUAGES:
        language = site.settings.site.default_locale if site.settings.site.default_locale in LANGUAGES else "en"
    return await render(request, "admin/privacy_register.html", {
        "tab": "privacy", "register": build_register(site, language), "register_lang": language,
        "languages": LANGUAGES})
