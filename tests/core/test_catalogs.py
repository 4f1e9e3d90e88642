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


#: Punctuation that is code, not French prose (an HTTP header written as is).
_CODE_COLONS = ("Authorization: Bearer",)
_SPACE_BEFORE = __import__("re").compile(r"(?<=\S)( ?)([:;?!])(?=\s|$|»)")


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_french_translations_space_high_punctuation(name):
    """French puts a no-break space before ``:`` and a narrow no-break space before ``; ? !``
    (e-mails and notifications are written from these catalogs, not through ``punctuate``)."""
    from babel.messages.pofile import read_po

    with COMPONENTS[name].po("fr").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    wrong = []
    for message in catalog:
        if not message.id:
            continue  # the catalog's header
        texts = message.string if isinstance(message.string, tuple | list) else [message.string]
        for text in texts:
            for clean in _CODE_COLONS:
                text = (text or "").replace(clean, "")
            for match in _SPACE_BEFORE.finditer(text):
                if match.group(2) == ":" and text[: match.start()][-1:].isdigit():
                    continue  # 18:00
                wrong.append(text[max(0, match.start() - 30): match.end() + 10])
    assert wrong == []


_PLAIN_DE = __import__("re").compile(r"(?<![\w'’])de \{(name|author|community|member|actor|inviter|provider)\}")


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_french_translations_elide_before_names(name):
    """A name may start with a vowel: "d'Inès", "d'Atelier vélo" — French translations write
    ``{name:de}``, never "de {name}" (which would give "de Inès")."""
    from babel.messages.pofile import read_po

    with COMPONENTS[name].po("fr").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    wrong = [text for message in catalog if message.id
             for text in (message.string if isinstance(message.string, tuple | list) else [message.string])
             if text and _PLAIN_DE.search(text) and "{line}" not in text]
    assert wrong == []
