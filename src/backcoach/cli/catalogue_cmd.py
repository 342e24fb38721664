"""`backcoach catalogue`: validate exercise files and print their schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from backcoach.cli.common import EXIT_INVALID, app_context, console, err_console, fail

app = typer.Typer(help="Check exercise files and print their schema.", no_args_is_help=True)


@app.command("check")
def check(
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIR]",
            help="A folder of exercise YAML files (default: your own, $BACKCOACH_HOME/exercises).",
        ),
    ] = None,
) -> None:
    """Validate the built-in catalogue together with your files (or DIR)."""
    if folder is not None and not folder.is_dir():
        raise fail(f"'{folder}' is not a folder; give a folder that holds .yaml exercise files")
    catalogue, problems = app_context().check_catalogue(folder)
    for problem in problems:
        # One plain line per problem: easy to read, grep and click in an editor.
        err_console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    if problems:
        err_console.print(f"{len(problems)} problem(s) found.", style="bold red")
        raise typer.Exit(EXIT_INVALID)
    own = len(catalogue) - len(catalogue.builtin_ids)
    console.print(
        f"OK: {len(catalogue.builtin_ids)} built-in and {own} of your own exercises are valid."
    )


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of an exercise file, for writing your own."""
    from backcoach.catalogue.schema import exercise_schema

    print(json.dumps(exercise_schema(), indent=2))
