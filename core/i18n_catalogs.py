"""The translation catalogs: every ``locale/<lang>/LC_MESSAGES/*.po`` of the core, the themes and
the plugins, read with Babel into one pool per language (no compile step)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel.messages.pofile import read_po

from tisserand.i18n_locale import LANGUAGES

_catalogs: dict[str, dict[str | tuple[str, str], str | list[str]]] = {lang: {} for lang in LANGUAGES}
_loaded_dirs: set[Path] = set()


def load_catalogs(locale_dirs: Iterable[Path]) -> None:
    """Read every ``.po`` under the given ``locale`` folders (once each).

    All catalogs share one pool; the first translation of a message wins. The core's catalog is
    read first, so a plugin that reuses a core message gets the core's wording.
    """
    for folder in locale_dirs:
        folder = Path(folder)
        if folder in _loaded_dirs or not folder.is_dir():
            continue
        _loaded_dirs.add(folder)
        for language in LANGUAGES:
            for po in sorted((folder / language / "LC_MESSAGES").glob("*.po")):
                with po.open("rb") as handle:
                    catalog = read_po(handle, locale=language)
                target = _catalogs[language]
                for message in catalog:
                    if not message.id or not message.string or message.fuzzy:
                        continue
                    if isinstance(message.string, tuple | list) and not all(message.string):
                        continue  # an untranslated plural is ('', ''): keep the English
                    if isinstance(message.id, tuple | list):
                        target.setdefault((message.id[0], message.id[1]), list(message.string))
                    else:
                        target.setdefault(message.id, str(message.string))
