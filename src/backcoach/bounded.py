"""Reading files a person gives within limits: size before reading, nesting before parsing.

A file handed to backcoach (an exercise YAML file, a profile or answers JSON file, a landmark
recording, the catalogue cache) must never hang, exhaust memory or crash the process. The
checks here run before a parser builds anything:

- :func:`read_text` checks the size with ``stat`` before reading, and reads at most one byte
  past the limit (so a pipe, ``/dev/zero`` or a file still growing cannot slip past).
- :func:`check_json_depth` scans the brackets outside strings, so ``json.loads`` never sees a
  file nested deeper than :data:`MAX_DEPTH` (it would raise ``RecursionError``).
- :func:`too_deep` is the one wording of a nesting error, used for JSON and YAML alike.

Every error is a :class:`BoundedInputError` that reads ``path:line: what is wrong (got VALUE);
how to fix``. Only the standard library is used, so any package may read through here.
"""

from __future__ import annotations

import itertools
import json
import re
import stat
import sys
from pathlib import Path
from typing import Any

MAX_DEPTH = 50
"""Lists and mappings inside each other, at most. Exercise files need 5 levels (a key pose's
joint angles), profile files 3, landmark files 4: 50 is far beyond any real file and far below
the depth at which a recursive parser or validator runs out of stack (about 1,000)."""

KB = 1024
MB = 1024 * KB

_JSON_STRING = re.compile(rb'"[^"\\\n]*(?:\\.[^"\\\n]*)*"?')
"""A JSON string, or an unclosed one up to the end of its line: JSON strings hold no raw line
breaks, so removing them keeps every line break, and their brackets never count."""
_NOT_STRUCTURE = re.compile(rb"[^\[\]{}\n]+")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1, ord("\n"): 0}


class BoundedInputError(ValueError):
    """A file that is too large, too deep or unreadable; ``str()`` names the place and fix."""

    def __init__(self, path: Path, line: int, message: str, got: str | None, fix: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        self.got = got
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        got = f" (got {self.got})" if self.got is not None else ""
        return f"{self.path}:{self.line}: {self.message}{got}; {self.fix}"


def size_words(n_bytes: int) -> str:
    """A size as people say it: 900 bytes, 12 KB, 3.5 MB."""
    if n_bytes < KB:
        return f"{n_bytes} bytes"
    if n_bytes < MB:
        return f"{n_bytes / KB:.0f} KB"
    return f"{n_bytes / MB:.1f} MB".replace(".0 MB", " MB")


def too_large(path: Path, size: int | None, max_bytes: int, kind: str) -> BoundedInputError:
    """A file over ``max_bytes``; ``size`` is None when only a read found it out (a pipe)."""
    return BoundedInputError(
        path,
        1,
        f"the file is too large for {kind}: at most {size_words(max_bytes)} ({max_bytes:,} bytes)",
        f"{size:,} bytes" if size is not None else f"more than {max_bytes:,} bytes",
        f"check that this is the right file; {kind} is normally far smaller",
    )


def too_deep(
    path: Path,
    line: int,
    kind: str,
    max_depth: int = MAX_DEPTH,
    fix: str = "remove the stray opening brackets ('[' or '{')",
) -> BoundedInputError:
    """Lists or mappings nested more than ``max_depth`` levels, first at ``line``."""
    return BoundedInputError(
        path,
        line,
        f"lists and mappings are nested more than {max_depth} levels deep here, "
        f"more than {kind} ever needs",
        f"{max_depth + 1} levels",
        fix,
    )


class FileTooLarge(BoundedInputError):
    """A file over its limit; ``size`` is None when only a read found it out (a pipe)."""

    def __init__(self, path: Path, size: int | None, max_bytes: int, kind: str) -> None:
        self.size, self.max_bytes = size, max_bytes
        error = too_large(path, size, max_bytes, kind)
        super().__init__(path, error.line, error.message, error.got, error.fix)


def read_bytes(path: Path, max_bytes: int, kind: str) -> bytes:
    """The bytes of ``path``, refused before reading when it is over ``max_bytes``.

    The size is checked with ``stat`` first, and at most ``max_bytes + 1`` bytes are ever
    read, so a pipe or a file growing while it is read is bounded too. Raises
    :class:`FileTooLarge`, or :class:`BoundedInputError` when the file cannot be read (its
    ``__cause__`` is the ``OSError``)."""
    try:
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise FileTooLarge(path, info.st_size, max_bytes, kind)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BoundedInputError(
            path,
            1,
            "the file cannot be read",
            reason,
            "check the path and that you may read the file",
        ) from exc
    if len(data) > max_bytes:
        raise FileTooLarge(path, None, max_bytes, kind)
    return data


def read_text(path: Path, max_bytes: int, kind: str) -> str:
    """The UTF-8 text of ``path`` within ``max_bytes`` (see :func:`read_bytes`).

    ``kind`` names the file in messages ("a profile file"). Raises :class:`BoundedInputError`
    for a file that is too large, cannot be read or is not UTF-8.
    """
    data = read_bytes(path, max_bytes, kind)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BoundedInputError(
            path,
            line,
            "the file is not UTF-8 text",
            f"byte {data[exc.start : exc.start + 1]!r}",
            "save the file as UTF-8 (most editors offer it under 'Save as' or 'Encoding')",
        ) from None


def json_skeleton(data: bytes) -> bytes:
    """The brackets and line breaks of JSON ``data``, strings dropped (a bracket inside
    quotes is text; JSON strings hold no raw line breaks, so every line break is kept)."""
    return _NOT_STRUCTURE.sub(b"", _JSON_STRING.sub(b"", data))


def deeper_than(skeleton: bytes, max_depth: int) -> int | None:
    """The 1-based line where a :func:`json_skeleton` first nests beyond ``max_depth``, or
    None. The running depth is summed in C by ``itertools.accumulate``; the line is looked
    for only when the limit is crossed."""
    if max(itertools.accumulate(map(_STEP.__getitem__, skeleton)), default=0) <= max_depth:
        return None
    depths = itertools.accumulate(map(_STEP.__getitem__, skeleton))
    first = next(i for i, depth in enumerate(depths) if depth > max_depth)
    return skeleton.count(b"\n", 0, first) + 1


def check_json_depth(path: Path, text: str, kind: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise :func:`too_deep` when JSON ``text`` nests beyond ``max_depth``, without parsing."""
    line = deeper_than(json_skeleton(text.encode("utf-8")), max_depth)
    if line is not None:
        raise too_deep(path, line, kind, max_depth)


def load_json(path: Path, max_bytes: int, kind: str, max_depth: int = MAX_DEPTH) -> Any:
    """Read and parse a JSON file within both limits.

    Raises :class:`BoundedInputError` (size, depth, reading, encoding, a number too long for
    Python to read) or ``json.JSONDecodeError`` (syntax, with its line) for the caller to word.
    """
    text = read_text(path, max_bytes, kind)
    check_json_depth(path, text, kind, max_depth)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        # The one other ValueError json raises: an integer longer than Python will convert
        # (sys.get_int_max_str_digits(), 4,300 digits by default).
        limit = sys.get_int_max_str_digits()
        found = re.search(rf"\d{{{limit + 1},}}", text) if limit else None
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        raise BoundedInputError(
            path,
            line,
            "this number is too long to read",
            f"{len(found[0]):,} digits" if found else str(exc),
            "write an ordinary number",
        ) from None
