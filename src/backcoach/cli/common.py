"""Helpers shared by the CLI commands: settings, console, and turning errors into exits."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

EXIT_INVALID = 2
"""Exit code for invalid input (files, answers, arguments), as in the issue's contract."""


def get_coach() -> Any:
    from backcoach.coach import Coach
    from backcoach.config import Settings

    return Coach(Settings.from_environ())


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
    from backcoach.coach import CoachError

    try:
        yield
    except (CoachError, UnknownExercise) as exc:
        raise fail(str(exc)) from None


def warn_problems(coach: Any) -> None:
    """Say which of the user's own files were left out, without stopping the command."""
    problems = coach.catalogue_problems
    if problems:
        err_console.print(
            f"[yellow]{len(problems)} problem(s) in your own exercise files; those files were "
            "left out. Run `backcoach catalogue check` for details.[/]"
        )
