"""A cache of validated exercise files, so the CLI starts fast.

Parsing YAML with line numbers costs a few milliseconds a file; a command that lists exercises
would spend most of its start-up there. Files that validated cleanly are cached as JSON keyed by
path, modification time and size; a changed, added or removed file is simply read again. Files
with problems are never cached, so their messages always come from the file as it is now.

The cache is read like any file that may have been tampered with: within a size and depth
limit (:mod:`backcoach.bounded`), and a cache that is too large, too deep, malformed or of the
wrong shape is ignored (every file is then read again) rather than trusted or crashed on.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcoach import __version__
from backcoach.bounded import MB, load_json

if TYPE_CHECKING:
    from backcoach.catalogue.model import Exercise

CACHE_FORMAT = 1

MAX_CACHE_BYTES = 32 * MB
"""A cached exercise takes 3 to 6 KB; 32 MB holds several thousand. A larger cache is
ignored (and rewritten smaller on the next save, since only files still present are kept)."""


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_mtime_ns, stat.st_size]


class FileCache:
    """Maps exercise files to their validated content while the file is unchanged."""

    def __init__(self, location: Path | None) -> None:
        self.location = location
        self._entries: dict[str, Any] = {}
        self._listing: list[str] | None = None
        self._dirty = False
        if location is not None and location.is_file():
            try:
                data = load_json(location, MAX_CACHE_BYTES, "the catalogue cache")
            except ValueError:  # too large or deep (BoundedInputError), not JSON, not UTF-8
                data = {}
            if (
                isinstance(data, dict)
                and data.get("format") == CACHE_FORMAT
                and data.get("version") == __version__
                and isinstance(data.get("files"), dict)
            ):
                self._entries = data["files"]
                listing = data.get("listing")
                if isinstance(listing, list) and all(isinstance(p, str) for p in listing):
                    self._listing = listing

    def get(self, path: Path) -> Exercise | None:
        """The cached exercise for ``path`` when the file is unchanged; None otherwise (also
        for an entry of the wrong shape or content: the file is then simply read again)."""
        entry = self._entries.get(str(path))
        if not isinstance(entry, dict) or not isinstance(entry.get("exercise"), str):
            return None
        from backcoach.catalogue.model import Exercise  # the models only when validating

        try:
            if entry.get("stamp") != _stamp(path):
                return None
            return Exercise.model_validate_json(entry["exercise"])
        except (OSError, ValueError):
            return None

    def put(self, path: Path, exercise: Exercise) -> None:
        try:
            stamp = _stamp(path)
        except OSError:  # gone since it was read: nothing to cache
            return
        self._entries[str(path)] = {"stamp": stamp, "exercise": exercise.model_dump_json()}
        self._dirty = True

    def note_clean_load(self, paths: list[Path] | None) -> None:
        """Record the files of a load that found no problem at all, in load order (None: it
        found some). ``catalogue.listing`` lists exercises from this without the models."""
        listing = None if paths is None else [str(p) for p in paths]
        if listing != self._listing:
            self._listing = listing
            self._dirty = True

    def listed(self) -> list[tuple[Path, str]] | None:
        """The files of the last clean load with their cached exercise JSON, when every one
        is unchanged since; None when there was none or anything changed."""
        if self._listing is None:
            return None
        out = []
        for name in self._listing:
            entry = self._entries.get(name)
            if not isinstance(entry, dict) or not isinstance(entry.get("exercise"), str):
                return None
            path = Path(name)
            try:
                if entry.get("stamp") != _stamp(path):
                    return None
            except OSError:
                return None
            out.append((path, entry["exercise"]))
        return out

    def save(self) -> None:
        """Write the cache atomically; a cache that cannot be written is simply skipped."""
        if self.location is None or not self._dirty:
            return
        live = {k: v for k, v in self._entries.items() if Path(k).is_file()}
        payload = {
            "format": CACHE_FORMAT,
            "version": __version__,
            "files": live,
            "listing": self._listing,
        }
        try:
            self.location.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.location.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh)
            os.replace(tmp, self.location)
        except OSError:
            return
        self._dirty = False
