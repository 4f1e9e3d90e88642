"""Generate docs/hooks.md from core/hookspecs.py: ``python -m tisserand.hookdoc > docs/hooks.md``.

A test compares the file with this output, so the reference cannot drift from the code.
"""

from __future__ import annotations

import inspect
import textwrap

from tisserand import hookspecs
from tisserand.hook_examples import EXAMPLES

HEADER = """# Hook reference

Generated from `core/hookspecs.py` by `python -m tisserand.hookdoc > docs/hooks.md`; a test
fails when this file and the code disagree. Hooks are called with keyword arguments; an
implementation may accept any subset of them. Decorate implementations with
`from tisserand import hookimpl`. See the plugin guide (`docs/plugin-guide.md`) for a tutorial.

"""


def hook_names() -> list[str]:
    """Every hook specification, in the order of the source file."""
    names = []
    for name, value in vars(hookspecs).items():
        if inspect.isfunction(value) and hasattr(value, "tisserand_spec"):
            names.append(name)
    return names


def plugin_hooks() -> list[tuple[str, str, str]]:
    """Hooks that the built-in plugins add with ``tisserand_addhooks``, found as the core finds
    plugins (entry points of the ``tisserand`` distribution): ``(hook, plugin, first paragraph
    of its docstring)``, by hook name."""
    from importlib.metadata import entry_points

    import pluggy

    core = set(hook_names())
    found: dict[str, tuple[str, str, str]] = {}
    for ep in sorted(entry_points(group="tisserand.plugins"), key=lambda e: e.name):
        if ep.dist is None or ep.dist.name.lower() != "tisserand":
            continue
        pm = pluggy.PluginManager("tisserand")
        pm.add_hookspecs(hookspecs)
        pm.register(ep.load(), name=ep.name)
        pm.hook.tisserand_addhooks(pm=pm)
        for name, caller in sorted(vars(pm.hook).items()):
            spec = getattr(caller, "spec", None)
            if spec is None or name in core or name in found:
                continue
            doc = inspect.cleandoc(spec.function.__doc__ or "").split("\n\n", 1)[0]
            found[name] = (name, ep.name, " ".join(doc.split()))
    return sorted(found.values())


def signature(name: str) -> str:
    """``name(arg: type, …) -> return`` as written in the source."""
    source = inspect.getsource(getattr(hookspecs, name))
    header = source.split('"""', 1)[0]
    header = header.split("def ", 1)[1].rstrip().rstrip(":")
    return " ".join(header.split()).replace("( ", "(").replace(" )", ")")


def render() -> str:
    """The whole Markdown document."""
    parts = [HEADER, textwrap.dedent(hookspecs.__doc__ or "").split("\n\n", 1)[1].strip(), "\n\n"]
    parts.append("## Index\n\n" + "\n".join(f"- [`{n}`](#{n})" for n in hook_names()) + "\n\n")
    for name in hook_names():
        function = getattr(hookspecs, name)
        doc = inspect.cleandoc(function.__doc__ or "")
        options = getattr(function, "tisserand_spec", {}) or {}
        first = " (first result wins)" if options.get("firstresult") else ""
        parts.append(f"## {name}\n\n```python\n{signature(name)}\n```\n\n{doc}{first}\n\n")
        if name in EXAMPLES:
            parts.append(f"Example:\n\n```python\n{EXAMPLES[name].strip()}\n```\n\n")
    parts.append("## Hooks that plugins add\n\nA plugin can offer hooks of its own to other plugins "
                 "(`tisserand_addhooks`); implement them with `hookimpl` like the core's, marked "
                 "`@hookimpl(optionalhook=True)` when the plugin that declares them may be switched "
                 "off. The built-in plugins add these (each is documented in full on its plugin's "
                 "page):\n\n| hook | declared by | what it does |\n|---|---|---|\n")
    for name, plugin, summary in plugin_hooks():
        parts.append(f"| `{name}` | [{plugin}](plugins/{plugin}.md) | {summary} |\n")
    return "".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
