"""Every hook — the core's and those the built-in plugins add — is named in the hook reference,
the architecture page and the changelog, so a reader of any of them learns it exists."""

from pathlib import Path

import pytest

from tisserand import hookdoc

ROOT = Path(__file__).parents[2]
PAGES = ["docs/hooks.md", "docs/architecture.md", "docs/changelog.md"]


def all_hooks() -> list[str]:
    return hookdoc.hook_names() + [name for name, _plugin, _doc in hookdoc.plugin_hooks()]


def test_the_built_in_plugins_hooks_are_found():
    assert {"moderation_score", "moderation_posts_read", "insights_daily_metrics"} <= set(all_hooks())


@pytest.mark.parametrize("page", PAGES)
def test_every_hook_is_named_on_the_page(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    missing = [name for name in all_hooks() if f"`{name}" not in text]
    assert not missing, f"{page} does not name these hooks: {missing}"
