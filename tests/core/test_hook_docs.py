"""The hook reference cannot drift: docs/hooks.md is generated from core/hookspecs.py, every
hook is documented, and every hook is exercised somewhere in the tests."""

from pathlib import Path

import pytest

from tisserand import hookdoc, hookspecs

ROOT = Path(__file__).parents[2]


def test_docs_hooks_md_matches_the_hookspecs():
    written = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    assert written == hookdoc.render(), "run: python -m tisserand.hookdoc > docs/hooks.md"


@pytest.mark.parametrize("name", hookdoc.hook_names())
def test_every_hook_has_a_docstring(name):
    doc = getattr(hookspecs, name).__doc__ or ""
    assert len(doc.split()) >= 8, f"{name} needs a real docstring"


@pytest.mark.parametrize("name", hookdoc.hook_names())
def test_every_hook_is_exercised_by_a_test(name):
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py")]
    sources += [p.read_text(encoding="utf-8") for p in (ROOT / "plugins").rglob("plugin.py")]
    assert any(f"def {name}(" in s or f".{name}(" in s for s in sources), (
        f"no test or built-in plugin implements or calls the hook {name}")


@pytest.mark.parametrize("name", hookdoc.hook_names())
def test_every_hook_has_an_example_that_parses(name):
    import ast

    from tisserand.hook_examples import EXAMPLES

    assert name in EXAMPLES, f"add an example for {name} in core/hook_examples.py"
    ast.parse(EXAMPLES[name].strip())
    assert f"def {name}(" in EXAMPLES[name]
