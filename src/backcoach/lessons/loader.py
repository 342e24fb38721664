"""Loading and checking lesson files: the built-in lessons and the person's own.

A lesson file is Markdown with a YAML header between two ``---`` lines. Every problem is one
line a person can act on, as with exercise files::

    path:line: lesson 'id': field: what is wrong (got VALUE); how to fix

The header is read with ruamel.yaml as YAML 1.2 (``on``/``no`` stay text), within limits
checked before anything is built from it (no anchors or aliases, a few levels deep), and
validated with pydantic (``model.LessonHeader``); the body is checked section by section.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backcoach.bounded import KB, BoundedInputError, read_text
from backcoach.catalogue.loader import explain_error
from backcoach.catalogue.yamlio import line_of, to_plain
from backcoach.lessons.model import Lesson, LessonHeader, Section
from backcoach.lessons.text import MAX_GRADE, MAX_PARAGRAPH_WORDS, blocks, reading_grade

KIND = "a lesson file"
MAX_FILE_BYTES = 64 * KB
"""The built-in lessons weigh 2 to 3 KB; 64 KB is twenty times the largest."""
MAX_HEADER_DEPTH = 4
"""The header needs 3 levels (sources: a list of mappings); 4 leaves room, no more."""
MAX_HEADER_VALUES = 500

SOURCES_LINE = re.compile(r"^\[sources?:\s*(?P<keys>[^\]]*)\]\s*$")
FENCE = "---"
SYNTAX_FIX = "fix the YAML syntax at this line (indentation, a missing ':' or quote)"
_FROM_START = (
    "while scanning a simple key",
    "while scanning a quoted scalar",
    "while parsing a flow",
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one lesson file."""

    path: Path
    line: int
    lesson_id: str | None
    field: str
    message: str
    got: str | None
    fix: str

    def __str__(self) -> str:
        who = f"lesson '{self.lesson_id}': " if self.lesson_id else ""
        got = f" (got {self.got})" if self.got is not None else ""
        return f"{self.path}:{self.line}: {who}{self.field}: {self.message}{got}; {self.fix}"


@dataclass
class Library:
    """The lessons by id (built-in first, in file order), and what was wrong with the rest."""

    lessons: dict[str, Lesson] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __iter__(self) -> Any:
        return iter(self.lessons.values())

    def __len__(self) -> int:
        return len(self.lessons)

    def get(self, lesson_id: str) -> Lesson | None:
        return self.lessons.get(lesson_id)


def builtin_dir() -> Path:
    return Path(str(resources.files("backcoach.lessons").joinpath("data")))


def lesson_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.is_file())


# --- one file -------------------------------------------------------------------------------


def load_file(
    path: Path,
    builtin: bool = False,
    exercise_ids: Collection[str] | None = None,
    grade: bool = True,
) -> tuple[Lesson | None, list[Problem]]:
    """Read and check one lesson file; any failure becomes a problem of this file.
    ``exercise_ids``: the catalogue's ids, to check the related exercises (None: not checked).
    ``grade``: measure the reading grade too. It costs well over a second the first time in a
    process (textstat loads its pronouncing dictionary), so pages and everyday commands leave
    it to ``backcoach learn check`` and the tests, which measure every lesson."""
    try:
        return _load_file(path, builtin, exercise_ids, grade)
    except BoundedInputError as exc:
        return None, [Problem(path, exc.line, None, "(file)", exc.message, exc.got, exc.fix)]
    except Exception as exc:  # one file never stops the others
        got = f"{type(exc).__name__}: {exc}"[:120]
        fix = "please report this with the file; until then move it out of the folder"
        return None, [Problem(path, 1, None, "(file)", "could not be checked", got, fix)]


def _load_file(
    path: Path, builtin: bool, exercise_ids: Collection[str] | None, measure: bool
) -> tuple[Lesson | None, list[Problem]]:
    text = read_text(path, MAX_FILE_BYTES, KIND)
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        return None, [
            _file_problem(
                path,
                1,
                "a lesson file starts with its header between two '---' lines",
                repr(lines[0][:40]) if lines else "an empty file",
                "put '---' on the first line, then 'id: ...', 'title: ...' and the other "
                "fields, then '---' again and the lesson's text",
            )
        ]
    end = next((n for n in range(1, len(lines)) if lines[n].strip() == FENCE), None)
    if end is None:
        return None, [
            _file_problem(
                path,
                1,
                "the header is not closed",
                None,
                "put a line with just '---' after the last header field",
            )
        ]
    header_text = "\n".join(lines[1:end])
    node, failure = _read_header(path, header_text)
    if failure is not None:
        return None, [failure]
    if not isinstance(node, Mapping):
        return None, [
            _file_problem(
                path,
                2,
                "the header must be a mapping of fields",
                type(node).__name__ if node is not None else "an empty header",
                "write one 'field: value' per line, starting with 'id: your-lesson-id'",
            )
        ]
    raw_id = node.get("id")
    lesson_id = raw_id if isinstance(raw_id, str) else None
    problems: list[Problem] = []
    if lesson_id is not None and lesson_id != path.stem:
        problems.append(
            Problem(
                path,
                1 + line_of(node, ["id"]),
                lesson_id,
                "id",
                f"does not match the file name '{path.name}'",
                repr(lesson_id),
                f"rename the file to '{lesson_id}.md' or set id: {path.stem}",
            )
        )
    try:
        header = LessonHeader.model_validate(to_plain(node))
    except ValidationError as exc:
        problems += [_header_problem(path, node, lesson_id, err) for err in exc.errors()]
        return None, sorted(problems, key=lambda p: p.line)
    body_start = end + 2  # the 1-based line after the closing '---'
    sections = _sections(lines[end + 1 :], body_start)
    problems += _body_problems(path, node, header, sections, body_start)
    if exercise_ids is not None:
        problems += _exercise_problems(path, node, header, exercise_ids)
    grade = reading_grade([s.markdown for s in sections]) if measure else None
    if grade is not None and grade > MAX_GRADE:
        problems.append(
            Problem(
                path,
                body_start,
                header.id,
                "text",
                f"reads above grade {MAX_GRADE:g} (Flesch-Kincaid)",
                f"grade {grade:.1f}",
                "use shorter sentences and everyday words; explain any medical word",
            )
        )
    if problems:
        return None, sorted(problems, key=lambda p: p.line)
    return Lesson(header, tuple(sections), grade, path, builtin), []


def _file_problem(path: Path, line: int, message: str, got: str | None, fix: str) -> Problem:
    return Problem(path, line, None, "(file)", message, got, fix)


def _read_header(path: Path, text: str) -> tuple[Any, Problem | None]:
    """The header parsed, or the problem that stops it. Its events are checked before the
    composer builds anything: an alias (``*name``) could make a few bytes expand without end."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        NodeEvent,
    )

    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    try:
        depth = values = 0
        for event in yaml.parse(text):
            line = 2 + (event.start_mark.line if event.start_mark is not None else 0)
            if isinstance(event, AliasEvent) or (
                isinstance(event, NodeEvent) and event.anchor is not None
            ):
                return None, _file_problem(
                    path,
                    line,
                    "anchors and aliases (&name / *name) are not allowed in lesson files",
                    None,
                    "write the value out",
                )
            if isinstance(event, NodeEvent):
                values += 1
            if isinstance(event, CollectionStartEvent):
                depth += 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            if depth > MAX_HEADER_DEPTH or values > MAX_HEADER_VALUES:
                return None, _file_problem(
                    path,
                    line,
                    "the header is nested too deeply or holds too many values",
                    None,
                    "a header needs a few short fields: see the built-in lessons",
                )
        return yaml.load(text), None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (exc.context or "").startswith(_FROM_START):
            mark = exc.context_mark  # an unclosed bracket or quote: where it was opened
        line = 2 + (mark.line if mark is not None else 0)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        return None, _file_problem(path, line, f"invalid YAML: {what}", None, SYNTAX_FIX)
    except YAMLError as exc:
        first = (str(exc).splitlines() or ["not YAML"])[0]
        return None, _file_problem(path, 2, f"invalid YAML: {first}", None, SYNTAX_FIX)


def _header_problem(
    path: Path, node: Any, lesson_id: str | None, err: Mapping[str, Any]
) -> Problem:
    loc = [p for p in err["loc"] if isinstance(p, (str, int))]
    kind = err["type"]
    message, fix = explain_error(kind, err["msg"], err.get("ctx") or {}, loc, model=LessonHeader)
    value = err.get("input")
    got = None
    if kind not in ("missing", "extra_forbidden") and not isinstance(value, (dict, list)):
        got = repr(to_plain(value))[:60]
    name = ".".join(str(p) for p in loc) or "(header)"
    return Problem(path, 1 + line_of(node, loc), lesson_id, name, message, got, fix)


def _sections(body: list[str], first_line: int) -> list[Section]:
    """The body split at its '## ' headings, each section's sources line taken out."""
    found: list[Section] = []
    heading: str | None = None
    start = first_line
    chunk: list[str] = []

    def close() -> None:
        keys: tuple[str, ...] = ()
        kept = []
        for line in chunk:
            match = SOURCES_LINE.match(line.strip())
            if match:
                keys += tuple(k.strip() for k in match["keys"].split(",") if k.strip())
            else:
                kept.append(line)
        markdown = "\n".join(kept).strip()
        if heading is not None or markdown or keys:
            found.append(Section(heading, markdown, keys, start))

    for n, line in enumerate(body):
        if line.startswith("## "):
            close()
            heading, start, chunk = line[3:].strip(), first_line + n, []
        else:
            chunk.append(line)
    close()
    return found


def _body_problems(
    path: Path, node: Any, header: LessonHeader, sections: list[Section], body_start: int
) -> list[Problem]:
    lid = header.id
    if not sections:
        return [
            Problem(
                path, body_start, lid, "text", "is empty", None, "write the lesson below the header"
            )
        ]
    problems = []
    declared = {s.key for s in header.sources}
    cited: set[str] = set()
    for section in sections:
        where = f"section '{section.heading}'" if section.heading else "the opening section"
        if not section.markdown:
            problems.append(
                Problem(
                    path,
                    section.line,
                    lid,
                    "text",
                    f"{where} has no text",
                    None,
                    "write its text or remove the heading",
                )
            )
        if not section.source_keys:
            problems.append(
                Problem(
                    path,
                    section.line,
                    lid,
                    "sources",
                    f"{where} cites no source",
                    None,
                    "end the section with a line such as '[sources: nice-ng59]' naming the "
                    "header's sources its claims rest on",
                )
            )
        for key in section.source_keys:
            cited.add(key)
            if key not in declared:
                problems.append(
                    Problem(
                        path,
                        section.line,
                        lid,
                        "sources",
                        f"{where} cites a source the header does not list",
                        repr(key),
                        f"use one of {', '.join(sorted(declared))}, or add it under 'sources:'",
                    )
                )
        offset = 1 if section.heading is not None else 0
        for index, block in blocks(section.markdown):
            words = len(block.split())
            if words > MAX_PARAGRAPH_WORDS:
                problems.append(
                    Problem(
                        path,
                        section.line + offset + index,
                        lid,
                        "text",
                        f"a paragraph is too long (at most {MAX_PARAGRAPH_WORDS} words)",
                        f"{words} words",
                        "split it into shorter paragraphs",
                    )
                )
    for n, source in enumerate(header.sources):
        if source.key not in cited:
            problems.append(
                Problem(
                    path,
                    1 + line_of(node, ["sources", n]),
                    lid,
                    f"sources.{n}",
                    "is not cited by any section",
                    repr(source.key),
                    "cite it in a section's '[sources: ...]' line, or remove it",
                )
            )
    return problems


def _exercise_problems(
    path: Path, node: Any, header: LessonHeader, exercise_ids: Collection[str]
) -> list[Problem]:
    import difflib

    problems = []
    for n, exercise_id in enumerate(header.exercises):
        if exercise_id not in exercise_ids:
            close = difflib.get_close_matches(exercise_id, list(exercise_ids), n=1)
            fix = f"did you mean '{close[0]}'?" if close else "use an id from the exercise library"
            problems.append(
                Problem(
                    path,
                    1 + line_of(node, ["exercises", n]),
                    header.id,
                    f"exercises.{n}",
                    "is not an exercise in the library",
                    repr(exercise_id),
                    fix,
                )
            )
    return problems


# --- many files -----------------------------------------------------------------------------


def load_library(
    folders: Iterable[tuple[Path, bool]],
    exercise_ids: Collection[str] | None = None,
    grade: bool = True,
) -> Library:
    """Every lesson of these folders (``(folder, built_in)``, built-in first). A lesson of
    the person's own with a built-in lesson's id is refused: the built-in one stays."""
    library = Library()
    for folder, builtin in folders:
        for path in lesson_files(folder):
            lesson, problems = load_file(path, builtin, exercise_ids, grade)
            library.problems += problems
            if lesson is None:
                continue
            if lesson.id in library.lessons:
                library.problems.append(
                    Problem(
                        path,
                        2,
                        lesson.id,
                        "id",
                        "is already the id of another lesson",
                        repr(lesson.id),
                        "give your lesson an id of its own (and rename the file to match)",
                    )
                )
                continue
            library.lessons[lesson.id] = lesson
    return library


_CACHE: dict[tuple[Any, ...], Library] = {}


def _stamp(folder: Path) -> tuple[Any, ...]:
    return tuple((p.name, (st := p.stat()).st_mtime_ns, st.st_size) for p in lesson_files(folder))


def library_for(own_dir: Path, exercise_ids: Collection[str] | None = None) -> Library:
    """The built-in lessons and those in ``own_dir`` ($BACKCOACH_HOME/lessons), read once per
    process until a file there changes (a page asks for them on every view)."""
    key = (
        str(own_dir),
        _stamp(builtin_dir()),
        _stamp(own_dir),
        None if exercise_ids is None else frozenset(exercise_ids),
    )
    found = _CACHE.get(key)
    if found is None:
        _CACHE.clear()  # one home per process in normal use: keep the newest only
        folders = [(builtin_dir(), True), (own_dir, False)]
        found = _CACHE[key] = load_library(folders, exercise_ids, grade=False)
    return found


DIGEST_SECONDS = 1.0
"""How long a digest of the lesson files is trusted: /today asks for it on every view, and
listing and stating the files each time cost about 0.4 ms of a kept page's 1.5 ms. A lesson
file saved in $BACKCOACH_HOME/lessons shows on Today within a second."""
_DIGESTS: dict[str, tuple[float, str]] = {}


def digest(own_dir: Path) -> str:
    """A short tag of the lesson files' state: part of a kept page's key (web.pages_today)."""
    import hashlib
    import time

    now = time.monotonic()
    kept = _DIGESTS.get(str(own_dir))
    if kept is not None and now - kept[0] < DIGEST_SECONDS:
        return kept[1]
    text = repr((_stamp(builtin_dir()), _stamp(own_dir)))
    found = hashlib.sha1(text.encode()).hexdigest()[:12]
    if len(_DIGESTS) > 64:  # one home per process in normal use
        _DIGESTS.clear()
    _DIGESTS[str(own_dir)] = (now, found)
    return found
