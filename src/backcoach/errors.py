"""The domain errors, and turning validation errors into sentences that name the field, the
value and the fix.

Services raise :class:`BackcoachError` (or a subclass) with a message a person can act on; only
the edges turn them into something else: the CLI into exit code 2, the web app into an HTTP
error (``web.api_errors``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcoach.bounded import KB, BoundedInputError, load_json

if TYPE_CHECKING:
    from pydantic import ValidationError


class BackcoachError(Exception):
    """A problem the person can fix; the message says how."""


class PlanRefused(BackcoachError):
    """No plan may be offered (warning signs, no screen, stale screen); the message says why and
    ``code`` names the reason for programs (``no-screen``, ``rescreen``, ...)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class ProfileUnreadable(BackcoachError):
    """The saved profile does not validate; no plan is made from it until it is set again."""

    def __init__(self, details: str) -> None:
        super().__init__(
            f"{details}\nYour saved profile cannot be read, so no exercise plan is offered. "
            "Set it again with `backcoach profile set` (or the Settings page); your records "
            "are kept."
        )


class RecordUnreadable(BackcoachError):
    """A saved record does not fit the app's model; the message names it and the fix."""


class StoreNotEmpty(BackcoachError):
    """Importing would replace records already saved; the caller must say so (replace=True)."""


class ImportTooLarge(BackcoachError):
    """The file is larger than import reads (BACKCOACH_IMPORT_MAX_MB); refused unread."""


def validation_problems(
    exc: ValidationError, model: Any = None, syntax: str = "json"
) -> list[tuple[str, str]]:
    """Each problem as (field, ``what is wrong (got VALUE); how to fix``): the field is the
    dotted path (``days.0``). ``model``: the model validated (an unknown field is compared with
    its fields); ``syntax``: how the person wrote the values, "json" (files, forms, options)
    or "yaml"."""
    # Here, not at the top: every command imports this module for its error classes, and the
    # catalogue's loader brings in the pydantic models (start-up time of `exercises list`).
    from backcoach.catalogue.loader import explain_error

    problems = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if isinstance(p, (str, int))]
        field = ".".join(str(p) for p in loc if p != "[key]") or "(value)"
        message, fix = explain_error(
            err["type"], err["msg"], err.get("ctx") or {}, loc, model=model, syntax=syntax
        )
        got = err.get("input")
        shown = (
            ""
            if err["type"] in ("missing", "extra_forbidden") or isinstance(got, (dict, list))
            else f" (got {got!r})"
        )
        problems.append((field, f"{message}{shown}; {fix}"))
    return problems


def describe_validation(
    exc: ValidationError, where: str = "", model: Any = None, syntax: str = "json"
) -> str:
    """One line per problem: ``where: field: what is wrong (got VALUE); how to fix`` (see
    ``validation_problems``)."""
    prefix = f"{where}: " if where else ""
    return "\n".join(
        f"{prefix}{field}: {text}" for field, text in validation_problems(exc, model, syntax)
    )


class FieldsRejected(BackcoachError):
    """Values that do not fit, every one of them: ``problems`` holds (field, what is wrong and
    how to fix it) for a form to show next to each field; the message lists them all."""

    def __init__(self, where: str, problems: list[tuple[str, str]]) -> None:
        super().__init__("\n".join(f"{where}: {field}: {text}" for field, text in problems))
        self.problems = problems


class InputFileError(ValueError):
    """A file the person gave cannot be read as what it should be; the message says where."""


PERSON_FILE_MAX_BYTES = 256 * KB
"""A profile, screen-answers or session-answers file holds a few hundred bytes; 256 KB is room
for any real one (with notes) and refuses a wrong file before it is read into memory."""


def read_json_file(
    path: Path,
    expect: type = dict,
    example: str = "{...}",
    *,
    kind: str = "a profile or answers file",
    max_bytes: int = PERSON_FILE_MAX_BYTES,
) -> Any:
    """Read a JSON file a person wrote, with errors that name the file, the line and the fix.

    The size is checked before reading and the nesting (at most
    :data:`~backcoach.bounded.MAX_DEPTH` levels) before parsing, so no file can exhaust
    memory or the parser's stack; every failure is an :class:`InputFileError`.
    """
    try:
        data = load_json(path, max_bytes, kind)
    except BoundedInputError as exc:
        raise InputFileError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); fix the syntax, e.g. {example}"
        ) from None
    if not isinstance(data, expect):
        raise InputFileError(
            f"{path}:1: must be a JSON {expect.__name__ if expect is not dict else 'object'} "
            f"(got {type(data).__name__}); write {example}"
        )
    return data
