"""The public API for plugins is written in code, and the plugin guide tells the truth about it.

A public module is one that the plugin guide's API table names; its ``__all__`` is its public
part (as pytest splits ``pytest`` from ``_pytest``). Built-in plugins (``plugins/``) and the
example plugin (``examples/``) import nothing else from Tisserand: what a built-in needs, an
outside author can have too.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugin-guide.md"
PLUGIN_TREES = [ROOT / "plugins", ROOT / "examples"]


def guide_rows() -> dict[str, str]:
    """``module -> the row's text`` for the guide's "The public core API" table."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## The public core API", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        match = re.match(r"^\|\s*`(tisserand(?:\.[a-z0-9_]+)*)`\s*\|(.*)\|\s*$", line)
        if match:
            assert match.group(1) not in rows, f"{match.group(1)} has two rows in the guide's table"
            rows[match.group(1)] = match.group(2)
    return rows


def public_surface() -> dict[str, set[str]]:
    """``module -> names`` a plugin may import."""
    surface = {}
    for module in guide_rows():
        names = getattr(importlib.import_module(module), "__all__", None)
        assert names is not None, f"{module} is named in the plugin guide but has no __all__"
        surface[module] = set(names)
    return surface


def plugin_sources() -> list[Path]:
    """Every Python file of the built-in and example plugins (migrations are generated)."""
    files = []
    for tree in PLUGIN_TREES:
        files += [p for p in sorted(tree.rglob("*.py")) if "migrations" not in p.parts]
    return files


def own_packages(path: Path) -> tuple[str, ...]:
    """The import names a plugin file may use freely: its own package."""
    relative = path.relative_to(ROOT).parts
    if relative[0] == "plugins":
        return (f"tisserand.plugins.{relative[1]}",) if len(relative) > 2 else ("tisserand.plugins",)
    return tuple(p.name for p in (ROOT / relative[0] / relative[1]).iterdir()
                 if (p / "__init__.py").exists())


def _is_tisserand(module: str) -> bool:
    return module == "tisserand" or module.startswith("tisserand.")


def _inside(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def outside_surface(path: Path, surface: dict[str, set[str]], own: tuple[str, ...] | None = None) -> list[str]:
    """What ``path`` imports from Tisserand beyond the public surface, one line each."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = own_packages(path) if own is None else own
    problems: list[str] = []
    module_aliases: dict[str, str] = {}  # ``from tisserand import i18n`` -> {"i18n": "tisserand.i18n"}
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            module = node.module
            if not _is_tisserand(module) or _inside(module, own):
                continue
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                if submodule in surface and alias.name not in surface.get(module, set()):
                    module_aliases[alias.asname or alias.name] = submodule
                elif module not in surface:
                    problems.append(f"{where}:{node.lineno}: {module} is not a public module")
                elif alias.name not in surface[module]:
                    problems.append(f"{where}:{node.lineno}: {module}.{alias.name} is not public")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_tisserand(alias.name) and not _inside(alias.name, own):
                    problems.append(f"{where}:{node.lineno}: import {alias.name} (import names from "
                                    "a public module instead)")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in module_aliases):
            module = module_aliases[node.value.id]
            if node.attr not in surface[module]:
                problems.append(f"{where}:{node.lineno}: {module}.{node.attr} is not public")
    return problems


def test_plugins_and_examples_use_only_the_public_api() -> None:
    surface = public_surface()
    problems = [line for path in plugin_sources() for line in outside_surface(path, surface)]
    assert not problems, "imports outside the public API:\n" + "\n".join(problems)


def test_the_check_catches_a_back_door(tmp_path: Path) -> None:
    surface = public_surface()
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from tisserand.web.templates import build_environment\n"
                      "from tisserand.i18n import _\n"
                      "from tisserand import i18n\n"
                      "from tisserand.plugins.forums import queries\n"
                      "import tisserand.auth\n"
                      "i18n._catalogs\n", encoding="utf-8")
    problems = outside_surface(sneaky, surface, own=("tisserand.plugins.forums",))
    assert [line.split(": ", 1)[1] for line in problems] == [
        "tisserand.web.templates.build_environment is not public",
        "import tisserand.auth (import names from a public module instead)",
        "tisserand.i18n._catalogs is not public",
    ]


def _mentioned(row: str) -> set[str]:
    """Identifiers that start a backticked span of a table row (```notify(member, …)``` → notify)."""
    return {m.group(1) for m in re.finditer(r"`([A-Za-z_][A-Za-z0-9_]*)", row)}


@pytest.mark.parametrize("module", sorted(guide_rows()))
def test_the_guide_table_lists_exactly_the_public_names(module: str) -> None:
    names = public_surface()[module]
    row = guide_rows()[module]
    mentioned = _mentioned(row)
    loaded = importlib.import_module(module)
    assert not names - mentioned, f"public in code, missing from the guide's row: {sorted(names - mentioned)}"
    internal = {n for n in mentioned if hasattr(loaded, n) and not inspect.ismodule(getattr(loaded, n))} - names
    assert not internal, f"the guide's row names what {module}.__all__ leaves out: {sorted(internal)}"


@pytest.mark.parametrize("module", sorted(guide_rows()))
def test_every_public_function_and_class_has_a_docstring(module: str) -> None:
    loaded = importlib.import_module(module)
    undocumented = []
    for name in public_surface()[module]:
        assert hasattr(loaded, name), f"{module}.__all__ names {name}, which does not exist"
        obj = getattr(loaded, name)
        if inspect.isclass(obj):
            documented = bool(obj.__dict__.get("__doc__"))
        elif callable(obj) and (inspect.isfunction(obj) or inspect.isbuiltin(obj) or hasattr(obj, "__wrapped__")):
            documented = bool(inspect.getdoc(obj))
        else:
            continue  # constants, type aliases: described in the guide
        if not documented:
            undocumented.append(name)
    assert not undocumented, f"{module}: public names without a docstring: {sorted(undocumented)}"
