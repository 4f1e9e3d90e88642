"""Categories: created, edited, ordered and deleted by coordinators and animators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from tisserand.communities import audit
from tisserand.errors import Conflict, NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.plugins.forums.models import Category
from tisserand.plugins.forums.text import RESERVED_CATEGORY_SLUGS, slugify

if TYPE_CHECKING:
    from tisserand.web.community import CommunityView


def _validate(name: str, slug: str, description: str) -> dict[str, str]:
    errors = {}
    if not name.strip() or len(name.strip()) > 100:
        errors["name"] = _("A name of 1 to 100 characters is required.")
    if slug in RESERVED_CATEGORY_SLUGS or not slug or len(slug) > 64:
        errors["slug"] = _("This address is reserved or empty: choose another one.")
    if len(description) > 2000:
        errors["description"] = _("The description is too long (2,000 characters at most).")
    return errors


async def create_category(view: CommunityView, *, name: str, slug: str = "", description: str = "") -> Category:
    """Add a category at the end of the list."""
    view.require("forums.category.manage")
    slug = slugify(slug or name, 64, "")
    errors = _validate(name, slug, description)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    if await Category.filter(community_id=view.community.id, slug=slug).exists():
        raise Conflict(_("A category already uses this address."),
                       fields={"slug": _("A category already uses this address.")})
    last = await Category.filter(community_id=view.community.id).order_by("-position").first()
    category = await Category.create(community_id=view.community.id, slug=slug, name=name.strip(),
                                     description=description.strip(),
                                     position=(last.position + 1) if last else 0)
    await audit(view.viewer, view.community, "forums.category.create", target_kind="forum.category",
                target_id=category.id, data={"slug": slug})
    return category


async def get_category(view: CommunityView, category_id: int) -> Category:
    """A category of this community, or 404."""
    category = await Category.get_or_none(id=category_id, community_id=view.community.id)
    if category is None:
        raise NotFound(_("There is no such category in this forum."))
    return category


async def update_category(view: CommunityView, category_id: int, *, name: str, description: str) -> Category:
    """Rename or describe a category (its address stays, so links keep working)."""
    view.require("forums.category.manage")
    category = await get_category(view, category_id)
    errors = _validate(name, category.slug, description)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    category.name = name.strip()
    category.description = description.strip()
    await category.save(update_fields=["name", "description"])
    return category


async def move_category(view: CommunityView, category_id: int, offset: int) -> None:
    """Move a category up (-1) or down (+1) in the list."""
    view.require("forums.category.manage")
    ordered = await Category.filter(community_id=view.community.id).order_by("position", "id")
    index = next((i for i, c in enumerate(ordered) if c.id == category_id), None)
    if index is None:
        raise NotFound(_("There is no such category in this forum."))
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    await place_category(view, category_id, target)


async def place_category(view: CommunityView, category_id: int, position: int) -> None:
    """Put a category at ``position`` (0 is first; beyond the end means last), the others
    keeping their order."""
    view.require("forums.category.manage")
    ordered = await Category.filter(community_id=view.community.id).order_by("position", "id")
    index = next((i for i, c in enumerate(ordered) if c.id == category_id), None)
    if index is None:
        raise NotFound(_("There is no such category in this forum."))
    if position < 0:
        raise ValidationFailed(_("The position is 0 for the first category, or more."),
                               fields={"position": _("0 or more.")})
    ordered.insert(min(position, len(ordered) - 1), ordered.pop(index))
    async with in_transaction():
        for rank, category in enumerate(ordered):
            if category.position != rank:
                category.position = rank
                await category.save(update_fields=["position"])


async def delete_category(view: CommunityView, category_id: int) -> None:
    """Delete a category; its topics stay, without category."""
    view.require("forums.category.manage")
    category = await get_category(view, category_id)
    await category.delete()
    await audit(view.viewer, view.community, "forums.category.delete", target_kind="forum.category",
                target_id=category_id, data={"slug": category.slug})
