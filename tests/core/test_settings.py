"""Settings: a wrong or unknown key is one line naming the key and the file."""

from pathlib import Path

import pytest

from tisserand.settings import SettingsError, load_settings

GOOD = '[site]\nname = "Passerelles"\nsecret_key = "s3cret-s3cret-s3cret"\n'


def write(folder: Path, text: str) -> Path:
    (folder / "tisserand.toml").write_text(text, encoding="utf-8")
    return folder / "tisserand.toml"


def test_reads_the_file_and_resolves_sqlite_paths(tmp_path):
    write(tmp_path, GOOD + '[database]\nurl = "sqlite://data/site.sqlite3"\n')
    settings = load_settings(tmp_path, environ={})
    assert settings.site.name == "Passerelles"
    assert settings.database_url == f"sqlite://{tmp_path.resolve()}/data/site.sqlite3"


def test_unknown_key_names_the_key_and_the_file(tmp_path):
    path = write(tmp_path, GOOD + 'nmae = "typo"\n')
    with pytest.raises(SettingsError) as error:
        load_settings(tmp_path, environ={})
    message = str(error.value)
    assert "\n" not in message
    assert "[site] unknown key 'nmae'" in message
    assert str(path) in message


def test_unknown_section_is_reported(tmp_path):
    write(tmp_path, GOOD + "[databse]\nurl = 'x'\n")
    with pytest.raises(SettingsError, match=r"unknown section \[databse\]"):
        load_settings(tmp_path, environ={})


def test_wrong_type_names_the_key(tmp_path):
    write(tmp_path, GOOD + "[mail]\nport = 'twenty-five'\n")
    with pytest.raises(SettingsError, match=r"\[mail\] port: .*integer"):
        load_settings(tmp_path, environ={})


def test_wrong_choice_names_the_key(tmp_path):
    write(tmp_path, GOOD.replace('name = "Passerelles"', 'default_locale = "de"'))
    with pytest.raises(SettingsError, match=r"\[site\] default_locale"):
        load_settings(tmp_path, environ={})


def test_broken_toml_is_one_line(tmp_path):
    path = write(tmp_path, "[site\nname=")
    with pytest.raises(SettingsError) as error:
        load_settings(tmp_path, environ={})
    assert str(path) in str(error.value) and "not valid TOML" in str(error.value)


def test_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(SettingsError, match="tisserand init"):
        load_settings(tmp_path / "nowhere")


def test_empty_secret_key_is_refused(tmp_path):
    write(tmp_path, '[site]\nname = "x"\n')
    with pytest.raises(SettingsError, match="secret_key"):
        load_settings(tmp_path, environ={})


def test_environment_overrides_the_file(tmp_path):
    write(tmp_path, GOOD)
    settings = load_settings(tmp_path, environ={
        "TISSERAND_SITE__NAME": "Depuis l'environnement",
        "TISSERAND_DATABASE_URL": "postgres://u@db/tisserand",
        "TISSERAND_MAIL__STARTTLS": "true",
        "TISSERAND_PLUGINS__ENABLED": '["forums", "wiki"]',
        "TISSERAND_INSTANCE": "/ignored",
    })
    assert settings.site.name == "Depuis l'environnement"
    assert settings.database_url == "postgres://u@db/tisserand"
    assert settings.mail.starttls is True
    assert settings.plugins.enabled == ["forums", "wiki"]


def test_unknown_environment_key_is_an_error(tmp_path):
    write(tmp_path, GOOD)
    with pytest.raises(SettingsError, match=r"\[mail\] unknown key 'hots'"):
        load_settings(tmp_path, environ={"TISSERAND_MAIL__HOTS": "x"})
