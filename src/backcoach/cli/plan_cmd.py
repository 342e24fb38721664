"""`backcoach plan`: today's plan, with a reason for every choice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from backcoach.cli.common import console, err_console, fail, person_context, print_json


def plan(
    minutes: Annotated[int | None, typer.Option(help="Minutes for this session (5-45).")] = None,
    date: Annotated[
        str | None, typer.Option(help="Plan for this date (YYYY-MM-DD); default today.")
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Plan from a profile in a JSON file, without touching your saved profile or "
            "screen (see docs/profile-file.md).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Show today's plan: each exercise with its dose and the reason for it."""
    from backcoach.errors import BackcoachError, PlanRefused
    from backcoach.services.plans import plan_for_profile, todays_plan

    person = person_context()
    catalogue = person.catalogue
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise fail(f"--date: '{date}' is not a date; write it as YYYY-MM-DD") from None
    try:
        if profile is not None:
            data = _read_profile(profile)
            result = plan_for_profile(catalogue, person.today(), data, day, minutes)
        else:
            result = todays_plan(person.store, catalogue, person.today(), day, minutes)
    except PlanRefused as exc:
        if as_json:
            print_json({"refused": True, "code": exc.code, "reason": str(exc)})
        else:
            err_console.print(f"[bold yellow]No plan yet.[/] {exc}")
        raise typer.Exit(3) from None
    except BackcoachError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print_json(plan_json(result))
        return
    render_plan(result, catalogue)


def _read_profile(path: Path) -> dict[str, Any]:
    from backcoach.errors import InputFileError, read_json_file

    try:
        data: dict[str, Any] = read_json_file(path, example='{"minutes": 15, "goals": ["relief"]}')
    except InputFileError as exc:
        raise fail(str(exc)) from None
    return data


def plan_json(result: Any) -> dict[str, Any]:
    """The plan as JSON: every field of the model, ``left_out`` holding both the exercises
    left out to fit the time and those not for the person now, each with its reasons."""
    data: dict[str, Any] = result.model_dump(mode="json")
    return data


def render_plan(result: Any, catalogue: Any) -> None:
    from rich.table import Table

    from backcoach.catalogue.text import seconds_text

    table = Table(
        title=f"Your plan for {result.date:%A %d %B} — about {seconds_text(result.total_seconds)}",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("phase")
    table.add_column("exercise")
    table.add_column("dose")
    table.add_column("why", ratio=3)
    for n, item in enumerate(result.items, 1):
        ex = catalogue.get(item.exercise_id)
        dose = item.dose_words(ex)
        table.add_row(str(n), item.phase, f"{ex.name}\n[dim]{ex.id}[/]", dose, item.reason)
    console.print(table)
    # Only those left out to fit the time: the ones not for the person now are counted in a
    # note (each, with its reasons, in `exercises list --for-me` and in the JSON).
    for left in result.left_out:
        if left.kind == "time":
            console.print(f"[yellow]Left out:[/] {left.reason}")
    for note in result.notes:
        console.print(f"[dim]{note}[/]")
    console.print("\nStart it with [bold]backcoach start[/].")
