"""Tisserand: a plugin-based framework for online communities of practice.

Importing this package is cheap: it defines the hook marker and the version, nothing else.
Plugins write ``from tisserand import hookimpl``.
"""

import pluggy

__version__ = "0.1.0"

#: Decorator for plugin hook implementations: ``@hookimpl def content_saved(content): ...``
hookimpl = pluggy.HookimplMarker("tisserand")
#: Decorator for hook specifications (the core's, and those a plugin adds with tisserand_addhooks).
hookspec = pluggy.HookspecMarker("tisserand")

__all__ = ["__version__", "hookimpl", "hookspec"]
