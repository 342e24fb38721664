"""Listing the catalogue from its cache, without building the exercise models.

``backcoach exercises list`` shows a table of every exercise. Building the pydantic models
costs more than the rest of the command together, and a listing needs none of their checks
when nothing changed since the last clean load: the cache (``catalogue.cache``) records the
files of a load that found no problem at all, and each file's validated content. When every
file in the built-in and the user's folders is that same file, unchanged, the listing is
read from there. Anything else (a new, changed, removed or broken file, a damaged cache)
returns None and the caller loads the catalogue in full, with its problems.

Display only: nothing that decides whether or how a person exercises reads this listing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backcoach.catalogue.cache import FileCache
from backcoach.catalogue.files import builtin_dir, yaml_files

SHOWN = ("id", "name", "category", "position", "direction")
"""Text fields a listing row shows; an entry without them is not trusted."""


@dataclass(frozen=True)
class Listed:
    """One exercise as its JSON data (what ``Exercise.model_dump(mode="json")`` gives)."""

    data: dict[str, Any]
    builtin: bool

    @property
    def id(self) -> str:
        return str(self.data["id"])

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None


def cached_listing(user_dir: Path | None, cache_file: Path) -> list[Listed] | None:
    """Every exercise in catalogue order when the cache matches the files; else None."""
    if not cache_file.is_file():
        return None
    listed = FileCache(cache_file).listed()
    if listed is None:
        return None
    folders = [(builtin_dir(), True)]
    if user_dir is not None:
        folders.append((user_dir, False))
    current = [(path, builtin) for folder, builtin in folders for path in yaml_files(folder)]
    if [path for path, _ in current] != [path for path, _ in listed]:
        return None
    out = []
    for (_, builtin), (_, text) in zip(current, listed, strict=True):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in SHOWN):
            return None
        if not isinstance(data.get("difficulty"), int):
            return None
        out.append(Listed(data, builtin))
    return out
