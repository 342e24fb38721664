"""`backcoach screen` and `backcoach clearance`: warning signs before exercise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from backcoach.cli.common import console, fail, person_context, print_json, user_errors

TIER_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "clear": "bold green",
}
TIER_TITLE = {
    "emergency": "Emergency: get help now",
    "urgent": "Urgent: see a doctor today",
    "soon": "See a clinician in the next few days",
    "clear": "No warning signs reported",
}
ANSWER_KEYS = {"y": "yes", "yes": "yes", "n": "no", "no": "no", "u": "unsure", "?": "unsure"}


def screen(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help='JSON file: {"<sign id>": true | false | "unsure", ...}.',
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only print the result; do not save it.")
    ] = False,
) -> None:
    """Answer the warning-sign questions (yes / no / not sure) before exercising."""
    from backcoach.services.screening import judge_screen, take_screen

    person = person_context()
    given = _read_answers(answers) if answers is not None else _ask_interactively()
    with user_errors():
        if dry_run:
            result = judge_screen(given)
        else:
            result = take_screen(person.store, person.today(), given)
    if as_json:
        print_json(result.to_json())
    else:
        render_result(result, saved=not dry_run)
    if result.tier in ("emergency", "urgent"):
        raise typer.Exit(0)


def _read_answers(path: Path) -> dict[str, Any]:
    from backcoach.errors import InputFileError, read_json_file

    try:
        data: dict[str, Any] = read_json_file(
            path, example='{"night_pain": false, "fever_unwell": "unsure"}'
        )
    except InputFileError as exc:
        raise fail(str(exc)) from None
    return data


def _ask_interactively() -> dict[str, str]:
    from rich.prompt import Prompt

    from backcoach.safety.signs import SIGNS

    console.print(
        "[bold]Before you exercise: a few questions about warning signs.[/]\n"
        "Answer [bold]y[/] (yes), [bold]n[/] (no) or [bold]u[/] (not sure). 'Not sure' is "
        "treated as yes, to be safe. Type [bold]w[/] to hear why a question is asked.\n"
    )
    given: dict[str, str] = {}
    for n, sign in enumerate(SIGNS, 1):
        while True:
            reply = Prompt.ask(f"[bold]{n}/{len(SIGNS)}[/] {sign.question}", console=console)
            key = reply.strip().lower()
            if key in ("w", "why"):
                console.print(f"[dim]{sign.why}[/]")
                continue
            if key in ANSWER_KEYS:
                given[sign.id] = ANSWER_KEYS[key]
                break
            console.print("Please type y, n or u (or w for why).")
    return given


def render_result(result: Any, saved: bool) -> None:
    """The advice already names what led to the tier and what was not answered."""
    from rich.panel import Panel

    text = result.advice + ("\n\n(Dry run: this result was not saved.)" if not saved else "")
    console.print(
        Panel(
            text,
            title=TIER_TITLE[result.tier],
            title_align="left",
            border_style=TIER_STYLE[result.tier],
            width=90,
        )
    )


def clearance(
    on: Annotated[
        str | None, typer.Option("--on", help="Date the clinician cleared you (YYYY-MM-DD).")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who cleared you (optional).")] = None,
) -> None:
    """Record that a clinician saw you and cleared you to exercise after your screen."""
    from backcoach.services.screening import record_clearance

    person = person_context()
    try:
        day = dt.date.fromisoformat(on) if on else person.today()
    except ValueError:
        raise fail(f"--on: '{on}' is not a date; write it as YYYY-MM-DD") from None
    with user_errors():
        row = record_clearance(person.store, person.today(), day, by)
    who = f" by {row.cleared_by}" if row.cleared_by else ""
    console.print(
        f"[green]Recorded:[/] cleared{who} on {row.cleared_on} after your screen of "
        f"{row.taken_on}. Your plan is ready: [bold]backcoach plan[/]."
    )
