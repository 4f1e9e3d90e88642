"""Gather the ``content_actions`` fragments (a "Thank" button, a "Report" link…) for the items a
page shows, so every page that lists content offers the same actions from every plugin."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from tisserand.plugin_manager import resolve_all
from tisserand.site import current_site

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.web.community import CommunityView

__all__ = ["content_actions_for"]


def _as_content(item: Any, community_id: int) -> Any:
    if isinstance(item, dict):
        return SimpleNamespace(id=item["id"], author_id=item.get("author_id"), kind=item.get("kind", ""),
                               status=item.get("status", "published"), community_id=community_id,
                               title=item.get("title", ""), parent_id=item.get("parent_id"))
    return item


async def content_actions_for(request: Request, view: CommunityView, items: list[Any]) -> dict[int, Markup]:
    """``{content id: Markup}`` of every switched-on plugin's actions for ``items`` (Content
    objects or row dicts with ``id``, ``author_id``, ``status``). Empty for anonymous visitors,
    whom no action concerns."""
    if view.viewer is None or not items:
        return {}
    relay = current_site().plugins.for_community(view.community)
    contents = [_as_content(item, view.community.id) for item in items]
    found: dict[int, list[Markup]] = {}
    if relay.content_actions.get_hookimpls():  # per-item implementations (kept for compatibility)
        for content in contents:
            fragments = await resolve_all(relay.content_actions(content=content, viewer=view.viewer, request=request))
            if fragments:
                found.setdefault(content.id, []).extend(fragments)
    if relay.content_actions_batch.get_hookimpls():  # one call per page
        for answer in await resolve_all(relay.content_actions_batch(contents=contents, viewer=view.viewer,
                                                                    request=request)):
            for content_id, fragment in (answer or {}).items():
                if fragment:
                    found.setdefault(content_id, []).extend(
                        fragment if isinstance(fragment, list | tuple) else [fragment])
    return {content_id: Markup(" ").join(fragments) for content_id, fragments in found.items()}
