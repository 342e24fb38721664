"""`backcoach checkin` (pain and activity ratings) and `backcoach activities add/retire/list`.

Also the few questions `backcoach start` asks with a session: worst pain in the last 24 hours
at most once a day, activity ratings weekly (pain now is the session's own first check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from backcoach.cli.common import console, fail, person_context, print_json, user_errors

if TYPE_CHECKING:
    from backcoach.app import PersonContext
    from backcoach.records.store import Store

activities_app = typer.Typer(
    help="The activities your back makes hard, rated weekly (0 = cannot, 10 = as before).",
    no_args_is_help=True,
)

WORST_QUESTION = "Worst pain in the last 24 hours (0 = none, 10 = worst imaginable)"
NOW_QUESTION = "Pain right now (0-10)"


def register(app: typer.Typer) -> None:
    app.command("checkin")(checkin)
    app.add_typer(activities_app, name="activities")


def _ask_score(question: str) -> int:
    from rich.prompt import IntPrompt

    while True:
        value = IntPrompt.ask(question, console=console)
        if 0 <= value <= 10:
            return value
        console.print("[yellow]Please give a whole number from 0 to 10.[/]")


def _parse_ratings(pairs: list[str]) -> dict[str | int, Any]:
    ratings: dict[str | int, Any] = {}
    for pair in pairs:
        key, sep, score = pair.rpartition("=")
        if not sep or not key.strip():
            raise fail(
                f'--rate: {pair!r} is not NAME=SCORE; write e.g. --rate "putting on socks=6"'
            )
        try:
            ratings[key.strip()] = int(score)
        except ValueError:
            raise fail(
                f"--rate: the score in {pair!r} is not a whole number; write e.g. {key.strip()}=6"
            ) from None
    return ratings


def ask_activities(store: Store, ids: list[int]) -> dict[str | int, Any]:
    from backcoach.services.outcomes import activities

    chosen = [a for a in activities(store) if a.id in ids]
    if chosen:
        console.print("How well can you do these now? 0 = cannot, 10 = as before your back pain.")
    return {a.id: _ask_score(f"  {a.name}") for a in chosen}


def checkin(
    pain_now: Annotated[
        int | None, typer.Option("--pain-now", help="Pain right now, 0-10.", show_default=False)
    ] = None,
    worst: Annotated[
        int | None,
        typer.Option("--worst", help="Worst pain in the last 24 hours, 0-10.", show_default=False),
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option(
            "--rate", metavar="NAME=SCORE", help="Rate an activity (its number or name), 0-10."
        ),
    ] = None,
) -> None:
    """Record how you are: pain now, worst pain in 24 h, and your activities when due.

    With no options it asks; with options it records them without asking.
    """
    from backcoach.services import outcomes
    from backcoach.services.checkin import save_checkin

    person = person_context()
    store, today = person.store, person.today()
    ratings = _parse_ratings(rate or [])
    given = pain_now is not None or worst is not None or ratings
    due = outcomes.due_today(store, today)
    if not given:
        pain_now = _ask_score(NOW_QUESTION)
        if due["worst_pain"]:
            worst = _ask_score(WORST_QUESTION)
        if due["activities"]:
            ratings = ask_activities(store, due["activity_ids"])
    with user_errors():
        # Everything is checked before anything is saved: a bad rating loses nothing.
        save_checkin(store, today, pain_now, worst, ratings)
    console.print("Thank you, saved. See how things are going with [bold]backcoach progress[/].")
    if due["activities_missing"] and not outcomes.activities(store):
        console.print(
            "Name 3 to 5 activities your back makes hard, to follow them week by week: "
            '[bold cyan]backcoach activities add "putting on socks"[/]'
        )


def session_checkin(person: PersonContext, auto_answers: Any) -> None:
    """With a session: worst pain (at most once a day) and activity ratings (weekly).

    Asked before the session starts (pain now is the session's own first question). An
    automatic session records only what its answers file gives (``worst_pain_24h``,
    ``activities``): nothing is made up for it. In the terminal the questions are asked only
    when standard input is a terminal.
    """
    from backcoach.services import outcomes
    from backcoach.services.checkin import save_checkin

    store, today = person.store, person.today()
    due = outcomes.due_today(store, today)
    if auto_answers is not None:
        worst = auto_answers.worst_pain_24h if due["worst_pain"] else None
        ratings: dict[str | int, Any] = dict(auto_answers.activities) if due["activities"] else {}
    else:
        worst = _ask_score(WORST_QUESTION) if due["worst_pain"] else None
        ratings = ask_activities(store, due["activity_ids"]) if due["activities"] else {}
    if worst is None and not ratings:
        return
    with user_errors():
        save_checkin(store, today, worst_24h=worst, ratings=ratings)


@activities_app.command("add")
def activities_add(
    name: Annotated[str, typer.Argument(help='What is hard, e.g. "putting on socks".')],
    score: Annotated[
        int | None, typer.Option(help="Rate it now, 0-10.", show_default=False)
    ] = None,
) -> None:
    """Add an activity your back makes hard (3-5 in all)."""
    from backcoach.services import outcomes

    person = person_context()
    with user_errors():
        if score is not None:
            outcomes.check_score(score, "--score")
        row = outcomes.add_activity(person.store, person.today(), name)
        if score is not None:
            outcomes.rate_activities(person.store, person.today(), {row.id: score})
    console.print(f"Added {row.id}: {row.name}.")
    if score is None:
        console.print("Rate it with [bold cyan]backcoach checkin[/].")


@activities_app.command("retire")
def activities_retire(
    activity: Annotated[str, typer.Argument(help="Its number or name.")],
) -> None:
    """Stop asking about an activity (its history is kept)."""
    from backcoach.services import outcomes

    person = person_context()
    with user_errors():
        row = outcomes.retire_activity(person.store, person.today(), activity)
    console.print(f"Retired {row.name}; its ratings stay in your history.")


@activities_app.command("list")
def activities_list(
    show_all: Annotated[bool, typer.Option("--all", help="Include retired ones.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Your activities and their latest ratings."""
    from backcoach.services.progress import progress_summary

    person = person_context()
    summary = progress_summary(person.store, person.catalogue, person.today())["activities"]
    rows = summary["current"] + (summary["retired"] if show_all else [])
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(
            'No activities yet. Add one: [bold cyan]backcoach activities add "putting on socks"[/]'
        )
        return
    from rich.table import Table

    table = Table(title="Your activities (0 = cannot, 10 = as before)", title_justify="left")
    for column in ("#", "activity", "since", "first", "latest", ""):
        table.add_column(column)
    for a in rows:
        ratings = a["ratings"]
        table.add_row(
            str(a["id"]),
            a["name"],
            a["added_on"],
            str(ratings[0]["score"]) if ratings else "—",
            str(ratings[-1]["score"]) if ratings else "—",
            f"retired {a['retired_on']}" if a["retired_on"] else "",
        )
    console.print(table)
