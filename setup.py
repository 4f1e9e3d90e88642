"""Map the repository's folders onto the single ``tisserand`` import namespace.

setuptools' automatic discovery does not follow custom ``package-dir`` mappings, so the
packages are listed here by walking the four source folders: a new sub-package (a plugin,
its ``migrations``) is picked up without editing any list.
"""

from pathlib import Path

from setuptools import setup

ROOTS = {"tisserand": "core", "tisserand.plugins": "plugins", "tisserand.cli": "cli",
         "tisserand.themes": "themes"}


def find_packages() -> list[str]:
    packages: list[str] = []
    for namespace, folder in ROOTS.items():
        root = Path(folder)
        for init in sorted(root.rglob("__init__.py")):
            parts = init.parent.relative_to(root).parts
            if any(p.startswith((".", "_")) or p in {"templates", "static", "locale"} for p in parts):
                continue
            packages.append(".".join((namespace, *parts)))
    return packages


setup(packages=find_packages(), package_dir=ROOTS)
