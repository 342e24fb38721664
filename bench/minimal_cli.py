"""The floor of a Typer + Rich command: the same table `backcoach exercises list` prints (30
rows of six columns), from a bare Typer app with the same options and nothing else.

bench/startup.py times it next to backcoach, in the same run, so its ratio says what backcoach
itself adds to the libraries every Typer + Rich command pays for.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


@app.command("list")
def list_rows(
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    table = Table(title="30 exercises", title_justify="left")
    for column in ["id", "name", "category", "position", "direction", "level"]:
        table.add_column(column, overflow="fold")
    for n in range(30):
        table.add_row(f"exercise-{n}", f"Exercise {n}", "mobility", "supine", "neutral", "1")
    Console(highlight=False).print(table)


@app.command("other")
def other() -> None:
    """A second command, so that Typer builds a group as backcoach's does."""


if __name__ == "__main__":
    app()
