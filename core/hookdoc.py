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
    return "".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
