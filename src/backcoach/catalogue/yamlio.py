"""Reading exercise YAML with line numbers, as YAML 1.2 (``on``/``yes``/``no`` stay strings).

Exercise files are bounded before ruamel.yaml builds anything from them (see
:mod:`backcoach.bounded`): the size is checked with ``stat`` before reading, and every parse
event is checked as the parser hands it over, before the composer sees it. So a "billion laughs"
file is refused at its first anchor (nothing is ever expanded) and a file nested 20,000 deep is
refused at level 51 (the recursive composer never goes deeper). The limits:

- no anchors or aliases (``&name`` / ``*name``, merge keys ``<<: *name`` too): exercise files
  never need them, and they are how a few hundred bytes expand into gigabytes;
- :data:`MAX_FILE_BYTES` per file, :data:`~backcoach.bounded.MAX_DEPTH` levels of nesting;
- :data:`MAX_TEXT_CHARS` characters per text and :data:`MAX_VALUES` values per file.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcoach.bounded import KB, MAX_DEPTH, BoundedInputError, read_text, too_deep

if TYPE_CHECKING:
    from ruamel.yaml import YAML

# ruamel.yaml is imported inside the functions: when every file comes from the catalogue cache,
# a command never parses YAML and should not pay for importing the parser.

KIND = "an exercise file"

MAX_FILE_BYTES = 256 * KB
"""The built-in exercise files weigh 2 to 4 KB; 256 KB is 64 times the largest."""

MAX_TEXT_CHARS = 10_000
"""Characters in one text (a value or a key). The schema allows at most 400 in any text field
(its own check says so precisely, line and all); this limit only keeps megabyte strings out of
parsing, validation and error messages. 10,000 is 25 times what any field accepts, so it never
pre-empts the schema's own, more helpful message for a text that is merely too long."""

MAX_VALUES = 10_000
"""Values (texts, numbers, lists and mappings) in one file. The largest built-in file has 266;
ruamel.yaml parses about 20,000 values a second, so this caps one file's parse at well under a
second, where a 256 KB file of tiny values would take several."""

SYNTAX_FIX = "fix the YAML syntax at this line (indentation, a missing ':' or quote)"


@dataclass(frozen=True)
class YamlFailure(Exception):
    """The file cannot be read as exercise YAML; ``line`` is 1-based."""

    path: Path
    line: int
    message: str
    got: str | None = None
    fix: str = SYNTAX_FIX


class _UnreadableValue(Exception):
    """A value the constructor could not turn into Python (``!!float abc``, a 5,000-digit
    number, ``2026-13-45``), with the line it starts on."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


_FROM_START = (
    "while scanning a simple key",
    "while scanning a quoted scalar",
    "while parsing a flow",
)
"""Errors whose mistake is where the construct began, not where the parser gave up: a key
without its ':', an unclosed quote (found only at the end of the file), an unclosed bracket."""


@functools.cache
def _checked_classes() -> tuple[type, type]:
    """A parser that checks each event as it is handed to the composer, and a constructor
    that gives any value it cannot build the line it came from."""
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        NodeEvent,
        ScalarEvent,
        SequenceStartEvent,
    )
    from ruamel.yaml.parser import RoundTripParser

    class CheckedParser(RoundTripParser):
        def __init__(self, loader: Any) -> None:
            super().__init__(loader)
            self.path = Path()
            self.values = 0
            self.open: list[int] = []
            """Per open collection: -1 for a list, else how many keys and values a mapping
            has shown so far (even: the next node is a key)."""

        def get_event(self) -> Any:
            event = super().get_event()
            if event is None:
                return event
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, AliasEvent):
                raise _anchors(self.path, line, f"*{event.anchor}")
            if isinstance(event, NodeEvent):
                self._node(event, line)
            if isinstance(event, CollectionStartEvent):
                self.open.append(-1 if isinstance(event, SequenceStartEvent) else 0)
                if len(self.open) > MAX_DEPTH:
                    raise too_deep(
                        self.path,
                        line,
                        KIND,
                        fix="remove the stray opening brackets ('[' or '{') or the extra "
                        "indentation",
                    )
            elif isinstance(event, CollectionEndEvent):
                self.open.pop()
            return event

        def _node(self, event: Any, line: int) -> None:
            if event.anchor is not None:
                raise _anchors(self.path, line, f"&{event.anchor}")
            self.values += 1
            if self.values > MAX_VALUES:
                raise BoundedInputError(
                    self.path,
                    line,
                    f"the file holds more than {MAX_VALUES:,} values "
                    "(texts, numbers, lists and mappings)",
                    None,
                    "an exercise needs a few hundred at most: remove repeated entries",
                )
            if isinstance(event, ScalarEvent) and len(event.value) > MAX_TEXT_CHARS:
                raise BoundedInputError(
                    self.path,
                    line,
                    f"this text is longer than the {MAX_TEXT_CHARS:,} characters a value "
                    "in an exercise file may have",
                    f"{len(event.value):,} characters",
                    "shorten it (texts shown to the person hold at most 400 characters)",
                )
            if self.open and self.open[-1] >= 0:
                is_key = self.open[-1] % 2 == 0
                self.open[-1] += 1
                if is_key and isinstance(event, CollectionStartEvent):
                    # ruamel.yaml hashes a list or mapping key recursively, in time that
                    # doubles with each level: `{{{{...}}}}` 40 deep would never finish.
                    raise BoundedInputError(
                        self.path,
                        line,
                        "a list or mapping is used as a key here",
                        "[...]" if isinstance(event, SequenceStartEvent) else "{...}",
                        "keys are plain names such as 'steps:'; look for a stray '{', '[' or '?'",
                    )

    class CheckedConstructor(RoundTripConstructor):
        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (YAMLError, _UnreadableValue):
                raise
            except Exception as exc:  # any failure to build one value
                line = node.start_mark.line + 1 if node.start_mark is not None else 1
                raise _UnreadableValue(line, _short(str(exc) or type(exc).__name__)) from None

    return CheckedParser, CheckedConstructor


def _anchors(path: Path, line: int, got: str) -> BoundedInputError:
    return BoundedInputError(
        path,
        line,
        "anchors and aliases (&name / *name) are not allowed in exercise files",
        got,
        "write the value out",
    )


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _yaml(path: Path) -> YAML:
    from ruamel.yaml import YAML

    # Round-trip mode keeps line numbers; YAML 1.2 core schema keeps 'on'/'no' as strings.
    y = YAML(typ="rt")
    y.version = (1, 2)
    y.allow_duplicate_keys = False
    y.Parser, y.Constructor = _checked_classes()
    y.parser.path = path
    return y


def read_yaml(path: Path) -> Any:
    """Parse ``path`` within the limits; raise :class:`YamlFailure` with the line of the
    first problem."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = read_text(path, MAX_FILE_BYTES, KIND)
        return _yaml(path).load(text)
    except BoundedInputError as exc:
        raise YamlFailure(path, exc.line, exc.message, exc.got, exc.fix) from None
    except _UnreadableValue as exc:
        raise YamlFailure(
            path,
            exc.line,
            "this value cannot be read",
            exc.reason,
            "write plain text, a number or true/false; put text that looks like a number or "
            "a date in quotes",
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (exc.context or "").startswith(_FROM_START):
            mark = exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlFailure(path, line, f"invalid YAML: {what or 'not YAML'}") from None
    except YAMLError as exc:
        first = (str(exc).splitlines() or ["not YAML"])[0]
        raise YamlFailure(path, 1, f"invalid YAML: {first}") from None


def line_of(node: Any, loc: Sequence[str | int]) -> int:
    """The 1-based line of the value at ``loc`` inside ``node``, or of its nearest parent.

    ``loc`` is a pydantic error location. A missing key reports the line of the map that
    should hold it; ``[key]`` segments (a bad dictionary key) report the key's own line.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    line = _start_line(node)
    current = node
    for part in loc:
        if part == "[key]":
            break
        if isinstance(current, CommentedMap) and part in current:
            key_line, _ = current.lc.key(part)
            line = key_line + 1
            current = current[part]
        elif isinstance(current, CommentedSeq) and isinstance(part, int) and part < len(current):
            item_line, _ = current.lc.item(part)
            line = item_line + 1
            current = current[part]
        else:
            break
    return line


def _start_line(node: Any) -> int:
    lc = getattr(node, "lc", None)
    return (lc.line + 1) if lc is not None and lc.line is not None else 1


def to_plain(node: Any) -> Any:
    """Round-trip containers to plain dicts and lists, for validation and JSON."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else k: to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if type(node).__module__.startswith("ruamel"):
        # Scalars such as ScalarFloat or TaggedScalar: hand back the plain Python value.
        for base in (bool, int, float, str):
            if isinstance(node, base):
                return base(node)
    return node
