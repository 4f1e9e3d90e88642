"""Forms for pictures: ``POST /me/avatar`` and ``POST /c/{slug}/settings/pictures``."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.communities import audit, ensure_writable
from tisserand.i18n import _
from tisserand.uploads.pictures import (
    clear_avatar,
    clear_community_picture,
    set_avatar,
    set_community_picture,
)
from tisserand.web.community import load_community
from tisserand.web.flash import flash_redirect
from tisserand.web.pages.common import require_login


def _file(item: object) -> UploadFile | None:
    return item if isinstance(item, UploadFile) and item.filename else None


async def save_avatar(request: Request) -> Response:
    """Set or remove the member's picture."""
    member = require_login(request)
    async with request.form(max_files=1, max_fields=10, max_part_size=64 * 1024) as form:
        picture = _file(form.get("picture"))
        if form.get("remove") == "1":
            await clear_avatar(member)
            return flash_redirect("/me", _("Your picture is removed: your initials show instead."))
        if picture is None:
            return flash_redirect("/me", _("Choose a picture first."), "error")
        await set_avatar(member, picture.file, picture.filename or "")
    return flash_redirect("/me", _("Your picture is saved."))


async def save_pictures(request: Request) -> Response:
    """Set or remove the community's logo and banner (those who may edit its settings)."""
    view = await load_community(request, read=False)
    view.require("community.settings.edit")
    community = view.community
    await ensure_writable(community)
    changed: list[str] = []
    async with request.form(max_files=2, max_fields=10, max_part_size=64 * 1024) as form:
        for which in ("logo", "banner"):
            picture = _file(form.get(which))
            if form.get(f"remove_{which}") == "1":
                await clear_community_picture(community, which)  # type: ignore[arg-type]
                changed.append(which)
            elif picture is not None:
                await set_community_picture(community, which, picture.file,  # type: ignore[arg-type]
                                            picture.filename or "", view.viewer)  # type: ignore[arg-type]
                changed.append(which)
    if changed:
        await audit(view.viewer, community, "community.pictures", data={"changed": changed})
    return flash_redirect(f"/c/{community.slug}/settings#pictures", _("The pictures are saved."))


def routes() -> list[BaseRoute]:
    """HTML form routes."""
    return [
        Route("/me/avatar", save_avatar, methods=["POST"], name="me-avatar"),
        Route("/c/{slug}/settings/pictures", save_pictures, methods=["POST"], name="community-pictures"),
    ]
