"""`backcoach exercises`: browse the catalogue."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from backcoach.cli.common import (
    app_context,
    console,
    person_context,
    print_json,
    user_errors,
    warn_problems,
)

app = typer.Typer(help="Browse the exercise catalogue.", no_args_is_help=True)


@app.command("list")
def list_exercises(
    category: Annotated[str | None, typer.Option(help="Only this category, e.g. stretch.")] = None,
    position: Annotated[str | None, typer.Option(help="Only this position, e.g. supine.")] = None,
    for_me: Annotated[
        bool,
        typer.Option(
            "--for-me",
            help="Show whether each exercise suits your profile: allowed, modified or excluded.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """List exercises as a table (or JSON)."""
    from typing import get_args

    from backcoach.catalogue.vocabulary import Category, Position
    from backcoach.cli.common import fail

    for value, allowed, name in (
        (category, Category, "category"),
        (position, Position, "position"),
    ):
        if value is not None and value not in get_args(allowed):
            raise fail(f"unknown {name} '{value}'; use one of {', '.join(get_args(allowed))}")
    if not for_me:
        from backcoach.catalogue.files import cache_file
        from backcoach.catalogue.listing import cached_listing

        # Nothing changed since the last clean load: list from the cache, without the models.
        settings = app_context().settings
        listed = cached_listing(settings.exercises_dir, cache_file(settings.home))
        if listed is not None:
            rows = [
                (row.data, row.builtin)
                for row in listed
                if (category is None or row.category == category)
                and (position is None or row.position == position)
            ]
            _print_listing(rows, as_json)
            return
    person = person_context()
    catalogue = person.catalogue
    chosen = [
        ex
        for ex in catalogue
        if (category is None or ex.category == category)
        and (position is None or ex.position == position)
    ]
    if not for_me:
        if not as_json:
            warn_problems(person.app)
        listing = [(ex.model_dump(mode="json"), catalogue.is_builtin(ex.id)) for ex in chosen]
        _print_listing(listing, as_json)
        return
    from backcoach.services.plans import verdicts as assess
    from backcoach.services.profiles import load_profile

    verdicts = assess(catalogue, load_profile(person.store), person.today())
    if as_json:
        rows_out = []
        for ex in chosen:
            row = ex.model_dump(mode="json")
            v = verdicts[ex.id]
            row["for_me"] = {
                "status": v.status,
                "reasons": list(v.reasons),
                "modifications": list(v.modifications),
                "rules": list(v.rules),
            }
            rows_out.append(row)
        print_json(rows_out)
        return
    warn_problems(person.app)
    from rich.table import Table

    table = Table(title=f"{len(chosen)} exercises", title_justify="left")
    for column in ["id", "name", "position", "for you", "why"]:
        table.add_column(column, overflow="fold")
    style = {"allowed": "green", "modified": "yellow", "excluded": "red"}
    for ex in chosen:
        mark = "" if catalogue.is_builtin(ex.id) else " (yours)"
        v = verdicts[ex.id]
        why = " ".join([*v.reasons, *v.modifications]) or "-"
        status = f"[{style[v.status]}]{v.status}[/]"
        table.add_row(ex.id + mark, ex.name, ex.position, status, why)
    console.print(table)


def _print_listing(rows: list[tuple[dict[str, Any], bool]], as_json: bool) -> None:
    """Exercises as JSON data with whether each is built in: a JSON array or a table."""
    if as_json:
        print_json([data for data, _ in rows])
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} exercises", title_justify="left")
    for column in ["id", "name", "category", "position", "direction", "level"]:
        table.add_column(column, overflow="fold")
    for data, builtin in rows:
        table.add_row(
            data["id"] + ("" if builtin else " (yours)"),
            data["name"],
            data["category"],
            data["position"],
            data["direction"],
            str(data["difficulty"]),
        )
    console.print(table)


@app.command("show")
def show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="An exercise id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one exercise as a card: steps, dose, cautions, modifications."""
    catalogue = person_context().catalogue
    with user_errors():
        ex = catalogue.get(exercise_id)
    if as_json:
        print_json(ex.model_dump(mode="json"))
        return
    console.print(exercise_card(ex, builtin=catalogue.is_builtin(ex.id)))


def exercise_card(ex: Any, builtin: bool = True) -> Any:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from backcoach.catalogue.text import dose_text

    body: list[Any] = []
    facts = (
        f"{ex.category} · {ex.position} · {ex.direction} · level {ex.difficulty}"
        f" · equipment: {', '.join(ex.equipment) or 'none'}"
    )
    body.append(Text(ex.summary, style="bold"))
    body.append(Text(facts, style="dim"))
    body.append(Text(ex.purpose))
    body.append(Text("\nSteps", style="bold underline"))
    for n, step in enumerate(ex.steps, 1):
        line = Text(f"{n}. {step.text}")
        if step.cue:
            line.append(f"  “{step.cue}”", style="italic cyan")
        body.append(line)
    body.append(Text("\nDose: ", style="bold").append(dose_text(ex.dose), style="default"))
    if ex.dose.tempo:
        body.append(Text(f"Tempo: {ex.dose.tempo}"))
    body.append(Text("Breathing: ", style="bold").append(ex.breathing, style="default"))
    body.append(Text("\nYou should feel", style="bold"))
    body.extend(Text(f"  + {s}", style="green") for s in ex.feel.should)
    body.append(Text("Stop or ease off if you feel", style="bold"))
    body.extend(Text(f"  ! {s}", style="red") for s in ex.feel.should_not)
    body.append(Text("\nCommon mistakes", style="bold"))
    body.extend(Text(f"  - {m}") for m in ex.common_mistakes)
    if ex.cautions:
        body.append(Text("\nCautions: ", style="bold").append(", ".join(ex.cautions)))
    if ex.modifications:
        body.append(Text("Modifications", style="bold"))
        body.extend(Text(f"  {cond}: {change}") for cond, change in ex.modifications.items())
    links = []
    if ex.regression:
        links.append(f"easier: {ex.regression}")
    if ex.progression:
        links.append(f"harder: {ex.progression}")
    if links:
        body.append(Text("\n" + " · ".join(links), style="dim"))
    body.append(Text("Sources: " + "; ".join(ex.sources), style="dim"))
    title = f"{ex.name} [dim]({ex.id}{'' if builtin else ', your own'})[/]"
    return Panel(Group(*body), title=title, title_align="left", expand=False, width=100)


@app.command("bring-back")
def bring_back_command(
    exercise_id: Annotated[
        str, typer.Argument(metavar="ID", help="The id of an exercise left out of your plan.")
    ],
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", help="Bring it back without asking (you have read the warning before)."
        ),
    ] = False,
) -> None:
    """Bring back an exercise a stop rule left out of your plan (after talking to a clinician).

    It starts again at its lightest dose."""
    import sys

    from backcoach.cli.common import fail
    from backcoach.services.bring_back import bring_back, find_left_out

    person = person_context()
    with user_errors():
        found = find_left_out(person.store, person.catalogue, person.today(), exercise_id)
    name = found.exercise.name
    console.print(f"[bold yellow]Before you bring it back[/]\n{found.warning}")
    if not yes:
        if not sys.stdin.isatty():
            raise fail(
                "bring-back asks you to confirm, and there is no terminal to ask in; read the "
                "warning above and run it again with --yes"
            )
        if not typer.confirm(f"Bring {name} back into your plan?", default=False):
            console.print(f"{name} stays left out of your plan.")
            return
    with user_errors():
        decision = bring_back(person.store, person.catalogue, person.today(), found.exercise.id)
    console.print(decision.reason)
