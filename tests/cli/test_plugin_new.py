"""`tisserand plugin new` writes a package that installs, runs in a site, and passes its own tests."""

import os
import subprocess
import sys

from typer.testing import CliRunner

from tisserand.cli.main import app


def test_invalid_names_are_refused(tmp_path):
    for name in ["Bad-Name", "x", "class", "9lives"]:
        result = CliRunner().invoke(app, ["plugin", "new", name, "--dir", str(tmp_path / name)])
        assert result.exit_code == 1 and "not a valid plugin name" in result.stderr


def test_the_scaffold_installs_and_its_tests_pass(tmp_path):
    folder = tmp_path / "tisserand-garden"
    result = CliRunner().invoke(app, ["plugin", "new", "garden", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    for expected in ["pyproject.toml", "tisserand_garden/plugin.py", "tisserand_garden/models.py",
                     "tisserand_garden/migrations/0001_initial.py", "tisserand_garden/templates/garden/page.html",
                     "tisserand_garden/static/garden.css", "tisserand_garden/locale/fr/LC_MESSAGES/garden.po",
                     "tisserand_garden/locale/en/LC_MESSAGES/garden.po", "tests/test_garden.py"]:
        assert (folder / expected).is_file(), expected
    target = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(folder)], check=True)
    env = {**os.environ, "PYTHONPATH": str(target), "TISSERAND_TEST_DATABASES": "sqlite"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                         cwd=folder, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout
