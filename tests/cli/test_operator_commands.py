"""Operators' commands: users and communities listed, shown, deactivated, moved, with --json."""

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from tisserand.cli.main import app

runner = CliRunner()


def invoke(instance, *args: str):
    return runner.invoke(app, ["--instance", str(instance), *args])


@pytest.fixture
def instance(tmp_path):
    folder = tmp_path / "site"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    config = folder / "tisserand.toml"
    config.write_text(config.read_text() + "\n[auth]\nargon2_time_cost = 1\nargon2_memory_kib = 8\n")
    for name, extra in (("alice", ["--admin"]), ("bob", []), ("chloe", [])):
        made = invoke(folder, "users", "create", name, "--email", f"{name}@example.org",
                      "--password", "a-long-password", *extra)
        assert made.exit_code == 0, made.output
    for slug, coordinator in (("eau", "alice"), ("rivieres", "bob"), ("sources", "bob")):
        made = invoke(folder, "community", "create", slug, "--name", slug.title(), "--coordinator", coordinator)
        assert made.exit_code == 0, made.output
    return folder


def test_users_list_as_json_and_filters(instance):
    listed = invoke(instance, "users", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [r["username"] for r in rows] == ["alice", "bob", "chloe"]
    assert rows[0]["is_admin"] is True and rows[0]["created_at"].endswith("+00:00")
    admins = json.loads(invoke(instance, "users", "list", "--admins", "--json").stdout)
    assert [r["username"] for r in admins] == ["alice"]


def test_users_show_lists_memberships(instance):
    shown = invoke(instance, "users", "show", "bob", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["email"] == "bob@example.org"
    assert {(m["community"], m["role"]) for m in data["memberships"]} == {
        ("rivieres", "coordinator"), ("sources", "coordinator")}


def test_deactivate_ends_sessions_and_tokens_then_reactivate(instance):
    db = sqlite3.connect(instance / "data" / "tisserand.sqlite3")
    bob = db.execute("SELECT id FROM member WHERE username='bob'").fetchone()[0]
    db.execute("INSERT INTO api_token (key_hash, member_id, name, created_at) VALUES ('x', ?, 'n', '2026-01-01')", [bob])
    db.commit()
    gone = invoke(instance, "users", "deactivate", "bob")
    assert gone.exit_code == 0 and "Deactivated 'bob'" in gone.stdout
    assert db.execute("SELECT is_active FROM member WHERE id=?", [bob]).fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM api_token WHERE member_id=?", [bob]).fetchone() == (0,)
    assert "already inactive" in invoke(instance, "users", "deactivate", "bob").stdout
    inactive = json.loads(invoke(instance, "users", "list", "--inactive", "--json").stdout)
    assert [r["username"] for r in inactive] == ["bob"]
    back = invoke(instance, "users", "reactivate", "bob")
    assert back.exit_code == 0 and "Reactivated 'bob'" in back.stdout
    assert db.execute("SELECT is_active FROM member WHERE id=?", [bob]).fetchone() == (1,)
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-2:] == ["member.deactivate", "member.reactivate"]


def test_the_last_administrator_cannot_be_deactivated(instance):
    refused = invoke(instance, "users", "deactivate", "alice")
    assert refused.exit_code == 1
    assert "last active site administrator" in refused.stderr


def test_set_parent_refuses_loops_and_moves_back_to_top(instance):
    assert invoke(instance, "community", "set-parent", "rivieres", "eau").exit_code == 0
    assert invoke(instance, "community", "set-parent", "sources", "rivieres").exit_code == 0
    for child, parent in (("eau", "sources"), ("eau", "eau")):
        loop = invoke(instance, "community", "set-parent", child, parent)
        assert loop.exit_code == 1 and "sub-communities" in loop.stderr, loop.output
    rows = {r["slug"]: r for r in json.loads(invoke(instance, "communities", "list", "--json").stdout)}
    assert (rows["eau"]["parent"], rows["rivieres"]["parent"], rows["sources"]["parent"]) == (
        None, "eau", "rivieres")
    assert invoke(instance, "community", "set-parent", "sources", "--top").exit_code == 0
    shown = json.loads(invoke(instance, "community", "show", "sources", "--json").stdout)
    assert shown["parent"] is None and shown["staff"] == [{"username": "bob", "role": "coordinator"}]
    assert invoke(instance, "community", "set-parent", "sources").exit_code == 1


def test_set_role_keeps_a_coordinator(instance):
    assert invoke(instance, "communities", "show", "eau").exit_code == 0
    refused = invoke(instance, "community", "set-role", "eau", "alice", "member")
    assert refused.exit_code == 1 and "coordinator" in refused.stderr
    not_member = invoke(instance, "community", "set-role", "eau", "chloe", "animator")
    assert not_member.exit_code == 1 and "Not a member" in not_member.stderr


@pytest.mark.parametrize("args, message", [
    (["users", "show", "nobody"], "no account named 'nobody'"),
    (["users", "deactivate", "nobody"], "no account named 'nobody'"),
    (["community", "show", "nowhere"], "no community with the address 'nowhere'"),
    (["community", "set-parent", "eau", "nowhere"], "no community with the address 'nowhere'"),
    (["community", "set-role", "eau", "alice", "king"], "Unknown role"),
])
def test_bad_names_are_one_line_errors(instance, args, message):
    result = invoke(instance, *args)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.strip().count("\n") == 0


def test_community_plugins_are_shown_and_switched(instance):
    shown = invoke(instance, "community", "plugins", "eau", "--json")
    assert shown.exit_code == 0, shown.output
    rows = json.loads(shown.stdout)
    assert {"forums", "wiki"} <= {r["plugin"] for r in rows} and all(r["on"] for r in rows)
    switched = invoke(instance, "community", "plugins", "eau", "--disable", "wiki", "--disable", "Forums", "--json")
    assert switched.exit_code == 0, switched.output
    states = {r["plugin"]: r["on"] for r in json.loads(switched.stdout)}
    assert states["wiki"] is False and states["forums"] is False and states["meetups"] is True
    back = invoke(instance, "community", "plugins", "eau", "--enable", "wiki")
    assert back.exit_code == 0 and "wiki" in back.stdout
    states = {r["plugin"]: r["on"] for r in json.loads(invoke(instance, "community", "plugins", "eau", "--json").stdout)}
    assert states["wiki"] is True and states["forums"] is False
    db = sqlite3.connect(instance / "data" / "tisserand.sqlite3")
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'community.plugins'").fetchone() == (2,)
    # Other communities are untouched; bad input is a one-line error and a non-zero status.
    assert all(r["on"] for r in json.loads(invoke(instance, "community", "plugins", "rivieres", "--json").stdout))
    unknown = invoke(instance, "community", "plugins", "eau", "--enable", "chess")
    assert unknown.exit_code != 0 and "not enabled on this site: chess" in unknown.stderr
    both = invoke(instance, "community", "plugins", "eau", "--enable", "wiki", "--disable", "wiki")
    assert both.exit_code != 0 and "both --enable and --disable" in both.stderr
    missing = invoke(instance, "community", "plugins", "nowhere")
    assert missing.exit_code != 0 and "no community" in missing.stderr
