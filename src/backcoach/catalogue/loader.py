"""Loading and checking exercise files: the built-in set and the user's own.

Every problem is reported as one line a person can act on::

    path:line: exercise 'id': field: what is wrong (got VALUE); how to fix
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from backcoach.catalogue.cache import FileCache
from backcoach.catalogue.errors import UnknownExercise as UnknownExercise
from backcoach.catalogue.files import builtin_dir as builtin_dir
from backcoach.catalogue.files import yaml_files as yaml_files
from backcoach.catalogue.model import COACH_DOCS, Exercise, coach_docs
from backcoach.catalogue.yamlio import YamlFailure, line_of, read_yaml, to_plain


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one exercise file."""

    path: Path
    line: int
    exercise_id: str | None
    field: str
    message: str
    got: str | None
    fix: str

    def __str__(self) -> str:
        # Without an id (the file could not be read far enough), the path and line say where.
        who = f"exercise '{self.exercise_id}': " if self.exercise_id else ""
        field = "" if self.field == "(file)" and not self.exercise_id else f"{self.field}: "
        got = f" (got {self.got})" if self.got is not None else ""
        return f"{self.path}:{self.line}: {who}{field}{self.message}{got}; {self.fix}"


@dataclass
class Catalogue:
    """Exercises by id, with the file each came from and whether it is built in."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    origins: dict[str, Path] = field(default_factory=dict)
    builtin_ids: set[str] = field(default_factory=set)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self.exercises

    def __iter__(self) -> Any:
        return iter(self.exercises.values())

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self.exercises[exercise_id]
        except KeyError:
            close = difflib.get_close_matches(exercise_id, list(self.exercises), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownExercise(f"no exercise with id '{exercise_id}'{hint}") from None

    def is_builtin(self, exercise_id: str) -> bool:
        return exercise_id in self.builtin_ids


# --- one file -----------------------------------------------------------------------------


def load_file(path: Path) -> tuple[Exercise | None, list[Problem]]:
    """Read and validate one exercise file; any failure becomes a problem of this file."""
    try:
        return _load_file(path)
    except Exception as exc:  # one file never stops the others
        return None, [_failure_problem(path, exc)]


def _failure_problem(path: Path, exc: BaseException) -> Problem:
    """An unexpected failure while checking ``path``, as a problem of that file."""
    if isinstance(exc, RecursionError | MemoryError):
        message = "is too complex to check (nested or repeated too much)"
        fix = "simplify the file: write each value out plainly, a few levels deep at most"
    else:
        message = "could not be checked because backcoach failed on it"
        fix = (
            "please report this with the file; until then move the file out of the folder "
            "so the other exercises are unaffected"
        )
    got = f"{type(exc).__name__}: {exc}"
    return Problem(
        path, 1, None, "(file)", message, got if len(got) <= 120 else got[:117] + "...", fix
    )


def _load_file(path: Path) -> tuple[Exercise | None, list[Problem]]:
    try:
        node = read_yaml(path)
    except YamlFailure as exc:
        return None, [Problem(path, exc.line, None, "(file)", exc.message, exc.got, exc.fix)]
    if not isinstance(node, Mapping):
        return None, [
            Problem(
                path,
                1,
                None,
                "(file)",
                "an exercise file must be a mapping of fields",
                type(node).__name__ if node is not None else "an empty file",
                "start the file with 'id: your-exercise-id' and the other fields",
            )
        ]
    raw_id = node.get("id")
    exercise_id = raw_id if isinstance(raw_id, str) else None
    # The id and the file name are checked whatever else is wrong, so all is said at once.
    problems = [] if exercise_id is None else _file_name_problems(path, node, exercise_id)
    try:
        exercise = Exercise.model_validate(to_plain(node))
    except ValidationError as exc:
        problems += [_problem_from_error(path, node, exercise_id, err) for err in exc.errors()]
        return None, sorted(problems, key=lambda p: p.line)
    return exercise, problems


def _file_name_problems(path: Path, node: Any, exercise_id: str) -> list[Problem]:
    if path.stem == exercise_id:
        return []
    return [
        Problem(
            path,
            line_of(node, ["id"]),
            exercise_id,
            "id",
            f"does not match the file name '{path.name}'",
            repr(exercise_id),
            f"rename the file to '{exercise_id}.yaml' or change the id to '{path.stem}'",
        )
    ]


def _problem_from_error(
    path: Path, node: Any, exercise_id: str | None, err: Mapping[str, Any]
) -> Problem:
    loc = [p for p in err["loc"] if isinstance(p, (str, int))]
    kind = err["type"]
    line = line_of(node, loc)
    # A dictionary key error arrives as (..., key, '[key]'): name the key itself.
    field_name = ".".join(str(p) for p in loc if p != "[key]") or "(file)"
    got: str | None = _show(err.get("input"))
    ctx = err.get("ctx") or {}
    message, fix = explain_error(kind, err["msg"], ctx, loc)
    if loc and loc[0] == "coach" and COACH_DOCS not in fix:
        fix = f"{fix.removesuffix(' (see `backcoach catalogue schema`)')} (see {coach_docs(loc)})"
    if kind == "missing":
        got = None
    if kind == "extra_forbidden":
        got = None
    if kind == "value_error" and isinstance(err.get("input"), (dict, list)):
        # Our validators already quote the offending values; "(got dict)" would say nothing.
        got = None
    return Problem(path, line, exercise_id, field_name, message, got, fix)


TIME_OF_DAY_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
"""A time of day on the 24-hour clock, HH:MM (the profile's reminder time)."""

PATTERN_WORDS: dict[str, tuple[str, str]] = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": (
        "is not a valid id",
        "use lowercase letters, digits and single hyphens, e.g. 'knee-rolls'",
    ),
    TIME_OF_DAY_PATTERN: (
        "is not a time of day",
        "write it as HH:MM on the 24-hour clock, e.g. 07:30 or 18:00",
    ),
}
"""What a value that does not match a field's pattern should look like, by pattern."""


def explain_error(
    kind: str,
    msg: str,
    ctx: Mapping[str, Any],
    loc: list[str | int],
    *,
    model: Any = Exercise,
    syntax: str = "yaml",
) -> tuple[str, str]:
    """A pydantic error as (what is wrong, how to fix it), in plain words. ``model`` is the
    model validated (its fields are what an unknown field is compared with); ``syntax`` is how
    the person wrote the values: "yaml" (an exercise file) or "json" (a profile or programme
    file, a form or an option), so the advice shows how to write them there."""
    catalogue = model is Exercise
    if kind == "missing":
        return "is required but missing", (
            "add it (see `backcoach catalogue schema`)" if catalogue else "add it"
        )
    if kind == "extra_forbidden":
        return "is not a known field", _known_fields_hint(loc, model)
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return "is not one of the allowed values", f"use one of {expected}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number", "write a number such as 10, without quotes"
    if kind in ("float_type", "float_parsing"):
        return "must be a number", "write a number such as 2.5, without quotes"
    if kind == "bool_type":
        return "must be true or false", "write true or false"
    if kind == "string_type":
        return "must be text", "write text; quote it if it looks like a number"
    if kind in ("list_type", "tuple_type"):
        if syntax == "yaml":
            return "must be a list", "write one item per line, each starting with '- '"
        return "must be a list", 'write the items in square brackets, e.g. ["mon", "wed"]'
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        if syntax == "yaml":
            return "must be a mapping of fields", "indent the fields under this key"
        return "must be an object of fields", 'write the fields in braces, e.g. {"id": "..."}'
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return PATTERN_WORDS.get(
            pattern, ("does not have the expected form", f"write it to match {pattern}")
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "?")
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        return f"must be {words} {bound}", f"use a value {words} {bound}"
    if kind == "too_short":
        at_least = ctx.get("min_length", 1)
        noun = "character" if ctx.get("field_type") == "Value" else "item"
        return f"is too short: needs at least {at_least} {noun}(s)", f"give at least {at_least}"
    if kind == "too_long" or kind == "string_too_long":
        at_most = ctx.get("max_length", "?")
        return f"is too long (at most {at_most})", "shorten it"
    if kind == "string_too_short":
        return "is empty", "write some text"
    if kind == "value_error":
        # Our own validators phrase messages as "what is wrong; how to fix" or just "what".
        text = msg.removeprefix("Value error, ")
        what, _, fix = text.partition("; ")
        return what, fix or "correct the values named in the message"
    if catalogue:
        return msg, "see `backcoach catalogue schema` for what this field accepts"
    return msg, "correct this value"


def _known_fields_hint(loc: list[str | int], model: Any = Exercise) -> str:
    for part in loc[:-1]:
        fields = getattr(model, "model_fields", None)
        if fields is None or not isinstance(part, str) or part not in fields:
            model = None
            break
        model = _model_of(fields[part].annotation)
    names = sorted(getattr(model, "model_fields", {}) or {})
    bad = str(loc[-1]) if loc else ""
    close = difflib.get_close_matches(bad, names, n=1)
    if close:
        return f"did you mean '{close[0]}'? Remove or rename it"
    if names:
        return f"remove it; known fields here: {', '.join(names)}"
    return "remove it"


def _model_of(annotation: Any) -> Any:
    if hasattr(annotation, "model_fields"):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _show(value: Any) -> str | None:
    if isinstance(value, (dict, list)) or value is None:
        return None if value is None else type(value).__name__
    text = repr(to_plain(value))
    return text if len(text) <= 60 else text[:57] + "..."


# --- many files ---------------------------------------------------------------------------


ExtraCheck = Callable[[Exercise], list[tuple[list[str | int], str, str]]]
"""A check the catalogue cannot make itself (the body model's pose checks): it returns
``(location in the file, what is wrong, how to fix it)`` for each problem found."""


def load_catalogue(
    folders: Iterable[tuple[Path, bool]],
    cache: FileCache | None = None,
    extra_checks: Sequence[ExtraCheck] = (),
    check_builtin: bool = True,
) -> tuple[Catalogue, list[Problem]]:
    """Load ``(folder, is_builtin)`` pairs in order and check across files.

    Files with problems are left out of the catalogue; the problems say why. Cross-file checks:
    an id defined twice (built in or not), and regression/progression ids that point nowhere.
    ``extra_checks`` run on each valid exercise before it is cached (so a cached file has
    passed them); ``check_builtin=False`` runs them on the user's folders only.
    """
    catalogue = Catalogue()
    problems: list[Problem] = []
    rejected: set[str] = set()
    seen: list[Path] = []
    for folder, is_builtin in folders:
        checks = extra_checks if check_builtin or not is_builtin else ()
        for path in yaml_files(folder):
            seen.append(path)
            exercise = cache.get(path) if cache is not None else None
            if exercise is None:
                exercise, file_problems = _checked_file(path, checks)
                problems.extend(file_problems)
                if exercise is None or file_problems:
                    rejected.update(p.exercise_id for p in file_problems if p.exercise_id)
                    continue
                if cache is not None:
                    cache.put(path, exercise)
            if exercise.id in catalogue.exercises:
                first = catalogue.origins[exercise.id]
                problems.append(
                    Problem(
                        path,
                        _line_in(path, ["id"]),
                        exercise.id,
                        "id",
                        f"is already used by {first}",
                        repr(exercise.id),
                        "give this exercise a new id; ids are never shared or reused",
                    )
                )
                continue
            catalogue.exercises[exercise.id] = exercise
            catalogue.origins[exercise.id] = path
            if is_builtin:
                catalogue.builtin_ids.add(exercise.id)
    problems.extend(_dangling_links(catalogue, rejected - set(catalogue.exercises)))
    if cache is not None:
        cache.note_clean_load(None if problems else seen)
        cache.save()
    return catalogue, problems


def _checked_file(
    path: Path, checks: Sequence[ExtraCheck]
) -> tuple[Exercise | None, list[Problem]]:
    """:func:`load_file` plus the extra checks; a check that fails is a problem of this file."""
    exercise, problems = load_file(path)
    if exercise is None:
        return None, problems
    try:
        return exercise, problems + _extra_problems(path, exercise, checks)
    except Exception as exc:  # one file never stops the others
        return exercise, [*problems, _failure_problem(path, exc)]


def _extra_problems(path: Path, exercise: Exercise, checks: Sequence[ExtraCheck]) -> list[Problem]:
    findings = [finding for check in checks for finding in check(exercise)]
    if not findings:
        return []
    node = _node_of(path)
    return [
        Problem(
            path, line_of(node, loc), exercise.id, ".".join(str(p) for p in loc), msg, None, fix
        )
        for loc, msg, fix in findings
    ]


def _line_in(path: Path, loc: Sequence[str | int]) -> int:
    return line_of(_node_of(path), loc)


def _node_of(path: Path) -> Any:
    """A file that loaded before, read again for line numbers; None (so line 1) when it
    cannot be read now (it changed since, or came from the cache)."""
    try:
        return read_yaml(path)
    except Exception:  # a line number is never worth a crash
        return None


def _dangling_links(catalogue: Catalogue, rejected: set[str]) -> list[Problem]:
    """Links to ids that are not in the catalogue: missing, or left out for problems of
    their own (then the message says so instead of guessing another id)."""
    problems = []
    for exercise in catalogue:
        for link in ("regression", "progression"):
            target = getattr(exercise, link)
            if target is None or target in catalogue:
                continue
            path = catalogue.origins[exercise.id]
            if target in rejected:
                message = "points to an exercise whose own file has problems (listed above)"
                fix = f"fix '{target}' first, or remove the line"
            else:
                others = [i for i in catalogue.exercises if i != exercise.id]
                close = difflib.get_close_matches(target, others, n=1)
                message = "points to an exercise that does not exist"
                fix = f"did you mean '{close[0]}'?" if close else "name an existing exercise id"
                fix += " Or remove the line"
            problems.append(
                Problem(
                    path,
                    _line_in(path, [link]),
                    exercise.id,
                    link,
                    message,
                    repr(target),
                    fix,
                )
            )
    return problems


def load_default(
    user_dir: Path | None,
    cache_file: Path | None = None,
    user_checks: Sequence[ExtraCheck] = (),
) -> tuple[Catalogue, list[Problem]]:
    """The built-in exercises, then the user's own from ``user_dir`` (``user_checks`` run on
    those only: the built-ins are checked in full by ``catalogue check`` and the test suite)."""
    folders: list[tuple[Path, bool]] = [(builtin_dir(), True)]
    if user_dir is not None:
        folders.append((user_dir, False))
    cache = FileCache(cache_file) if cache_file is not None else None
    return load_catalogue(folders, cache, user_checks, check_builtin=False)
