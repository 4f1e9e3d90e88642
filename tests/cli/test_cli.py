"""The command line: init, migrate, users, communities, plugins, help, and one-line errors."""

import sqlite3

import pytest
from typer.testing import CliRunner

from tisserand.cli.main import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def instance(tmp_path):
    folder = tmp_path / "site"
    result = invoke("init", str(folder))
    assert result.exit_code == 0, result.output
    config = folder / "tisserand.toml"
    # Fast password hashing for tests.
    config.write_text(config.read_text() + "\n[auth]\nargon2_time_cost = 1\nargon2_memory_kib = 8\n")
    return folder


def test_init_writes_a_config_and_a_migrated_database(instance):
    text = (instance / "tisserand.toml").read_text()
    assert "secret_key" in text and 'enabled = ["forums"' in text
    tables = {r[0] for r in sqlite3.connect(instance / "data" / "tisserand.sqlite3").execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"member", "community", "content"} <= tables


def test_init_refuses_an_existing_instance(instance):
    result = invoke("init", str(instance))
    assert result.exit_code == 1
    assert "already exists" in result.stderr and result.stderr.count("\n") == 1


def test_users_and_communities(instance):
    ok = invoke("--instance", str(instance), "user", "create", "Alice", "--email", "alice@example.org",
                "--password", "a-long-password", "--admin")
    assert ok.exit_code == 0, ok.output
    assert "admin account 'alice'" in ok.stdout
    made = invoke("--instance", str(instance), "community", "create", "jardins", "--name",
                  "Jardins partagés", "--visibility", "private", "--coordinator", "alice")
    assert made.exit_code == 0, made.output
    db = sqlite3.connect(instance / "data" / "tisserand.sqlite3")
    assert db.execute("SELECT visibility FROM community WHERE slug='jardins'").fetchone() == ("private",)
    assert db.execute("SELECT role FROM membership").fetchone() == ("coordinator",)


@pytest.mark.parametrize("args, message", [
    (["user", "create", "bob", "--email", "not-an-email", "--password", "long-enough-pw"], "e-mail"),
    (["user", "create", "bob", "--email", "bob@example.org", "--password", "short"], "password"),
    (["community", "create", "Bad Slug", "--name", "x"], "slug"),
    (["community", "create", "ok", "--name", "x", "--visibility", "hidden"], "visibility"),
    (["community", "create", "ok", "--name", "x", "--coordinator", "nobody"], "no account named 'nobody'"),
])
def test_bad_input_is_one_line_on_stderr(instance, args, message):
    result = invoke("--instance", str(instance), *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_a_broken_config_is_one_line(instance):
    config = instance / "tisserand.toml"
    config.write_text(config.read_text().replace("[site]", "[site]\nthem = 'x'"))
    result = invoke("--instance", str(instance), "migrate")
    assert result.exit_code == 1
    assert "[site] unknown key 'them'" in result.stderr and str(config) in result.stderr


def test_plugins_list_shows_versions_and_state(instance):
    result = invoke("--instance", str(instance), "plugins", "list")
    assert result.exit_code == 0, result.output
    forums = next(line for line in result.stdout.splitlines() if "forums" in line)
    assert "0.1.0" in forums and "yes" in forums


@pytest.mark.parametrize("command", [[], ["init"], ["demo"], ["serve"], ["migrate"], ["makemigrations"],
                                     ["plugins", "list"], ["user", "create"], ["community", "create"],
                                     ["jobs", "list"], ["jobs", "run"], ["privacy", "register"]])
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout and len(result.stdout) > 200
