"""Where exercise files are: the built-in folder and the YAML files in a folder.

Light on purpose (no pydantic, no YAML parser), so that reading the catalogue cache
(``catalogue.listing``) does not import the models.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUILTIN_PACKAGE = "backcoach.catalogue"
BUILTIN_FOLDER = "data"


def builtin_dir() -> Path:
    return Path(str(resources.files(BUILTIN_PACKAGE).joinpath(BUILTIN_FOLDER)))


def yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def cache_file(home: Path) -> Path:
    """Where the catalogue cache (``catalogue.cache``) of a backcoach home lives."""
    return home / "cache" / "catalogue.json"
