"""The plugin manager: discovery, enabling, clear errors, per-community switches, versions."""

import subprocess
import sys
import types
from pathlib import Path

import pytest

from tisserand import hookimpl
from tisserand.plugin_manager import PluginError, Plugins, check_version, installed_plugins
from tisserand.testing.fixtures import make_settings

OUTSIDE = Path(__file__).parents[1] / "outside_plugin"


def settings_with(tmp_path, enabled, config=None):
    return make_settings(tmp_path, "sqlite://:memory:", enabled, config)


def test_builtin_plugins_are_found_through_the_entry_point_group():
    assert {"forums", "wiki", "meetups", "moderation", "digests", "archive"} <= set(installed_plugins())


def test_an_enabled_plugin_that_is_not_installed_stops_start_up(tmp_path):
    with pytest.raises(PluginError) as error:
        Plugins(settings_with(tmp_path, ["forum"])).load()
    assert "plugin 'forum' is enabled in tisserand.toml but not installed" in str(error.value)
    assert "forums" in str(error.value)  # lists what is installed, to spot the typo


def test_a_plugin_implementing_an_unknown_hook_is_refused(tmp_path):
    class Typo:
        @hookimpl
        def content_savd(self, content):
            pass

    with pytest.raises(PluginError, match="content_savd"):
        Plugins(settings_with(tmp_path, []), extra={"typo": Typo()}).load()


def test_a_plugin_with_wrong_hook_arguments_is_refused(tmp_path):
    class WrongArgs:
        @hookimpl
        def content_saved(self, contents):
            pass

    with pytest.raises(PluginError, match="wrongargs"):
        Plugins(settings_with(tmp_path, []), extra={"wrongargs": WrongArgs()}).load()


def test_the_version_contract_names_both_versions():
    module = types.ModuleType("old_plugin")
    module.TISSERAND_REQUIRES = ">=99,<100"
    with pytest.raises(PluginError) as error:
        check_version("old", module)
    assert ">=99,<100" in str(error.value) and "0.1.0" in str(error.value)
    module.TISSERAND_REQUIRES = ">=0.1"
    check_version("fine", module)


def test_per_plugin_calls_report_who_answered(tmp_path):
    class A:
        @hookimpl
        def tisserand_models(self):
            return ["a.models"]

    plugins = Plugins(settings_with(tmp_path, []), extra={"a": A()}).load()
    assert plugins.per_plugin("tisserand_models") == [("a", ["a.models"])]


def test_plugin_settings_are_validated_with_the_key_and_file(tmp_path):
    from pydantic import BaseModel, ConfigDict

    class Section(BaseModel):
        model_config = ConfigDict(extra="forbid")
        size: int = 3

    class WithSettings:
        @hookimpl
        def tisserand_settings(self):
            return Section

    good = Plugins(settings_with(tmp_path, [], {"plugins": {"sized": {"size": 5}}}),
                   extra={"sized": WithSettings()}).load()
    assert good.plugin_settings("sized").size == 5
    with pytest.raises(PluginError, match=r"\[plugins.sized\] colour: unknown key"):
        Plugins(settings_with(tmp_path, [], {"plugins": {"sized": {"colour": "red"}}}),
                extra={"sized": WithSettings()}).load()


@pytest.fixture(scope="module")
def outside_installed(tmp_path_factory):
    """The outside plugin under tests/outside_plugin, pip-installed into a folder of its own."""
    target = tmp_path_factory.mktemp("outside-site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(OUTSIDE)], check=True)
    return target


def test_an_outside_package_is_discovered_and_listed(outside_installed, tmp_path):
    instance = tmp_path / "site"
    env = {"PYTHONPATH": str(outside_installed), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "tisserand.cli.main"]
    subprocess.run([*run, "init", str(instance)], check=True, env=env, capture_output=True)
    config = instance / "tisserand.toml"
    config.write_text(config.read_text().replace('enabled = ["forums"', 'enabled = ["outside", "forums"'))
    listed = subprocess.run([*run, "--instance", str(instance), "plugins", "list"], env=env,
                            capture_output=True, text=True, check=True)
    row = next(line for line in listed.stdout.splitlines() if "outside" in line)
    assert "1.2.3" in row and "yes" in row and "content_saved" in row


async def test_an_outside_plugin_runs_its_hooks_in_a_site(outside_installed, site_factory, monkeypatch):
    monkeypatch.syspath_prepend(str(outside_installed))
    from tisserand.testing.client import TestClient
    from tisserand.testing.factory import Factory
    from tisserand.web.app import create_app

    site = await site_factory(enabled=["outside"], config={"plugins": {"outside": {"greeting": "salut"}}})
    import tisserand_outside.plugin as outside

    factory = Factory(site)
    member = await factory.member()
    community = await factory.community("jardin", coordinator=member)
    content = await factory.content(community, member)
    assert content.id in outside.SAVED
    assert site.permissions.get("outside.wave").roles == {"coordinator", "member"}
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as client:
        page = await client.get("/c/jardin/outside")
        assert page.status_code == 200 and page.text == "salut jardin"
        switched_off = await factory.community("desert", coordinator=member, plugins=[])
        assert (await client.get(f"/c/{switched_off.slug}/outside")).status_code == 404
