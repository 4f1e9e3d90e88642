"""The pytest plugin loads where tisserand and pytest are installed without the test extras."""

import subprocess
import sys
import textwrap


def run_pytest_without(tmp_path, blocked: list[str]) -> subprocess.CompletedProcess[str]:
    """Run pytest in a fresh interpreter where ``blocked`` packages can't be imported."""
    (tmp_path / "test_plain.py").write_text("def test_plain():\n    assert 1 + 1 == 2\n")
    script = textwrap.dedent(f"""
        import importlib.abc, sys
        class Blocker(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {blocked!r}:
                    raise ImportError(name)
                return None
        sys.meta_path.insert(0, Blocker())
        import pytest
        sys.exit(pytest.main(["-p", "no:cacheprovider", "-p", "no:asyncio", {str(tmp_path)!r}]))
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)


def test_pytest_runs_without_the_test_extras(tmp_path):
    result = run_pytest_without(tmp_path, ["pytest_asyncio", "httpx", "aiosmtpd"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "Error while loading plugin" not in result.stdout + result.stderr


def test_the_header_says_what_to_install(tmp_path):
    result = run_pytest_without(tmp_path, ["aiosmtpd"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tisserand[testing]" in result.stdout and "aiosmtpd" in result.stdout
