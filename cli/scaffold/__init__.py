"""Files of a new plugin package, written by ``tisserand plugin new NAME``.

Each template is a Python string with ``{name}`` (the plugin's name, a valid identifier),
``{title}`` (its name for people) and ``{package}`` (``tisserand_{name}``) placeholders; literal
braces are doubled.
"""

from __future__ import annotations

from tisserand.cli.scaffold.files import FILES

__all__ = ["FILES"]
