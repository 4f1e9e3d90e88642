"""Configuration mistakes stop the site with one line (issue 14): a partial plugin sub-table
keeps the defaults of the keys it leaves out, a misspelled key says "unknown key", and a theme
that is not installed is one line, not a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tisserand.cli.main import app

runner = CliRunner()


@pytest.fixture
def instance(tmp_path):
    folder = tmp_path / "site"
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def add(folder, text):
    config = folder / "tisserand.toml"
    config.write_text(config.read_text() + "\n" + text + "\n")
    return config


def enable_moderation(folder):
    config = folder / "tisserand.toml"
    text = config.read_text()
    if '"moderation"' not in text:
        text = text.replace('enabled = ["forums"', 'enabled = ["moderation", "forums"', 1)
    config.write_text(text)


def test_a_partial_plugin_sub_table_keeps_the_other_defaults(instance):
    enable_moderation(instance)
    add(instance, "[plugins.moderation.new]\nposts_per_minute = 2\n")
    result = runner.invoke(app, ["--instance", str(instance), "plugins", "list"])
    assert result.exit_code == 0, result.stderr
    from tisserand.site import Site

    site = Site.load(instance)
    rules = site.plugins.plugin_settings("moderation").new
    assert rules.posts_per_minute == 2 and rules.posts_per_hour == 30 and rules.topics_per_day == 10


def test_a_misspelled_plugin_key_says_unknown_key(instance):
    enable_moderation(instance)
    config = add(instance, "[plugins.moderation.new]\nposts_per_minut = 2\n")
    result = runner.invoke(app, ["--instance", str(instance), "plugins", "list"])
    assert result.exit_code != 0
    line = result.stderr.strip()
    assert "\n" not in line and "unknown key" in line and "posts_per_minut" in line and str(config) in line


def test_a_wrong_theme_is_one_line(instance):
    config = instance / "tisserand.toml"
    text = config.read_text()
    text = text.replace('theme = "default"', 'theme = "nosuchtheme"') if 'theme = "default"' in text \
        else text.replace("[site]", '[site]\ntheme = "nosuchtheme"', 1)
    config.write_text(text)
    result = runner.invoke(app, ["--instance", str(instance), "migrate"])
    assert result.exit_code != 0
    assert "nosuchtheme" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
