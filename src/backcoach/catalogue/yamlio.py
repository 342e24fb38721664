"""Reading exercise YAML with line numbers, as YAML 1.2 (``on``/``yes``/``no`` stay strings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ruamel.yaml import YAML

# ruamel.yaml is imported inside the functions: when every file comes from the catalogue cache,
# a command never parses YAML and should not pay for importing the parser.


@dataclass(frozen=True)
class YamlFailure(Exception):
    """The file is not valid YAML; ``line`` is 1-based."""

    path: Path
    line: int
    message: str


_FROM_START = (
    "while scanning a simple key",
    "while scanning a quoted scalar",
    "while parsing a flow",
)
"""Errors whose mistake is where the construct began, not where the parser gave up: a key
without its ':', an unclosed quote (found only at the end of the file), an unclosed bracket."""


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    # Round-trip mode keeps line numbers; YAML 1.2 core schema keeps 'on'/'no' as strings.
    y = YAML(typ="rt")
    y.version = (1, 2)
    y.allow_duplicate_keys = False
    return y


def read_yaml(path: Path) -> Any:
    """Parse ``path``; raise :class:`YamlFailure` with the line of the first problem."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFailure(path, 1, f"not UTF-8 text ({exc.reason})") from exc
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (exc.context or "").startswith(_FROM_START):
            mark = exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlFailure(path, line, what or "invalid YAML") from exc
    except YAMLError as exc:
        raise YamlFailure(path, 1, str(exc).splitlines()[0]) from exc


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
