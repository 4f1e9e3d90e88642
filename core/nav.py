"""Navigation items that plugins give through ``community_nav``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NavItem"]


@dataclass(frozen=True)
class NavItem:
    """One tab in a community's navigation; lower ``order`` comes first."""

    label: str
    url: str
    order: int = 100
    name: str = ""
