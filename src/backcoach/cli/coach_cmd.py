"""`backcoach coach`: the camera form coach on a video, a webcam or recorded landmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from backcoach.cli.common import console, fail, person_context, print_json


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `backcoach` app."""
    app.command("coach")(coach_command)


def coach_command(
    video: Annotated[
        Path | None, typer.Argument(metavar="[VIDEO]", help="A video file of one set.")
    ] = None,
    exercise: Annotated[
        str, typer.Option("--exercise", "-e", metavar="ID", help="The exercise being done.")
    ] = "",
    camera: Annotated[
        int | None, typer.Option("--camera", metavar="N", help="Watch webcam N live instead.")
    ] = None,
    landmarks: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Recorded landmarks (.json or .csv) instead."),
    ] = None,
    seconds: Annotated[
        float | None,
        typer.Option(metavar="S", help="With --camera: stop after S seconds (else Ctrl+C)."),
    ] = None,
    annotate: Annotated[
        Path | None,
        typer.Option(
            metavar="OUT.mp4",
            help="Write the video with skeleton, count, cues and why each rep counted.",
        ),
    ] = None,
    save_landmarks: Annotated[
        Path | None,
        typer.Option(metavar="FILE.json", help="Save the landmarks found, to run again later."),
    ] = None,
    log: Annotated[
        bool, typer.Option("--log", help="Log the set in your records, with its faults.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    r"""Count repetitions, time holds and spot form faults from a video or a camera.

    Everything runs on this computer; no picture leaves it. Video and camera need the vision
    extra: pip install 'backcoach\[vision]'.
    """
    if annotate is not None and annotate.suffix.lower() != ".mp4":
        raise fail(f"--annotate: {annotate} should end in .mp4; e.g. --annotate coached.mp4")
    if annotate is not None and landmarks is not None:
        raise fail("--annotate needs pictures: use it with a VIDEO or --camera, not --landmarks")
    if seconds is not None and seconds <= 0:
        raise fail(f"--seconds must be more than 0 (got {seconds:g})")
    from rich.markup import escape

    from backcoach.catalogue import UnknownExercise
    from backcoach.catalogue.model import WRITING_YOUR_OWN
    from backcoach.errors import BackcoachError
    from backcoach.services.coaching import (
        log_coached_set,
        open_source,
        reference_for,
        run_coach,
    )

    person = person_context()
    catalogue = person.catalogue
    if not exercise:
        raise fail(
            f"say which exercise this is with --exercise ID; the camera coach knows "
            f"{_coachable(catalogue)} (see {WRITING_YOUR_OWN} to add your own)"
        )
    try:
        try:
            catalogue.get(exercise)
        except UnknownExercise as exc:
            raise fail(
                escape(
                    f"--exercise: {exc}. The camera coach knows {_coachable(catalogue)}. To "
                    f"coach an exercise of your own, put its file, with a coach section, in "
                    f"{person.settings.home / 'exercises'} (see {WRITING_YOUR_OWN})"
                )
            ) from None
        # Before opening the video: a long film should not be read only to be refused.
        reference_for(catalogue, exercise)
        source = open_source(video, camera, landmarks, seconds)
        name = catalogue.get(exercise).name
        live = _live_printer(name) if camera is not None and not as_json else None
        try:
            result = run_coach(catalogue, exercise, source, annotate, save_landmarks, live)
        except KeyboardInterrupt:
            raise fail("stopped before the end; nothing was logged") from None
        if log:
            result["logged"] = log_coached_set(
                person.store, catalogue, person.today(), exercise, result
            )
    except (BackcoachError, UnknownExercise) as exc:
        # Messages quote things like backcoach[vision]: not Rich markup.
        raise fail(escape(str(exc))) from None
    if as_json:
        print_json(result)
    else:
        _show(result, annotate)


def _coachable(catalogue: Any) -> str:
    """The ids of the exercises that have a coach section, for messages."""
    return ", ".join(sorted(e.id for e in catalogue if e.coach is not None))


def _live_printer(name: str) -> Any:
    """Live from a camera: each repetition, each cue, and, as they change, the same honesty
    messages the browser's "Watch me" shows (``motion.live``): nobody seen, too little seen to
    count, not the named exercise."""
    from rich.markup import escape

    from backcoach.motion.live import LiveWatch

    watch = LiveWatch(name)
    said = ""

    def show(moment: Any) -> None:
        nonlocal said
        status = watch.see(moment)
        if status.concern and status.message != said:
            console.print(f"[dim]{escape(status.message)}[/]")
        said = status.message if status.concern else ""
        for n in range(status.reps - status.new_reps + 1, status.reps + 1):
            hold = status.hold_seconds if n == status.reps else None
            held = f" (held {hold:.1f} s)" if hold is not None and hold >= 1 else ""
            console.print(f"Rep {n}{held}")
        for cue in status.cues:
            console.print(f"  [yellow]{escape(cue)}[/]")

    return show


def _show(result: dict[str, Any], annotate: Path | None) -> None:
    verification = result["verification"]
    if not verification["matches"]:
        # Say what was seen, plainly, and count nothing: a count of the wrong movement misleads.
        console.print(f"[bold]{result['exercise']}[/]: {verification['message'].capitalize()}.")
    reps = result["reps"]
    if verification["matches"]:
        console.print(f"[bold]{result['exercise']}[/]: {reps} repetition{'s' * (reps != 1)}")
    for rep in result["rep_times"]:
        hold = f", held {rep['hold_seconds']:.1f} s" if rep["hold_seconds"] >= 1 else ""
        console.print(f"  rep {rep['rep']}: {rep['start']:.1f}-{rep['end']:.1f} s{hold}")
    if result["faults"]:
        console.print("Things to try next time:")
        for fault in result["faults"]:
            console.print(f"  at {fault['time']:.1f} s: {fault['cue']}")
    elif result["form_judged"]:
        # Praise only with the evidence for it: every repetition well tracked, every rule checked.
        console.print("No form faults seen. Well done.")
    for reason in result["not_seen"]:
        if reason != verification["message"]:
            console.print(f"Not seen: {reason}.")
    if result["cues_withheld"]:
        console.print(
            f"[dim]{len(result['cues_withheld'])} possible form cue(s) not given: the camera saw "
            "too little of those moments to be sure.[/]"
        )
    for skipped in result["rules_not_checked"]:
        console.print(f"[dim]Not checked ({skipped['feature']}): {skipped['reason']}.[/]")
    tracking = result["tracking"]
    console.print(
        f"Tracking: {tracking['quality']} ({tracking['measured_fraction']:.0%} of "
        f"{tracking['frames']} frames measured)."
    )
    if tracking["quality"] == "poor":
        console.print(
            "The camera could not see you well. Try more light, the whole body in the picture, "
            "and the camera side-on at floor height."
        )
    if annotate is not None:
        console.print(f"Annotated video: {annotate}")
    if "logged" in result:
        console.print("Logged in your records.")
