"""A cache of validated exercise files, so the CLI starts fast.

Parsing YAML with line numbers costs a few milliseconds a file; a command that lists exercises
would spend most of its start-up there. Files that validated cleanly are cached as JSON keyed by
path, modification time and size; a changed, added or removed file is simply read again. Files
with problems are never cached, so their messages always come from the file as it is now.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from backcoach import __version__
from backcoach.catalogue.model import Exercise

CACHE_FORMAT = 1


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_mtime_ns, stat.st_size]


class FileCache:
    """Maps exercise files to their validated content while the file is unchanged."""

    def __init__(self, location: Path | None) -> None:
        self.location = location
        self._entries: dict[str, Any] = {}
        self._dirty = False
        if location is not None and location.is_file():
            try:
                data = json.loads(location.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if data.get("format") == CACHE_FORMAT and data.get("version") == __version__:
                self._entries = data.get("files", {})

    def get(self, path: Path) -> Exercise | None:
        entry = self._entries.get(str(path))
        if entry is None or entry.get("stamp") != _stamp(path):
            return None
        try:
            return Exercise.model_validate_json(entry["exercise"])
        except ValueError:
            return None

    def put(self, path: Path, exercise: Exercise) -> None:
        self._entries[str(path)] = {"stamp": _stamp(path), "exercise": exercise.model_dump_json()}
        self._dirty = True

    def save(self) -> None:
        """Write the cache atomically; a cache that cannot be written is simply skipped."""
        if self.location is None or not self._dirty:
            return
        live = {k: v for k, v in self._entries.items() if Path(k).is_file()}
        payload = {"format": CACHE_FORMAT, "version": __version__, "files": live}
        try:
            self.location.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.location.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh)
            os.replace(tmp, self.location)
        except OSError:
            return
        self._dirty = False
