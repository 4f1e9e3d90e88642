"""The ``pytest11`` entry point: loads Tisserand's fixtures when their dependencies are here.

pytest loads this module in every environment where Tisserand is installed, including one
with pytest but without the test extras (``pip install 'tisserand[testing]'``). There it must
not break the run: the fixtures are then left out, and the report header says what to install.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: What the fixtures need beyond Tisserand and pytest (the ``testing`` extra).
NEEDED = ("pytest_asyncio", "httpx", "aiosmtpd")


def _missing() -> list[str]:
    """The needed packages that can't be imported here."""
    missing = []
    for name in NEEDED:
        try:
            import_module(name)
        except ImportError:
            missing.append(name)
    return missing


MISSING = _missing()

# pytest imports and registers the modules named here, as for any plugin module.
pytest_plugins = [] if MISSING else ["tisserand.testing.fixtures"]


def pytest_report_header(config: Any) -> str | None:
    """Say why the Tisserand fixtures are unavailable, when they are."""
    if not MISSING:
        return None
    return (f"tisserand: fixtures unavailable ({', '.join(MISSING)} not installed); "
            "pip install 'tisserand[testing]' to get them")
