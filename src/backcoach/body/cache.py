"""Drawn figures kept in memory: drawing an exercise takes milliseconds, finding it again
microseconds.

A drawing is keyed by what determines it: the kind of picture (still, moving, contact sheet,
PNG), the exercise's id, a fingerprint of the exercise's definition (its model dumped to JSON
and hashed) and the drawing options (title, max_hold, width). An exercise file that changes
loads as an exercise with another fingerprint, so its old drawing is never found for it again;
the old one just ages out. The fingerprint also covers the drawing code itself (a hash of this
package's source), so a new backcoach that draws differently never serves, nor tags, an old
picture as current.

The cache is bounded in entries and in size (least recently used first out) and shared by
everything in the process that draws: the pages and API routes, the handout, ``figures``. Its
``tag`` is the strong HTTP ``ETag`` of a picture: the same key, so the browser's copy is current
exactly when the drawing would be found here.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TypeVar

from backcoach.catalogue.model import Exercise

MAX_FIGURES = 256
"""Drawings kept at most: every built-in exercise's still and moving figure several times
over (30 exercises today)."""
MAX_SIZE = 24 * 1024 * 1024
"""Characters (SVG) plus bytes (PNG) kept at most: a still figure is about 9 KB, a moving one
about 35 KB, a PNG 20-60 KB, so the entry limit binds first in ordinary use."""
MAX_FINGERPRINTS = 1024
"""Exercise fingerprints remembered (by the exercise object: a catalogue holds 30 built-ins and
the person's own); beyond this the least recently used are computed again when asked."""

T = TypeVar("T", bound=str | bytes | None)


def _drawing_code() -> str:
    """A hash of backcoach's version and the body package's source: drawings and tags change
    when the code does."""
    from backcoach import __version__

    digest = hashlib.sha256(__version__.encode() + b"\0")
    package = resources.files(__package__ or "backcoach.body")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass
class FigureCache:
    """A bounded least-recently-used store of drawings; safe to use from several threads.

    Two threads asking for the same missing drawing at once may both draw it; the second
    result replaces the first (they are equal), nothing worse."""

    max_entries: int = MAX_FIGURES
    max_size: int = MAX_SIZE
    hits: int = 0
    misses: int = 0
    _entries: OrderedDict[Hashable, tuple[str | bytes | None, int]] = field(
        default_factory=OrderedDict
    )
    _size: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get_or_draw(self, key: Hashable, draw: Callable[[], T]) -> T:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found[0]  # type: ignore[return-value]
            self.misses += 1
        value = draw()
        size = len(value) if value is not None else 0
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            if size <= self.max_size:
                self._entries[key] = (value, size)
                self._size += size
            while len(self._entries) > self.max_entries or self._size > self.max_size:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= dropped
        return value

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Characters and bytes held now."""
        return self._size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0
            self.hits = self.misses = 0


FIGURES = FigureCache()
"""The process's one cache of drawings."""

_fingerprints: OrderedDict[int, tuple[Exercise, str]] = OrderedDict()
_fingerprint_lock = threading.Lock()
_code: list[str] = []


def drawing_code() -> str:
    """The drawing code's hash, computed once per process."""
    if not _code:
        _code.append(_drawing_code())
    return _code[0]


def fingerprint(exercise: Exercise) -> str:
    """A hash of the exercise's whole definition and of the drawing code.

    Remembered per exercise object (exercises are frozen models, loaded once per catalogue), so
    a page naming many exercises does not dump each to JSON every time. The entry holds the
    object itself, so its ``id()`` cannot be reused by another while the entry lives."""
    key = id(exercise)
    with _fingerprint_lock:
        found = _fingerprints.get(key)
        if found is not None and found[0] is exercise:
            _fingerprints.move_to_end(key)
            return found[1]
    digest = hashlib.sha256(drawing_code().encode() + b"\0")
    digest.update(exercise.model_dump_json().encode())
    value = digest.hexdigest()[:32]
    with _fingerprint_lock:
        _fingerprints[key] = (exercise, value)
        while len(_fingerprints) > MAX_FINGERPRINTS:
            _fingerprints.popitem(last=False)
    return value


_versions: OrderedDict[tuple[int, str], tuple[Exercise, Exercise]] = OrderedDict()


class UnknownVersion(LookupError):
    """A picture asked for a version the exercise does not draw."""


def version_of(exercise: Exercise, condition: str | None) -> Exercise:
    """The exercise as drawn for ``condition`` (its modification's own key poses), or the
    exercise itself for ``None``. Kept per exercise object, like its fingerprint, so the
    version's drawings are found again (their keys carry the version's own fingerprint).

    Raises :class:`UnknownVersion` naming the drawn versions when ``condition`` has none."""
    if condition is None:
        return exercise
    key = (id(exercise), condition)
    with _fingerprint_lock:
        found = _versions.get(key)
        if found is not None and found[0] is exercise:
            _versions.move_to_end(key)
            return found[1]
    drawn = exercise.drawn_versions
    version = next((exercise.version(c) for c in drawn if c == condition), None)
    if version is None:
        names = ", ".join(drawn) or "none"
        raise UnknownVersion(
            f"{exercise.name} has no drawn version '{condition}'; drawn versions: {names}"
        )
    with _fingerprint_lock:
        _versions[key] = (exercise, version)
        while len(_versions) > MAX_FINGERPRINTS:
            _versions.popitem(last=False)
    return version


@dataclass(frozen=True)
class Key:
    """What determines one drawing."""

    kind: str
    exercise_id: str
    fingerprint: str
    options: tuple[tuple[str, object], ...] = ()

    @property
    def tag(self) -> str:
        """The strong HTTP entity tag of this drawing (quoted, as the header wants it)."""
        text = f"{self.kind}|{self.exercise_id}|{self.fingerprint}|{self.options!r}"
        return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def key(kind: str, exercise: Exercise, **options: object) -> Key:
    return Key(kind, exercise.id, fingerprint(exercise), tuple(sorted(options.items())))


def still_key(exercise: Exercise, title: bool = False) -> Key:
    return key("still", exercise, title=title)


def moving_key(exercise: Exercise, max_hold: float | None = None) -> Key:
    return key("moving", exercise, max_hold=max_hold)


def still_svg(exercise: Exercise, title: bool = False) -> str:
    """The still figure of an exercise (its key poses, or a placeholder card), drawn once."""
    from backcoach.body import figure

    return FIGURES.get_or_draw(
        still_key(exercise, title), lambda: figure.exercise_svg(exercise, title=title)
    )


def moving_svg(exercise: Exercise, max_hold: float | None = None) -> str | None:
    """The animated figure at the exercise's tempo (None without key poses), drawn once."""
    from backcoach.body import animation

    def draw() -> str | None:
        return animation.exercise_animation_svg(exercise, max_hold=max_hold)

    return FIGURES.get_or_draw(moving_key(exercise, max_hold), draw)


def sheet_svg(exercises: Sequence[Exercise]) -> str:
    """Every given exercise's figure on one sheet, drawn once for the same exercises."""
    from backcoach.body import sheet

    prints = hashlib.sha256("|".join(fingerprint(ex) for ex in exercises).encode())
    sheet_key = Key("sheet", "", prints.hexdigest()[:32])
    return FIGURES.get_or_draw(sheet_key, lambda: sheet.contact_sheet_svg(exercises))


def png(svg: str, width_px: int | None = None) -> bytes:
    """PNG of an SVG drawing, rendered once per drawing and width (keyed by the SVG's hash,
    which any change to the drawing changes)."""
    from backcoach.body import png as render

    digest = hashlib.sha256(svg.encode()).hexdigest()[:32]
    png_key = Key("png", "", digest, (("width", width_px),))
    return FIGURES.get_or_draw(png_key, lambda: render.svg_to_png(svg, width_px))
