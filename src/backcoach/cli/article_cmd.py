"""`backcoach article FILE`: a saved web page, Markdown or text about back exercises, read
against the catalogue: the exercises recognised with their doses, what was removed as noise,
the advice checked, and (``--plan``) the plan those exercises would make for you."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcoach.cli.common import app_context, console, err_console, fail, print_json

if TYPE_CHECKING:
    from backcoach.articles import Analysis
    from backcoach.catalogue import Catalogue


def register(app: typer.Typer) -> None:
    app.command("article")(article)


def article(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="A saved web page (.html), a Markdown or a text file; - reads standard input.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    plan: Annotated[
        bool,
        typer.Option(
            "--plan",
            help="Use these exercises: show the plan they would make for you today, honouring "
            "your warning-sign screen and your restrictions.",
        ),
    ] = False,
    draft_unmatched: Annotated[
        bool,
        typer.Option(
            "--draft-unmatched",
            help="Write a draft exercise file for each exercise backcoach does not know into "
            "your own exercises folder, to check and complete.",
        ),
    ] = False,
) -> None:
    """Read an article about back exercises and check it against backcoach."""
    from backcoach.articles import ArticleError, analyse
    from backcoach.articles.reading import MAX_BYTES, check_input

    data = _read(file, MAX_BYTES)
    context = app_context()
    catalogue = context.catalogue
    try:
        check_input(data)
        result = analyse(data, catalogue)
    except ArticleError as exc:
        raise fail(f"{file}: {exc}") from None
    if as_json:
        print_json(result.as_json())
    else:
        render(result, catalogue, lesson_titles(context.settings.home))
    if draft_unmatched:
        _drafts(result, catalogue, context.settings.exercises_dir, quiet=as_json)
    if plan:
        _plan(result, catalogue, quiet=as_json)


def _read(file: str, limit: int) -> bytes:
    """The bytes of FILE (or standard input), never more than one byte over ``limit`` (so a
    huge file is refused without reading it all)."""
    from backcoach.articles.reading import _URL

    if _URL.match(file):
        raise fail(
            f"{file} is a web address, and backcoach never goes online to fetch pages; open "
            "the page in your browser, save it (File > Save page as) and give the saved file"
        )
    if file == "-":
        return sys.stdin.buffer.read(limit + 1)
    path = Path(file)
    if not path.is_file():
        raise fail(f"{file}: no such file; give the path of a saved page or a text file")
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise fail(f"{file}: cannot be read ({exc.strerror}); check its permissions") from None


def lesson_titles(home: Path) -> dict[str, str]:
    """Lesson id -> title, for the lessons a conflict or advice links to (the built-in ones
    and the person's own; a lesson file with a problem is left out, as ``learn`` does)."""
    from backcoach.lessons.today import library

    return {lesson.id: lesson.title for lesson in library(home)}


def _lesson_line(lesson_id: str | None, titles: dict[str, str]) -> str:
    """Where to read more: the lesson's title and the command that shows it."""
    if lesson_id is None:
        return ""
    from rich.markup import escape

    title = titles.get(lesson_id, lesson_id)
    return f"\n  [cyan]Read more:[/] {escape(title)} (backcoach learn show {lesson_id})"


def render(result: Analysis, catalogue: Catalogue, lessons: dict[str, str] | None = None) -> None:
    """The result in plain words; ``lessons`` (id -> title) names the lessons linked to a
    conflict or a piece of advice."""
    from rich.markup import escape
    from rich.table import Table

    console.print(f"[bold]{escape(result.title or 'Untitled article')}[/]")
    if not result.english:
        console.print(
            "This article does not seem to be in English. backcoach reads articles in English "
            "only, so nothing in it was checked."
        )
        return
    if not result.kept:
        console.print("No article text was found in this file.")
    if result.exercises:
        table = Table(title="Exercises backcoach knows", title_justify="left", show_lines=True)
        table.add_column("exercise")
        table.add_column("how sure")
        table.add_column("the article's dose, compared", ratio=3)
        for m in result.exercises:
            sure = "sure" if m.confidence >= 0.9 else "likely" if m.confidence >= 0.7 else "maybe"
            dose = escape(m.dose.text or "no dose given")
            table.add_row(escape(m.name), sure, f"{dose}\n[dim]{escape(m.dose.note)}[/]")
        console.print(table)
    else:
        console.print("No exercise that backcoach knows was found in this article.")
    for u in result.unmatched:
        console.print(
            f"[yellow]Not in backcoach:[/] {escape(u.name)} — [dim]{escape(u.evidence[0][:120])}[/]"
        )
    titles = lessons or {}
    for c in result.conflicts:
        read = _lesson_line(c.lesson, titles)
        console.print(f"[bold red]Take care:[/] “{escape(c.text)}” — {escape(c.why)}{read}")
    for a in result.advice:
        read = _lesson_line(a.lesson, titles)
        if a.text is None:
            console.print(f"[yellow]Missing:[/] {escape(a.note)}{read}")
        else:
            console.print(f"[green]Advice checked:[/] “{escape(a.text)}” — {escape(a.note)}{read}")
    if result.removed:
        console.print(f"\n[bold]Left out[/] ({len(result.removed)} pieces of text):")
        for text, reason in result.removed[:40]:
            console.print(f"  [dim]{escape(reason)}:[/] {escape(text[:100])}")
        if len(result.removed) > 40:
            console.print(f"  … and {len(result.removed) - 40} more (see --json).")


def _drafts(result: Analysis, catalogue: Catalogue, folder: Path, quiet: bool) -> None:
    from backcoach.articles.draft import draft_exercise, draft_yaml
    from backcoach.services.library import check_catalogue

    out = err_console if quiet else console
    if not result.unmatched:
        out.print("There is no unknown exercise to draft.")
        return
    folder.mkdir(parents=True, exist_ok=True)
    taken = {e.id for e in catalogue} | {p.stem for p in folder.glob("*.yaml")}
    written: list[Path] = []
    for item in result.unmatched:
        data = draft_exercise(item, result.title, taken)
        taken.add(data["id"])
        path = folder / f"{data['id']}.yaml"
        path.write_text(draft_yaml(data), encoding="utf-8")
        written.append(path)
    _, problems = check_catalogue(folder)
    for path in written:
        mine = [p for p in problems if p.path == path]
        if mine:
            out.print(f"[yellow]Draft written with problems to fix:[/] {path}")
            for p in mine:
                out.print(f"  {escape_text(str(p))}")
        else:
            out.print(f"Draft written: {path} (check it before use)")


def escape_text(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _plan(result: Analysis, catalogue: Catalogue, quiet: bool) -> None:
    from backcoach.articles.routine import routine_from
    from backcoach.cli.common import person_context
    from backcoach.cli.plan_cmd import render_plan
    from backcoach.services.profiles import load_profile
    from backcoach.services.progression import program_state
    from backcoach.services.screening import gate

    out = err_console if quiet else console
    if not result.exercises:
        out.print("No recognised exercises to make a plan from.")
        return
    person = person_context()
    today = person.today()
    allowed = gate(person.store, today)
    if not allowed.allowed:
        out.print(f"[bold yellow]No plan yet.[/] {allowed.reason}")
        raise typer.Exit(3)
    made = routine_from(
        result, catalogue, load_profile(person.store), program_state(person.store, today), today
    )
    if quiet:
        return
    console.print()
    if made.plan.items:
        render_plan(made.plan, catalogue)
    else:
        console.print("None of the article's exercises suits you today.")
    for _, name, why in made.excluded:
        console.print(f"[yellow]Not for you now:[/] {escape_text(name)} — {escape_text(why)}")
