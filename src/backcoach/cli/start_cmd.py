"""`backcoach start`: run today's session (or resume one), and `backcoach history`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backcoach.cli.common import console, err_console, fail, person_context, print_json

if TYPE_CHECKING:
    from rich.console import RenderableType

    from backcoach.app import PersonContext
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store
    from backcoach.services.sessions import AutoAnswers, LiveSession

NEXT_DAY_NOTE = "Yesterday some exercises left you with pain of 3-5 out of 10."


def start(
    auto: Annotated[
        bool,
        typer.Option(
            "--auto", help="Run without a person: a sped-up clock, answers from --answers."
        ),
    ] = False,
    speed: Annotated[
        float,
        typer.Option(help="With --auto: session seconds per real second (0 = no waiting)."),
    ] = 0.0,
    answers: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="With --auto: JSON answers for pain and ratings (see docs/sessions.md).",
        ),
    ] = None,
    minutes: Annotated[int | None, typer.Option(help="Minutes for a new session (5-45).")] = None,
    resume: Annotated[
        bool | None,
        typer.Option(
            "--resume/--new",
            help="Resume an unfinished session, or start a new one (default: ask; --auto resumes).",
        ),
    ] = None,
    voice: Annotated[bool, typer.Option("--voice", help="Speak the cues (espeak-ng).")] = False,
    camera: Annotated[
        int | None,
        typer.Option(
            "--camera",
            metavar="N",
            help="Watch me: webcam N counts your reps and holds and gives form cues (needs "
            "pip install 'backcoach[vision]'; pictures never leave this computer).",
        ),
    ] = None,
    camera_file: Annotated[
        Path | None,
        typer.Option("--camera-file", hidden=True, help="For tests: a video in place of a webcam."),
    ] = None,
    take_over: Annotated[
        bool,
        typer.Option(
            "--take-over",
            help="Carry on here a session being run elsewhere (a browser page, another "
            "terminal); that place is told and records nothing more.",
        ),
    ] = False,
) -> None:
    """Start today's guided session: timers, cues and pain check-ins, saved as you go."""
    from backcoach.errors import BackcoachError, PlanRefused
    from backcoach.services import sessions
    from backcoach.services.live import Conflict
    from backcoach.services.screening import gate as screen_gate

    person = person_context()
    store = person.store
    auto_answers = _auto_answers(answers) if auto else None
    if answers is not None and not auto:
        raise fail("--answers goes with --auto; add --auto or leave out --answers")
    if auto and (camera is not None or camera_file is not None):
        raise fail("--camera goes with the terminal player, not --auto; leave out one of them")
    if camera is not None and camera < 0:
        raise fail(f"--camera must be 0 or more (got {camera}); 0 is usually the built-in camera")
    _pregnancy_check(person, auto_answers)
    _next_day_questions(person, auto_answers)
    if screen_gate(store, person.today()).allowed and (auto or sys.stdin.isatty()):
        # At the start of a session: worst pain in 24 h at most once a day, activity ratings
        # weekly (CLINICAL.md section 6); no questions when no session may start.
        from backcoach.cli.checkin_cmd import session_checkin

        session_checkin(person, auto_answers)
    live = None
    unfinished = store.unfinished_session()
    gate = screen_gate(store, person.today())
    if unfinished is not None and not gate.allowed:
        # An unfinished session is not carried on once the screen says no exercise (an
        # emergency or urgent answer since it began); its saved sets stay saved.
        err_console.print(f"[bold yellow]No session today.[/] {gate.reason}")
        raise typer.Exit(3)
    if unfinished is not None:
        wanted = resume
        if wanted is None:
            wanted = True if auto else _ask_resume(unfinished)
        if wanted:
            live = _carry_on(person, auto, take_over)
            console.print(f"Resumed your session from {unfinished.started_at:%d %b %H:%M}.")
        else:
            sessions.abandon(store, unfinished.id)
    if live is None:
        mode = "auto" if auto else "terminal"
        try:
            live = sessions.begin(
                store, person.catalogue, person.today, mode, _clock(auto), minutes
            )
        except PlanRefused as exc:
            err_console.print(f"[bold yellow]No session today.[/] {exc}")
            raise typer.Exit(3) from None
        except BackcoachError as exc:
            raise fail(str(exc)) from None
    summary: Any
    try:
        if auto:
            assert auto_answers is not None
            summary = sessions.run_auto(live, auto_answers, speed, 0.0, on_effects=_print_effects)
        else:
            from backcoach.cli.player import NotATerminal, play

            try:
                summary = play(live, voice=voice, camera=camera, camera_file=camera_file)
            except NotATerminal as exc:
                raise fail(str(exc)) from None
            if summary is None:
                console.print("Saved. Run [bold]backcoach start[/] again to carry on.")
                return
    except Conflict as exc:
        # Taken over, ended or forgotten elsewhere: what was saved stays saved.
        err_console.print(f"[bold yellow]Stopped here.[/] {exc.message}.")
        raise typer.Exit(4) from None
    if auto:
        console.print(summary_panel(person.store, person.catalogue, live.session_id))
    _print_decisions(person, live.session_id)


def summary_panel(store: Store, catalogue: Catalogue, session_id: int) -> RenderableType:
    """The session's summary from its records (``services.session_summary``, the figures
    history, progress, the report and the web player show): how it ended, exercises and sets
    done, active time, percentage done, pain before and after, and what was stopped or
    skipped, by name."""
    from backcoach.services.library import exercise_name

    return _panel(store, session_id, lambda i: exercise_name(catalogue, i))


def live_summary_panel(live: LiveSession) -> RenderableType:
    """``summary_panel`` for the session the terminal player just ran."""
    definition = live.engine.definition
    store = live.recorder.store
    return _panel(store, live.session_id, lambda i: definition.exercise_name(i) or i)


def _panel(store: Store, session_id: int, name: Callable[[str], str]) -> RenderableType:
    from rich.panel import Panel

    from backcoach.services.session_summary import summary

    found = summary(store, session_id)
    if found is None:
        return ""
    lines = [
        f"[bold]{found.ending}[/]",
        f"Exercises: {len(found.finished)} finished, {len(found.stopped)} stopped, "
        f"{len(found.skipped)} skipped (of {found.exercises_planned})",
        f"Sets done: {found.sets_done} of {found.sets_planned} ({found.percent_done}% done)",
        f"Active time: {found.active_text}",
    ]
    if found.pain_before is not None or found.pain_after is not None:
        lines.append(f"Pain: {_score(found.pain_before)} → {_score(found.pain_after)}")
    for label, ids in (
        ("Stopped", found.stopped),
        ("Skipped", found.skipped),
        ("Not reached", found.not_done),
    ):
        if ids:
            lines.append(f"{label}: {', '.join(name(i) for i in ids)}")
    return Panel("\n".join(lines), title="Session summary", expand=False)


def _score(score: int | None) -> str:
    return "not given" if score is None else f"{score}/10"


def _clock(auto: bool) -> float:
    """The session clock a new session starts at: a simulated 0 for --auto, else wall time
    (the session's live row anchors it, so a browser taking over reads the same clock)."""
    return 0.0 if auto else time.time()


def _carry_on(person: PersonContext, auto: bool, take_over: bool) -> LiveSession | None:
    """Resume the unfinished session here; one being run elsewhere right now only with
    --take-over (or, in a terminal, when the person says so)."""
    from backcoach.services import sessions
    from backcoach.services.live import Conflict, PlayerKind

    kind: PlayerKind = "auto" if auto else "terminal"
    pieces = (person.store, person.catalogue, person.today)
    try:
        return sessions.resume_unfinished(*pieces, _clock(auto), kind=kind, take_over=take_over)
    except Conflict as exc:
        if auto or not sys.stdin.isatty() or not _ask_take_over(exc.message):
            err_console.print(
                f"[bold yellow]Not started.[/] {exc.message}. Run [bold]backcoach start "
                "--take-over[/] to carry it on here instead."
            )
            raise typer.Exit(3) from None
    return sessions.resume_unfinished(*pieces, _clock(auto), kind=kind, take_over=True)


def _ask_take_over(message: str) -> bool:
    from rich.prompt import Confirm

    console.print(f"{message[0].upper()}{message[1:]}.")
    return Confirm.ask("Carry it on here instead?", default=False, console=console)


def _auto_answers(path: Path | None) -> Any:
    from backcoach.services.sessions import AutoAnswers

    if path is None:
        return AutoAnswers()
    try:
        return AutoAnswers.from_file(path)
    except ValueError as exc:
        raise fail(f"{exc}; see docs/sessions.md for the answers file") from None


def _ask_resume(unfinished: Any) -> bool:
    from rich.prompt import Confirm

    return Confirm.ask(
        f"Resume your unfinished session from {unfinished.started_at:%d %b %H:%M}?",
        default=True,
        console=console,
    )


def _pregnancy_check(person: PersonContext, auto_answers: AutoAnswers | None) -> None:
    """Pregnancy: ask about the ACOG warning signs before any session; any one means no
    exercise today (exit 3, nothing started)."""
    from backcoach.safety import pregnancy
    from backcoach.services.profiles import load_profile

    if not pregnancy.check_needed(load_profile(person.store).conditions):
        return
    if auto_answers is not None:
        warning = auto_answers.pregnancy_warning
    else:
        from rich.prompt import Confirm

        warning = Confirm.ask(pregnancy.QUESTION, default=False, console=console)
    if warning:
        err_console.print(f"[bold red]No session today.[/] {pregnancy.ADVICE}")
        raise typer.Exit(3)


def _next_day_questions(person: PersonContext, auto_answers: AutoAnswers | None) -> None:
    """Ask whether yesterday's pain of 3-5 settled overnight; progression uses the answer."""
    from backcoach.services.progression import next_day_questions, record_next_day_answer

    store, catalogue, today = person.store, person.catalogue, person.today()
    pending = next_day_questions(store, today)
    if not pending:
        return
    if auto_answers is None:
        from rich.prompt import Confirm

        console.print(NEXT_DAY_NOTE)
    for session_id, item_index, exercise_id, day in pending:
        name = catalogue.get(exercise_id).name
        if auto_answers is not None:
            settled = auto_answers.next_day_settled
        else:
            settled = Confirm.ask(
                f"Had the pain after {name} ({day}) settled by this morning?", console=console
            )
        decisions = record_next_day_answer(
            store, catalogue, today, session_id, item_index, exercise_id, settled
        )
        for decision in decisions:
            console.print(f"[dim]{decision.reason}[/]")


def _print_effects(effects: tuple[Any, ...]) -> None:
    from backcoach.session import ExerciseStopped, RescreenNeeded, SetFinished

    for effect in effects:
        if isinstance(effect, SetFinished):
            side = f" {effect.side}" if effect.side else ""
            done = (
                f"{effect.reps_done}/{effect.target_reps} reps"
                if effect.target_reps is not None
                else f"{effect.duration_seconds_done:g}/{effect.target_duration_seconds:g} s"
            )
            console.print(f"  saved {effect.exercise_id} set {effect.set_number}{side}: {done}")
        elif isinstance(effect, ExerciseStopped):
            console.print(
                f"[yellow]Stopped {effect.exercise_id}:[/] {'; '.join(effect.decision.reasons)}"
            )
        elif isinstance(effect, RescreenNeeded):
            console.print(f"[bold red]{effect.advice}[/]")


def _print_decisions(person: PersonContext, session_id: int) -> None:
    for row in person.store.decisions():
        if row.session_id == session_id:
            console.print(f"[dim]Next time:[/] {row.reason}")


def history(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(help="How many sessions, newest first.")] = 20,
) -> None:
    """Past sessions: what was planned and what was done."""
    from backcoach.services.history import past_sessions
    from backcoach.services.library import exercise_name
    from backcoach.services.session_summary import duration_text
    from backcoach.wording import label

    person = person_context()
    rows = past_sessions(person.store, limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No sessions yet. Start one with [bold]backcoach start[/].")
        return
    from rich.table import Table

    table = Table(title="Your sessions", title_justify="left")
    for column in ("date", "status", "exercises", "sets done", "active", "pain before → after"):
        table.add_column(column)
    for r in rows:
        names = ", ".join(
            exercise_name(person.catalogue, e["exercise_id"])
            + ("" if e["outcome"] == "finished" else f" ({label(e['outcome'], 'outcome')})")
            for e in r["exercises"]
        )
        table.add_row(
            r["started_at"][:16].replace("T", " "),
            r["status"],
            names,
            f"{r['sets_done']} of {r['sets_planned']} ({r['percent_done']}%)",
            duration_text(r["active_seconds"]),
            f"{r['pain_before']} → {r['pain_after']}",
        )
    console.print(table)
