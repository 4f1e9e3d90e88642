"""A plugin's ``templates/``, ``static/`` and ``locale/`` are found by convention in its package;
the ``tisserand_template_dirs`` / ``tisserand_static_dirs`` hooks add folders kept elsewhere."""

from __future__ import annotations

import types
from pathlib import Path

from tisserand import hookimpl
from tisserand.plugin_manager import Plugins
from tisserand.testing.fixtures import make_settings


def package(tmp_path: Path, name: str) -> types.ModuleType:
    """A plugin module whose package holds ``templates/``, ``static/`` and ``locale/``."""
    root = tmp_path / name
    (root / "templates" / name).mkdir(parents=True)
    (root / "templates" / name / "hello.html").write_text("{{ _('Hello') }} {{ who }}", encoding="utf-8")
    (root / "static").mkdir()
    (root / "static" / f"{name}.css").write_text("p { color: teal }", encoding="utf-8")
    messages = root / "locale" / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / f"{name}.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                         f'msgid "Bonjour from {name}"\nmsgstr "Bonjour de {name}"\n',
                                         encoding="utf-8")
    module = types.ModuleType(f"{name}_plugin")
    module.__file__ = str(root / "plugin.py")
    return module


class Elsewhere:
    """A plugin keeping its files outside the conventional folders, declared by the hooks."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "web" / "pages" / "elsewhere").mkdir(parents=True)
        (root / "web" / "pages" / "elsewhere" / "page.html").write_text("elsewhere", encoding="utf-8")
        (root / "web" / "files").mkdir(parents=True)
        (root / "web" / "files" / "elsewhere.js").write_text("// js", encoding="utf-8")

    @hookimpl
    def tisserand_template_dirs(self) -> list[str]:
        return [str(self.root / "web" / "pages")]

    @hookimpl
    def tisserand_static_dirs(self) -> list[str]:
        return [str(self.root / "web" / "files")]


def test_folders_are_found_by_convention_and_by_the_hooks(tmp_path):
    shelf = package(tmp_path, "shelf")
    elsewhere = Elsewhere(tmp_path / "elsewhere")
    settings = make_settings(tmp_path, "sqlite://:memory:", [], None)
    plugins = Plugins(settings, extra={"shelf": shelf, "elsewhere": elsewhere}).load()
    assert dict(plugins.folders("templates")) == {"shelf": [tmp_path / "shelf" / "templates"],
                                                  "elsewhere": [tmp_path / "elsewhere" / "web" / "pages"]}
    assert dict(plugins.folders("static")) == {"shelf": [tmp_path / "shelf" / "static"],
                                               "elsewhere": [tmp_path / "elsewhere" / "web" / "files"]}
    assert plugins.package_folder("shelf", "locale") == tmp_path / "shelf" / "locale"
    assert plugins.package_folder("elsewhere", "locale") is None  # not a module: nothing to look in


async def test_an_outside_plugin_without_folder_hooks_gets_its_pages_files_and_language(site_factory, tmp_path):
    from tisserand import i18n
    from tisserand.testing.client import TestClient
    from tisserand.web.app import create_app
    from tisserand.web.templates import render_template

    site = await site_factory(enabled=[], extra_plugins={"shelf": package(tmp_path, "shelf"),
                                                         "elsewhere": Elsewhere(tmp_path / "elsewhere")})
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as client:
        css = await client.get("/static/plugins/shelf/shelf.css")
        assert css.status_code == 200 and "teal" in css.text
        js = await client.get("/static/plugins/elsewhere/elsewhere.js")
        assert js.status_code == 200 and js.text == "// js"
    assert render_template("shelf/hello.html", {"who": "Inès"}, site=site) == "Hello Inès"
    assert render_template("elsewhere/page.html", {}, site=site) == "elsewhere"
    with i18n.use_locale("fr"):
        assert i18n.gettext("Bonjour from shelf") == "Bonjour de shelf"
