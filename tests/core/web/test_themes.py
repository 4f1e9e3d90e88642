"""Themes: the lookup order instance → theme → parent theme → plugin → default, the ``nuit``
theme that overrides one template and adds one stylesheet, and layered static files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tisserand import hookimpl
from tisserand.testing.client import TestClient
from tisserand.web import templates
from tisserand.web.app import create_app
from tisserand.web.templates import Theme, ThemeError, build_environment

NAME = "theme_head.html"  # the default theme's hook for child themes; nuit overrides it


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NAME
    path.write_text(text, encoding="utf-8")
    return path


def winner(site) -> str:
    env, _chain = build_environment(site)
    rendered = env.get_template(NAME).render()
    for layer in ("instance", "theme", "plugin"):
        if f"layer:{layer}" in rendered:
            return layer
    return "parent" if "nuit.css" in rendered else "default"


async def test_template_lookup_order(site, tmp_path, monkeypatch):
    real = templates.installed_themes()
    fake = {
        "child": Theme("child", tmp_path / "child", "nuit"),  # a theme whose parent is nuit
        "solo": Theme("solo", tmp_path / "solo", None),  # a theme straight on default
    }
    monkeypatch.setattr(templates, "installed_themes", lambda: {**real, **fake})

    class Templated:
        @hookimpl
        def tisserand_template_dirs(self):
            return [str(tmp_path / "plugin")]

    site.plugins.pm.register(Templated(), name="templated")
    instance = write(site.settings.path("templates"), "<!--layer:instance-->")
    child = write(tmp_path / "child" / "templates", "<!--layer:theme-->")
    plugin = write(tmp_path / "plugin", "<!--layer:plugin-->")
    (tmp_path / "solo" / "templates").mkdir(parents=True)

    site.settings.site.theme = "child"
    assert [t.name for t in build_environment(site)[1]] == ["child", "nuit", "default"]
    assert winner(site) == "instance"
    instance.unlink()
    assert winner(site) == "theme"
    child.unlink()
    assert winner(site) == "parent"  # nuit's theme_head.html, before the plugin's
    site.settings.site.theme = "solo"
    assert winner(site) == "plugin"  # no theme has it: the plugin's comes before default's
    plugin.unlink()
    assert winner(site) == "default"


async def test_unknown_theme_and_parent_loops_fail_clearly(site, tmp_path, monkeypatch):
    site.settings.site.theme = "missing"
    with pytest.raises(ThemeError, match="'missing' is not installed"):
        build_environment(site)
    loop = {"a": Theme("a", tmp_path, "b"), "b": Theme("b", tmp_path, "a"),
            "default": templates.installed_themes()["default"]}
    monkeypatch.setattr(templates, "installed_themes", lambda: loop)
    site.settings.site.theme = "a"
    with pytest.raises(ThemeError, match="loop"):
        build_environment(site)


async def test_nuit_theme_adds_its_stylesheet_over_the_default_one(site, factory):
    site.settings.site.theme = "nuit"
    await factory.community("jardins", name="Jardins")
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as http:
        page = await http.get("/c/jardins")
        assert page.status_code == 200 and "Jardins" in page.text
        default_css = page.text.index('href="/static/theme/style.css"')
        assert page.text.index('href="/static/theme/nuit.css"') > default_css
        assert (await http.get("/static/theme/nuit.css")).status_code == 200
        assert "--bg" in (await http.get("/static/theme/style.css")).text  # inherited from default


async def test_default_theme_does_not_load_nuit(client):
    page = await client.get("/")
    assert "nuit.css" not in page.text
    assert (await client.get("/static/theme/tisserand.js")).status_code == 200


async def test_instance_static_files_override_the_theme(site):
    static = site.settings.path("static")
    static.mkdir(parents=True, exist_ok=True)
    (static / "style.css").write_text("/* the organisation's own */", encoding="utf-8")
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as http:
        assert (await http.get("/static/theme/style.css")).text == "/* the organisation's own */"
