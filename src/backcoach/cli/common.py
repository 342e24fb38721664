"""Helpers shared by the CLI commands: settings, console, and turning errors into exits."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from backcoach.app import AppContext, PersonContext
    from backcoach.config import Settings

# No emoji codes: what is printed quotes files and people's words, and Rich would turn
# "exercise.yaml:100:" into "exercise.yaml💯" (found when a problem's line reached 100).
console = Console(highlight=False, emoji=False)
err_console = Console(stderr=True, highlight=False, emoji=False)

EXIT_INVALID = 2
"""Exit code for invalid input (files, answers, arguments), as in the issue's contract."""


_APPS: dict[Settings, AppContext] = {}
"""The application context of each settings seen: one per process in normal use (a process
runs one command); keyed so in-process test runs with another BACKCOACH_HOME get their own."""


def app_context() -> AppContext:
    """The process's application context (settings from the environment), made once."""
    from backcoach.app import AppContext
    from backcoach.config import Settings

    settings = Settings.from_environ()
    made = _APPS.get(settings)
    if made is None:
        made = _APPS[settings] = AppContext(settings)
    return made


def person_context() -> PersonContext:
    """The person this command works for (personal mode: the one implicit person)."""
    return app_context().person()


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no Rich markup), for scripts."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def fail(message: str, code: int = EXIT_INVALID) -> typer.Exit:
    err_console.print(f"[bold red]Error:[/] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the service layer's own errors into a clear message and exit code 2."""
    from backcoach.catalogue import UnknownExercise
    from backcoach.errors import BackcoachError

    try:
        yield
    except (BackcoachError, UnknownExercise) as exc:
        raise fail(str(exc)) from None


def warn_problems(app: AppContext) -> None:
    """Say which of the user's own files were left out, without stopping the command."""
    problems = app.catalogue_problems
    if problems:
        err_console.print(
            f"[yellow]{len(problems)} problem(s) in your own exercise files; those files were "
            "left out. Run `backcoach catalogue check` for details.[/]"
        )
