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
from backcoach.wording import label

app = typer.Typer(help="Browse the exercise catalogue.", no_args_is_help=True)


@app.command("list")
def list_exercises(
    category: Annotated[str | None, typer.Option(help="Only this category, e.g. stretch.")] = None,
    position: Annotated[str | None, typer.Option(help="Only this position, e.g. supine.")] = None,
    for_me: Annotated[
        bool,
        typer.Option(
            "--for-me",
            help="Show whether each exercise suits you now, and why: your conditions, "
            "equipment, experience and any exercise left out of your plan.",
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
    from backcoach.services.suits import suits_you

    verdicts = suits_you(person.store, catalogue, person.today())
    if as_json:
        rows_out = []
        for ex in chosen:
            row = ex.model_dump(mode="json")
            row["for_me"] = for_me_json(verdicts[ex.id])
            rows_out.append(row)
        print_json(rows_out)
        return
    warn_problems(person.app)
    _print_for_me(chosen, verdicts, catalogue)


def for_me_json(verdict: Any) -> dict[str, Any]:
    """A verdict as JSON: the same fields the API's ``for_me`` has."""
    return {
        "status": verdict.status,
        "label": label(verdict.status, "verdict"),
        "reasons": list(verdict.reasons),
        "modifications": list(verdict.modifications),
        "rules": list(verdict.rules),
        "checks": list(verdict.checks),
    }


STATUS_STYLE = {"allowed": "green", "modified": "yellow", "excluded": "red"}


def verdict_lines(verdict: Any) -> list[Any]:
    """A verdict as renderables: the verdict in words, then each reason and each change on
    its own line (wrapped lines stay under their bullet), so sentences never run together."""
    from rich.table import Table
    from rich.text import Text

    lines: list[Any] = [
        Text(label(verdict.status, "verdict"), style=f"bold {STATUS_STYLE[verdict.status]}")
    ]
    points = [*verdict.reasons, *(f"Do it this way: {c}" for c in verdict.modifications)]
    if points:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for point in points:
            grid.add_row("-", point)
        lines.append(grid)
    return lines


def _id_column(table: Any, ids: list[str], header: str = "id") -> None:
    """An id column as wide as the longest id and never wrapped: an id is one word to type, and
    a table that folds it (``knee-to-ch|est``) makes it look like two."""
    width = max([len(header), *(len(i) for i in ids)])
    table.add_column(header, no_wrap=True, min_width=width, overflow="ignore")


def _print_for_me(chosen: list[Any], verdicts: dict[str, Any], catalogue: Any) -> None:
    """Each exercise with its verdict and reasons, one per line; two columns, so it reads at
    60 columns as well as at 200."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    counts = {status: 0 for status in STATUS_STYLE}
    for ex in chosen:
        counts[verdicts[ex.id].status] += 1
    title = (
        f"{len(chosen)} exercises: {counts['allowed']} suit you, {counts['modified']} suit you "
        f"with a change, {counts['excluded']} not for you now"
    )
    table = Table(title=title, title_justify="left", show_lines=True)
    _id_column(table, [ex.id for ex in chosen])
    table.add_column("for you", ratio=1)
    for ex in chosen:
        name = ex.name + ("" if catalogue.is_builtin(ex.id) else " (your own)")
        cell = Group(Text(name, style="bold"), *verdict_lines(verdicts[ex.id]))
        table.add_row(ex.id, cell)
    console.print(table)


def _print_listing(rows: list[tuple[dict[str, Any], bool]], as_json: bool) -> None:
    """Exercises as JSON data with whether each is built in: a JSON array or a table. The
    columns that fit the terminal's width, the id always whole."""
    if as_json:
        print_json([data for data, _ in rows])
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} exercises", title_justify="left")
    _id_column(table, [data["id"] for data, _ in rows])
    wide, middle = console.width >= 110, console.width >= 80
    table.add_column("name")
    if middle:
        table.add_column("kind")
    if wide:
        table.add_column("position")
        table.add_column("direction")
    table.add_column("level", justify="right", no_wrap=True)
    for data, builtin in rows:
        cells = [data["id"], data["name"] + ("" if builtin else " (your own)")]
        if middle:
            cells.append(data["category"].replace("-", " "))
        if wide:
            cells.append(label(data["position"], "position").lower())
            cells.append(data["direction"])
        cells.append(str(data["difficulty"]))
        table.add_row(*cells)
    console.print(table)


@app.command("show")
def show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="An exercise id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one exercise as a card: whether it suits you, steps, dose, cautions, changes."""
    person = person_context()
    catalogue = person.catalogue
    with user_errors():
        ex = catalogue.get(exercise_id)
    if person.settings.may_hold_records:
        from backcoach.services.suits import suits_you

        verdict = suits_you(person.store, catalogue, person.today())[ex.id]
    else:  # nothing saved yet: a fresh profile's verdict, without creating the database
        from backcoach.planning.profile import Profile
        from backcoach.services.suits import suits_for_profile

        verdict = suits_for_profile(catalogue, Profile(), None, person.today())[ex.id]
    if as_json:
        print_json({**ex.model_dump(mode="json"), "for_me": for_me_json(verdict)})
        return
    console.print(exercise_card(ex, builtin=catalogue.is_builtin(ex.id), verdict=verdict))


def exercise_card(ex: Any, builtin: bool = True, verdict: Any | None = None) -> Any:
    """One exercise as a panel, in words (no raw ids but the exercise's own, to type)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from backcoach.catalogue.text import dose_text
    from backcoach.wording import in_sentence, labels

    body: list[Any] = []
    equipment = ", ".join(in_sentence(e) for e in labels(ex.equipment, "equipment")) or "none"
    facts = (
        f"{ex.category.replace('-', ' ')} · {label(ex.position, 'position').lower()} · "
        f"{ex.direction} · level {ex.difficulty} of 3 · equipment: {equipment}"
    )
    body.append(Text(ex.summary, style="bold"))
    body.append(Text(facts, style="dim"))
    if verdict is not None:
        body.append(Text("\nFor you", style="bold underline"))
        body.extend(verdict_lines(verdict))
    body.append(Text("\n" + ex.purpose))
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
        body.append(Text("\nTake care: this exercise involves", style="bold"))
        body.extend(Text(f"  - {c}") for c in labels(ex.cautions, "caution"))
    if ex.modifications:
        body.append(Text("Changes for some conditions", style="bold"))
        body.extend(
            Text(f"  {label(cond, 'condition')}: {change.text}")
            for cond, change in ex.modifications.items()
        )
    links = []
    if ex.regression:
        links.append(f"easier: {ex.regression}")
    if ex.progression:
        links.append(f"harder: {ex.progression}")
    if links:
        body.append(Text("\n" + " · ".join(links), style="dim"))
    body.append(Text("Sources: " + "; ".join(ex.sources), style="dim"))
    title = f"{ex.name} [dim]({ex.id}{'' if builtin else ', your own'})[/]"
    width = min(100, console.width)
    return Panel(Group(*body), title=title, title_align="left", expand=False, width=width)


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
