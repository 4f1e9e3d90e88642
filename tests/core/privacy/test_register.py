"""The register of processing: the core and every enabled plugin declare their data, shown to
site administrators in French or English, and printed by ``tisserand privacy register``."""

import json

from typer.testing import CliRunner

from tisserand.data_register import LEGAL_BASES, build_register
from tisserand.testing.fixtures import TEST_SECRET, all_installed_plugins

COLUMNS = ("data", "purpose", "retention", "audience", "legal_basis")


async def test_the_core_and_every_enabled_plugin_declare_their_data(site):
    register = build_register(site, "en")
    sources = [section.source for section in register.sections]
    assert sources[0] == "core"
    missing = set(site.plugins.enabled) - set(sources)
    assert not missing, f"plugins without a data_register hook: {sorted(missing)}"
    for section in register.sections:
        assert section.rows, section.source
        for row in section.rows:
            assert all(row[column].strip() for column in COLUMNS), (section.source, row)
            assert row["legal_basis"] in LEGAL_BASES
    # The site's own settings appear in the core's lines.
    core = " ".join(row["retention"] for row in register.sections[0].rows)
    assert "IP addresses: 30 days" in core


async def test_a_plugin_switched_off_leaves_the_register(site_factory):
    site = await site_factory(enabled=["forums"])
    assert [s.source for s in build_register(site, "en").sections] == ["core", "forums"]


async def test_admins_read_the_register_in_french_and_english(site, factory, client):
    root = await factory.member("root", admin=True)
    alice = await factory.member("alice")
    await client.login_as(alice)
    assert (await client.get("/admin/privacy/register")).status_code in (403, 404)
    client.logout_locally()
    await client.login_as(root)
    english = await client.get("/admin/privacy/register?lang=en")
    assert english.status_code == 200
    assert '<div lang="en">' in english.text and "Legal basis" in english.text
    assert "Forums" in english.text and "Reactions given" in english.text
    assert "Performance of the terms of use (contract)" in english.text
    french = await client.get("/admin/privacy/register?lang=fr")
    assert french.status_code == 200
    assert '<div lang="fr">' in french.text and "Base légale" in french.text
    assert "Réactions données" in french.text and "Exécution des conditions d’utilisation (contrat)" in french.text
    odd = await client.get("/admin/privacy/register?lang=xx")  # an unknown language: the site's
    assert odd.status_code == 200 and '<div lang="en">' in odd.text


def test_the_command_prints_the_register_as_markdown_or_json(tmp_path):
    from tisserand.cli.main import app

    enabled = ", ".join(f'"{name}"' for name in all_installed_plugins())
    (tmp_path / "tisserand.toml").write_text(
        f'[site]\nname = "Passerelles"\nsecret_key = "{TEST_SECRET}"\ndefault_locale = "fr"\n'
        f'[database]\nurl = "sqlite://data/x.sqlite3"\n[plugins]\nenabled = [{enabled}]\n', encoding="utf-8")
    runner = CliRunner()
    french = runner.invoke(app, ["--instance", str(tmp_path), "privacy", "register"])
    assert french.exit_code == 0, french.output
    assert french.stdout.startswith("# Registre des traitements de Passerelles")
    assert "| Données | Finalité |" in french.stdout and "## Forums" in french.stdout
    english = runner.invoke(app, ["--instance", str(tmp_path), "privacy", "register", "--json", "--lang", "en"])
    assert english.exit_code == 0, english.output
    data = json.loads(english.stdout)
    assert data["language"] == "en" and data["columns"]["audience"] == "Who sees it"
    assert {s["source"] for s in data["sections"]} >= {"core", *all_installed_plugins()}
    wrong = runner.invoke(app, ["--instance", str(tmp_path), "privacy", "register", "--lang", "de"])
    assert wrong.exit_code == 1 and "fr or en" in wrong.stderr
