"""Every translatable string of the core, the themes, every built-in plugin and the example
plugin is translated in French and English, and templates mark every word people read."""

from __future__ import annotations

import functools

import pytest

from tisserand import catalogs

COMPONENTS = {component.name: component for component in catalogs.components()}


@functools.cache
def _missing(name: str) -> dict[str, list[catalogs.Key]]:
    return catalogs.missing(COMPONENTS[name])


def test_every_plugin_and_theme_has_catalogs():
    assert {"core", "forums", "wiki", "meetups", "moderation", "digests", "archive", "surveys",
            "insights"} <= set(COMPONENTS)
    for component in COMPONENTS.values():
        for language in catalogs.LANGUAGES:
            assert component.po(language).exists(), component.po(language)


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_every_string_is_translated(name, language):
    missing = _missing(name)[language]
    assert not missing, f"{name}: untranslated in {language} (add them: scripts/i18n append-missing): {missing}"


def test_template_text_is_marked_for_translation():
    problems = catalogs.unmarked()
    assert not problems, f"text not inside {{{{ _(...) }}}}: {problems}"


def test_the_checker_sees_unmarked_text():
    source = ('<p>{{ _("Hello") }}</p><button aria-label="Close">×</button><p>Welcome back</p>'
              '<script>var x = "word";</script><a href="/me/digest">{{ n }}</a> Tisserand · Markdown')
    assert catalogs.unmarked_text(source) == ["Close", "Welcome back"]


def test_the_checker_sees_strings_kept_for_later():
    found = catalogs.extract(COMPONENTS["core"])
    assert "Start a topic" not in found  # a plugin's, not the core's
    assert "See the member list" in found  # N_() in core/permissions.py
    assert "{name} asks to join {community}" in found  # lazy_gettext() in core/communities.py
    assert "Start a topic" in catalogs.extract(COMPONENTS["forums"])
