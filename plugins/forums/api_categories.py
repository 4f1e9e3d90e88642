"""Categories in the forum's JSON API: list, add, rename, describe, move and delete them."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import NotFound
from tisserand.i18n import _
from tisserand.plugins.forums import categories as cats
from tisserand.plugins.forums import queries
from tisserand.plugins.forums.api import Body
from tisserand.plugins.forums.models import Category
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, listing, read_json, require_viewer
from tisserand.web.community import CommunityView, load_community


class CategoryIn(Body):
    name: str
    slug: str = ""
    description: str = ""


class CategoryPatch(Body):
    """Rename, describe or move a category (absent fields stay as they are; its address stays)."""

    name: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=2000)
    position: int | None = Field(None, ge=0, le=10_000, description="0 is first; beyond the end means last")


class CategoryOut(Out):
    """A forum category (``topic_count`` in lists)."""

    slug: str
    name: str
    description: str
    position: int
    topic_count: int | None = None


@documented(tags=["forums"], listing=True, answer=CategoryOut)
async def list_categories(request: Request) -> Response:
    """The forum's categories, in order, with their topic counts."""
    view = await load_community(request, plugin="forums")
    rows = await queries.categories(view)
    return listing([{k: r[k] for k in ("slug", "name", "description", "position", "topic_count")} for r in rows],
                   None)


@documented(tags=["forums"], status=201, answer=CategoryOut)
async def create_category(request: Request) -> Response:
    """Add a category: ``{name, slug?, description?}`` (coordinators and animators) → 201."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    data = await read_json(request, CategoryIn)
    category = await cats.create_category(view, name=data.name, slug=data.slug, description=data.description)
    return answer(_category_json(category), 201)


def _category_json(category: Any) -> dict[str, Any]:
    return {"slug": category.slug, "name": category.name, "description": category.description,
            "position": category.position}


async def _category(view: CommunityView, slug: str) -> Any:
    """The category ``{category}`` (its slug) of the forum, or 404 (after the right is checked,
    so an outsider cannot tell which categories exist)."""
    view.require("forums.category.manage")
    found = await Category.get_or_none(community_id=view.community.id, slug=slug)
    if found is None:
        raise NotFound(_("There is no such category in this forum."))
    return found


@documented(tags=["forums"], answer=CategoryOut)
async def update_category(request: Request) -> Response:
    """Rename, describe or move a category: ``{name?, description?, position?}`` (coordinators and
    animators); its address (slug) stays, so links keep working."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    data = await read_json(request, CategoryPatch)
    category = await _category(view, request.path_params["category"])
    if data.name is not None or data.description is not None:
        category = await cats.update_category(
            view, category.id, name=category.name if data.name is None else data.name,
            description=category.description if data.description is None else data.description)
    if data.position is not None:
        await cats.place_category(view, category.id, data.position)
        category = await cats.get_category(view, category.id)
    return answer(_category_json(category))


@documented(tags=["forums"], status=204)
async def delete_category(request: Request) -> Response:
    """Delete a category (coordinators and animators); its topics stay, without category."""
    require_viewer(request)
    view = await load_community(request, plugin="forums")
    category = await _category(view, request.path_params["category"])
    await cats.delete_category(view, category.id)
    return Response(status_code=204)
