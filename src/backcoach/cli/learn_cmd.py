"""`backcoach learn`: short lessons about back pain; one is offered a day, when it helps.

``backcoach learn`` shows today's lesson (``--read`` marks it read, ``--skip`` skips it;
without either, a terminal asks); ``learn list`` lists every lesson; ``learn show ID`` shows
one whenever you want it, read or not; ``learn check`` checks your own lesson files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcoach.cli.common import EXIT_INVALID, console, err_console, fail, person_context

if TYPE_CHECKING:
    from backcoach.app import PersonContext
    from backcoach.lessons.loader import Library
    from backcoach.lessons.model import Lesson

app = typer.Typer(
    help="Short lessons about back pain: today's, or any of them.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _library(person: PersonContext) -> Library:
    from backcoach.lessons.today import library

    lessons = library(person.settings.home, {ex.id for ex in person.catalogue})
    if lessons.problems:
        err_console.print(
            f"[yellow]{len(lessons.problems)} problem(s) in your own lesson files; those files "
            "were left out. Run `backcoach learn check` for details.[/]"
        )
    return lessons


def _show(lesson: Lesson, note: str | None = None, whole: bool = True) -> None:
    from rich.markdown import Markdown
    from rich.markup import escape

    # A title from the person's own file may hold [brackets]: shown as written, not as markup.
    title = escape(lesson.title)
    console.print(f"[bold]{title}[/]  [dim]· about {lesson.header.minutes} min[/]")
    if note:
        console.print(f"[dim]{escape(note)}[/]")
    if whole:
        console.print()
        console.print(Markdown(lesson.markdown()))


@app.callback()
def today(
    ctx: typer.Context,
    read: Annotated[bool, typer.Option("--read", help="Mark today's lesson as read.")] = False,
    skip: Annotated[bool, typer.Option("--skip", help="Skip today's lesson.")] = False,
) -> None:
    """Today's lesson: one short read a day at most, picked for how things are going.

    It never replaces your session: do the session first if you have one today."""
    if ctx.invoked_subcommand is not None:
        return
    from backcoach.lessons import today as lessons_today

    if read and skip:
        raise fail("give --read or --skip, not both")
    person = person_context()
    lessons = _library(person)
    day = person.today()
    found = lessons_today.todays_lesson(person.store, lessons, day)
    if found.choice is None or found.lesson is None:
        console.print(
            "You have read every lesson. Open any of them again with `backcoach learn list` "
            "and `backcoach learn show ID`."
        )
        return
    choice, lesson = found.choice, found.lesson
    if choice.done_today:
        _show(lesson, choice.words, whole=False)
        console.print(f"[dim]Open it again with `backcoach learn show {lesson.id}`.[/]")
        return
    _show(lesson, choice.words)
    if not read and not skip and console.is_terminal:
        answer = typer.prompt("Mark it as read? [y = read, s = skip, Enter = later]", default="")
        read, skip = answer.strip().lower() in ("y", "yes"), answer.strip().lower() == "s"
    if read:
        lessons_today.mark_read(person.store, lessons, lesson.id, day)
        console.print("[green]Marked as read.[/] The next lesson comes another day.")
    elif skip:
        lessons_today.skip(person.store, lessons, lesson.id, day)
        console.print("Skipped for today.")
    else:
        console.print("[dim]Add --read when you have read it, or --skip to skip it.[/]")


@app.command("list")
def list_lessons(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Every lesson, with the ones you have read ticked."""
    from backcoach.lessons.today import as_json as lesson_json
    from backcoach.lessons.today import in_order, marks

    person = person_context()
    lessons = _library(person)
    if as_json:
        from backcoach.cli.common import print_json

        print_json([lesson_json(lesson) for lesson in in_order(lessons)])
        return
    seen = marks(person.store)
    from rich.table import Table

    table = Table(box=None, show_header=True, header_style="bold")
    table.add_column("id")
    table.add_column("title")
    table.add_column("min", justify="right")
    table.add_column("read")
    for lesson in in_order(lessons):
        mark = seen.get(lesson.id)
        read_on = mark.read_on if mark is not None else None
        table.add_row(
            lesson.id, lesson.title, str(lesson.header.minutes), str(read_on) if read_on else ""
        )
    console.print(table)


@app.command("show")
def show(
    lesson_id: Annotated[str, typer.Argument(metavar="ID", help="A lesson id (see `learn list`).")],
    read: Annotated[bool, typer.Option("--read", help="Mark it as read.")] = False,
) -> None:
    """Show one lesson, read or not."""
    from backcoach.lessons.today import UnknownLesson, find, mark_read

    person = person_context()
    lessons = _library(person)
    try:
        lesson = find(lessons, lesson_id)
    except UnknownLesson as exc:
        raise fail(f"{exc}; `backcoach learn list` lists them") from None
    _show(lesson)
    if read:
        mark_read(person.store, lessons, lesson.id, person.today())
        console.print("[green]Marked as read.[/]")


@app.command("check")
def check(
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIR]",
            help="A folder of lesson files (default: your own, $BACKCOACH_HOME/lessons).",
        ),
    ] = None,
) -> None:
    """Check lesson files: the header, a source for every section, short paragraphs and a
    reading grade of 8 or below."""
    from backcoach.lessons.loader import builtin_dir, load_library
    from backcoach.lessons.today import own_lessons_dir

    person = person_context()
    if folder is not None and not folder.is_dir():
        raise fail(f"'{folder}' is not a folder; give a folder that holds .md lesson files")
    own = folder if folder is not None else own_lessons_dir(person.settings.home)
    ids = {ex.id for ex in person.catalogue}
    lessons = load_library([(builtin_dir(), True), (own, False)], ids)
    for problem in lessons.problems:
        err_console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    if lessons.problems:
        err_console.print(f"{len(lessons.problems)} problem(s) found.", style="bold red")
        raise typer.Exit(EXIT_INVALID)
    mine = sum(1 for lesson in lessons if not lesson.builtin)
    console.print(f"OK: {len(lessons) - mine} built-in and {mine} of your own lessons are valid.")
