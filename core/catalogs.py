"""The translation catalogs as a whole: which sources feed which catalog, what is missing, and
user-visible template text nobody marked for translation. Used by ``scripts/i18n`` and by the
catalog tests (``python -m tisserand.catalogs check`` prints what is missing).

A *component* is one catalog: the core with the default theme (``core/locale``, domain
``tisserand``), each built-in plugin (``plugins/<name>/locale``, domain ``<name>``), each other
theme with a ``locale`` folder, and the example plugin.
"""

from __future__ import annotations

import functools
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "en")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
PYTHON = [("migrations/**", "ignore"), ("testing/**", "ignore"), ("**.py", "python")]
TEMPLATES = [("**.html", "jinja2"), ("**.txt", "jinja2")]
Key = str | tuple[str, str]


@dataclass(frozen=True)
class Component:
    """One catalog and the sources whose strings it translates."""

    name: str
    domain: str
    locale: Path
    sources: tuple[tuple[Path, tuple[tuple[str, str], ...]], ...]

    def po(self, language: str) -> Path:
        """The ``.po`` file for ``language``."""
        return self.locale / language / "LC_MESSAGES" / f"{self.domain}.po"


def components(root: Path = ROOT) -> list[Component]:
    """Every catalog of the repository."""
    found = [Component("core", "tisserand", root / "core" / "locale",
                       ((root / "core", tuple(PYTHON)), (root / "themes" / "default", tuple(TEMPLATES))))]
    for folder in sorted((root / "plugins").iterdir()):
        if (folder / "locale").is_dir():
            found.append(Component(folder.name, folder.name, folder / "locale",
                                   ((folder, tuple(PYTHON + TEMPLATES)),)))
    for folder in sorted((root / "themes").iterdir()):
        if folder.name != "default" and (folder / "locale").is_dir():
            found.append(Component(f"theme:{folder.name}", folder.name, folder / "locale",
                                   ((folder, tuple(TEMPLATES)),)))
    for po in sorted((root / "examples").glob("*/*/locale/en/LC_MESSAGES/*.po")):
        package = po.parents[3]
        found.append(Component(f"example:{package.name}", po.stem, package / "locale",
                               ((package, tuple(PYTHON + TEMPLATES)),)))
    return found


def extract(component: Component) -> dict[Key, list[str]]:
    """Every translatable string of the component's sources, with where it is used."""
    found: dict[Key, list[str]] = {}
    for folder, mapping in component.sources:
        for file, line, message, _comments, _context in extract_from_dir(str(folder), list(mapping),
                                                                          keywords=KEYWORDS):
            key: Key = (message[0], message[1]) if isinstance(message, list | tuple) else message
            if key:
                found.setdefault(key, []).append(f"{folder.name}/{file}:{line}")
    return found


def catalog(component: Component, language: str, *, with_core: bool = True) -> dict[Key, str | list[str]]:
    """The translated entries of a component's catalog (a plugin may reuse the core's)."""
    paths = [component.po(language)]
    if with_core and component.name != "core":
        paths.append(ROOT / "core" / "locale" / language / "LC_MESSAGES" / "tisserand.po")
    entries: dict[Key, str | list[str]] = {}
    for path in paths:
        if path.exists():
            for key, value in _read(path, path.stat().st_mtime_ns, language).items():
                entries.setdefault(key, value)
    return entries


@functools.lru_cache(maxsize=64)
def _read(path: Path, _mtime: int, language: str) -> dict[Key, str | list[str]]:
    entries: dict[Key, str | list[str]] = {}
    with path.open("rb") as handle:
        for message in read_po(handle, locale=language):
            if not message.id or message.fuzzy:
                continue
            key: Key = (message.id[0], message.id[1]) if isinstance(message.id, list | tuple) else message.id
            value: str | list[str] = (list(message.string) if isinstance(message.string, list | tuple)
                                      else str(message.string or ""))
            if (all(value) if isinstance(value, list) else value):
                entries.setdefault(key, value)
    return entries


def missing(component: Component) -> dict[str, list[Key]]:
    """Strings of the component without a translation, per language."""
    used = extract(component)
    return {language: sorted((k for k in used if k not in catalog(component, language)), key=str)
            for language in LANGUAGES}


# --- user-visible text that nobody marked ----------------------------------------------------------

_JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.DOTALL)
_HIDDEN = re.compile(r"<(script|style|pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\b(title|alt|placeholder|aria-label)="([^"]*)"', re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Words that are the same in every language (names, symbols of formats).
UNIVERSAL = {"Tisserand", "Markdown", "OpenAPI", "JSON", "API", "CSV", "Atom", "RSS", "iCalendar",
             "OK", "ID", "URL", "HTML", "CSRF", "SMTP", "TOML", "ICS", "OpenStreetMap", "Leaflet",
             "https", "http", "px", "ms", "etc",
             "Français", "English"}  # a language's own name is written in that language


def unmarked_text(source: str) -> list[str]:
    """Text in a template that a reader sees but that is not inside ``{{ _(...) }}``."""
    stripped = _HIDDEN.sub(" ", _JINJA.sub(" ", source))
    found = [value for _name, value in _ATTRIBUTE.findall(stripped) if _visible(value)]
    for chunk in _TAG.sub("\n", stripped).split("\n"):
        text = html.unescape(chunk).strip()
        if text and _visible(text):
            found.append(text)
    return found


def _visible(text: str) -> bool:
    text = re.sub(r'[\w-]+="[^"]*"|\S*/\S*', " ", html.unescape(text))  # attributes, paths, URLs
    words = [w for w in _WORD.findall(text) if w not in UNIVERSAL]
    return bool(words)


def unmarked(root: Path = ROOT) -> dict[str, list[str]]:
    """Every template with unmarked user-visible text (e-mail templates included)."""
    problems: dict[str, list[str]] = {}
    folders = [root / "themes", root / "plugins"]
    for folder in folders:
        for path in sorted(folder.rglob("templates/**/*.html")) + sorted(folder.rglob("templates/**/*.txt")):
            found = unmarked_text(path.read_text(encoding="utf-8"))
            if found:
                problems[str(path.relative_to(root))] = found
    return problems


_ENTRY = re.compile(r'(?ms)^(msgid (?:"[^\n]*"\n)+)(?:(msgid_plural (?:"[^\n]*"\n)+))?'
                    r'((?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)')


def fill_english(path: Path) -> int:
    """In an English catalog, give every empty translation its msgid (English is the source
    language); edits entries in place, so parallel branches that append entries still merge."""
    text = path.read_text(encoding="utf-8")
    count = 0

    def fill(match: re.Match[str]) -> str:
        nonlocal count
        msgid, plural, strings = match.group(1), match.group(2), match.group(3)
        if msgid == 'msgid ""\n' or re.sub(r'msgstr(\[\d\])? ""\n', "", strings):
            return match.group(0)
        count += 1
        singular = msgid[len("msgid "):]
        if plural:
            return f"{msgid}{plural}msgstr[0] {singular}msgstr[1] {plural[len('msgid_plural '):]}"
        return f"{msgid}msgstr {singular}"

    path.write_text(_ENTRY.sub(fill, text), encoding="utf-8")
    return count


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def append(path: Path, entries: dict[Key, str | list[str]]) -> None:
    """Add entries at the end of a catalog (new entries go last: catalogs merge by union)."""
    lines = []
    for key, value in entries.items():
        if isinstance(key, tuple):
            forms = value if isinstance(value, list) else [value, value]
            lines.append(f"msgid {_quote(key[0])}\nmsgid_plural {_quote(key[1])}\n"
                         + "".join(f"msgstr[{i}] {_quote(form)}\n" for i, form in enumerate(forms)))
        else:
            lines.append(f"msgid {_quote(key)}\nmsgstr {_quote(str(value))}\n")
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + "".join("\n" + line for line in lines), encoding="utf-8")


def update(component: Component) -> None:
    """``pybabel extract`` the component's strings into a template, ``pybabel update`` its
    catalogs from it (new entries, obsolete ones marked ``#~``), then fill the English ones."""
    import subprocess
    import tempfile

    pybabel = str(Path(sys.executable).with_name("pybabel"))
    keywords = [arg for name, spec in KEYWORDS.items()
                for arg in ("-k", name if spec is None else f"{name}:{','.join(map(str, spec))}")]
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / f"{component.domain}.pot"
        folders = []
        config = Path(tmp) / "babel.cfg"
        lines = []
        for folder, mapping in component.sources:
            folders.append(str(folder))
            lines += [f"[{method}: {pattern}]" for pattern, method in mapping]
        config.write_text("\n".join(dict.fromkeys(lines)) + "\n", encoding="utf-8")
        subprocess.run([pybabel, "extract", "--no-location", "--sort-output", *keywords, "-F", str(config),
                        "-o", str(pot), *folders], check=True)
        for language in LANGUAGES:
            if component.po(language).exists():
                subprocess.run([pybabel, "update", "-i", str(pot), "-d", str(component.locale),
                                "-D", component.domain, "-l", language, "--no-fuzzy-matching"], check=True)
    fill_english(component.po("en"))


def main(argv: list[str]) -> int:
    """``check``: print untranslated strings and unmarked template text (exit 1 if any);
    ``update [component…]``: pybabel extract and update (rewrites the catalogs: on a branch
    shared with others prefer ``append-missing``);
    ``fill-en``: give empty English translations their msgid; ``append-missing``: add the
    missing entries at the end of each catalog (English filled, French left to translate)."""
    if argv[:1] == ["update"]:
        for component in components():
            if not argv[1:] or component.name in argv[1:]:
                update(component)
        return main(["check"])
    if argv[:1] == ["fill-en"]:
        for component in components():
            if component.po("en").exists():
                print(component.name, fill_english(component.po("en")))
        return 0
    if argv[:1] == ["append-missing"]:
        for component in components():
            for language, keys in missing(component).items():
                if keys and component.po(language).exists():
                    append(component.po(language), {k: ("" if language == "fr" else
                                                         (list(k) if isinstance(k, tuple) else k)) for k in keys})
                    print(component.name, language, len(keys))
        return 0
    bad = 0
    for component in components():
        for language, keys in missing(component).items():
            for key in keys:
                bad += 1
                print(f"{component.name} [{language}] untranslated: {key!r}")
    for path, texts in unmarked().items():
        for text in texts:
            bad += 1
            print(f"{path}: not marked for translation: {text!r}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
