"""`backcoach remind`, `export`, `import` and `forget`: the person's data, theirs to take."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.markup import escape

from backcoach.cli.common import console, err_console, fail, person_context, print_json, user_errors

T = TypeVar("T")

FORGET_WORD = "forget"
"""What the person types to confirm `backcoach forget`: a word, not just 'y', as it is final."""


def remind(
    out: Annotated[Path, typer.Option("--out", metavar="FILE.ics", help="Where to write it.")],
    no_alert: Annotated[
        bool, typer.Option("--no-alert", help="Leave out the one alert at the start time.")
    ] = False,
) -> None:
    """Write a calendar file with your exercise days as one repeating event."""
    from backcoach.services.profiles import load_profile
    from backcoach.services.sharing import reminders_ics

    person = person_context()
    with user_errors():
        data = reminders_ics(person.store, person.catalogue, person.today(), alert=not no_alert)
    _write_bytes(out, data)
    profile = load_profile(person.store)
    console.print(
        f"Wrote {out}: {', '.join(profile.days)} at {profile.reminder_time}, "
        f"{profile.minutes} minutes. Open it with your calendar app to add the reminder; "
        "a newer file replaces the old one."
    )


def export(
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE.json", help="Write everything to this JSON file."),
    ] = None,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", metavar="DIR", help="Write one CSV file per table into DIR."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a summary as JSON.")] = False,
    schema: Annotated[
        bool,
        typer.Option(
            "--schema", help="Print the JSON Schema of the export file, and nothing else."
        ),
    ] = False,
) -> None:
    """Export all your records: JSON to import elsewhere, or CSV for spreadsheets."""
    from backcoach.services.sharing import write_csv, write_export

    if schema:
        if out is not None or csv is not None:
            raise fail("--schema prints the file format only; run it without --out and --csv")
        from backcoach.reports.export_models import export_schema

        print_json(export_schema())
        return
    if out is None and csv is None:
        raise fail(
            "say where to export: --out FILE.json (everything) or --csv DIR (spreadsheets); "
            "--schema prints the file's format"
        )
    if csv is not None and csv.exists() and not csv.is_dir():
        raise fail(f"--csv: {csv} is a file, not a folder; give a folder to write the CSV files in")
    store = person_context().store
    summary: dict[str, object] = {}
    if out is not None:
        document = _guard(lambda: write_export(store, out), out)
        counts = {name: len(rows) for name, rows in document["tables"].items()}
        summary["json"] = {"path": str(out), "rows": counts}
        if not as_json:
            console.print(f"Wrote {out}: {sum(counts.values())} records from {len(counts)} tables.")
    if csv is not None:
        paths = _guard(lambda: write_csv(store, csv), csv)
        summary["csv"] = [str(p) for p in paths]
        if not as_json:
            console.print(f"Wrote {len(paths)} CSV files into {csv}.")
    if as_json:
        print_json(summary)
    elif out is not None:
        console.print("[dim]It holds your health records: keep it somewhere private.[/]")


def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE.json", help="A `backcoach export` file.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace records already saved without asking.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a summary as JSON.")] = False,
) -> None:
    """Load a `backcoach export` file. Your records become exactly the file's (never doubled).

    Files over BACKCOACH_IMPORT_MAX_MB (default 20) are refused unread."""
    from backcoach.errors import BackcoachError
    from backcoach.services.sharing import (
        check_export,
        import_json,
        import_limit,
        is_empty,
        read_export,
    )

    person = person_context()
    with user_errors():
        limit = import_limit(person.settings)
    try:
        # A bad file is refused before any question; its errors already name the file.
        checked = check_export(person.store, read_export(file, limit))
    except BackcoachError as exc:
        raise _refused(file, exc) from None
    replace = False
    if not is_empty(person.store):
        if not yes and not typer.confirm(
            "You already have records saved here. Importing replaces them with the file's "
            "(a copy of the current ones is kept in the backups folder). Go ahead?",
            default=False,
        ):
            err_console.print("Nothing was changed.")
            raise typer.Exit(1)
        replace = True
    try:
        summary = import_json(person.store, person.settings.home, checked, replace=replace)
    except BackcoachError as exc:
        raise _refused(file, exc) from None
    if as_json:
        print_json(summary.as_dict())
        return
    console.print(f"Imported {sum(summary.rows.values())} records from {file}.")
    if summary.backup is not None:
        console.print(f"Your earlier records were saved first to {summary.backup}.")


def _refused(file: Path, exc: Exception) -> typer.Exit:
    """The file's faults, named once with the file; its values are shown as written, never
    read as markup (a value like ``[/x]`` in a file must not break the message)."""
    message = str(exc)
    if not message.startswith(str(file)):
        message = f"{file}: {message}"
    return fail(escape(message))


def forget(
    yes: Annotated[
        bool, typer.Option("--yes", help="Delete without asking (for scripts).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a summary as JSON.")] = False,
) -> None:
    """Delete all your records from this machine. Your own exercise files are kept.

    A session still running (in the browser app or another terminal) is ended first; the
    browser app then tells its page that the records were deleted."""
    from backcoach.services.sharing import forget as forget_all

    person = person_context()
    if not yes:
        console.print(
            "This deletes everything backcoach has recorded about you: your profile, warning-"
            "sign screens, plans, sessions, sets, pain reports, outcomes and progress, and the "
            "copies kept before imports. Your own exercise files are kept. It cannot be undone; "
            "`backcoach export --out FILE.json` first if you want a copy."
        )
        answer = typer.prompt(
            f"Type {FORGET_WORD} to delete everything", default="", show_default=False
        )
        if answer.strip().lower() != FORGET_WORD:
            err_console.print("Nothing was deleted.")
            raise typer.Exit(1)
    with user_errors():
        summary = forget_all(person.store, person.settings)
    if as_json:
        print_json(summary.as_dict())
        return
    if summary.ended_session is not None:
        console.print(
            f"Ended session {summary.ended_session}, which was still running, before deleting; "
            "a browser page showing it will say so at its next step."
        )
    console.print(f"Deleted {sum(summary.rows.values())} records. Nothing about you is left here.")
    for path in summary.removed:
        console.print(f"Removed {path}.")
    for path in summary.kept:
        console.print(f"Kept your own exercise files in {path}.")
    console.print(
        "[dim]Files you exported yourself (.json, .csv, .ics) are not touched; delete them "
        "too if you want them gone.[/]"
    )


def _write_bytes(path: Path, data: bytes) -> None:
    """The calendar file tells when and what the person exercises: owner-only (0600)."""
    from backcoach.services.sharing import write_private

    try:
        write_private(path, data)
    except OSError as exc:
        raise fail(
            f"{path}: cannot write the file ({exc.strerror}); choose another place"
        ) from None


def _guard(action: Callable[[], T], path: Path) -> T:
    """Run a write; a folder or file that cannot be written is a clear error, not a trace."""
    try:
        with user_errors():
            return action()
    except OSError as exc:
        raise fail(
            f"{path}: cannot write there ({exc.strerror or exc}); choose another place"
        ) from None


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `backcoach` app."""
    app.command("remind")(remind)
    app.command("export")(export)
    app.command("import")(import_)
    app.command("forget")(forget)
