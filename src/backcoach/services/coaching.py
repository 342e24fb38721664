"""The camera coach as a service: run it on a video, a webcam or recorded landmarks, and log
the set it saw like any other set, with its faults.

Pictures never leave the machine: frames are read, measured and dropped one by one; only the
numbers found (and, when asked, an annotated video or a landmark file) are written, locally.

The camera code (``motion``: NumPy, and MediaPipe and OpenCV when installed) is imported inside
the functions that use it, so importing this module costs nothing until a set is coached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcoach.errors import BackcoachError
from backcoach.planning.plan import Plan, PlanItem
from backcoach.planning.select import PHASE_OF

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.motion.analyse import Moment
    from backcoach.motion.frames import PoseSource
    from backcoach.motion.reference import Reference
    from backcoach.records.store import Store

CAMERA_SOURCE = "camera"
"""``set_logs.source`` for a set counted by the camera coach (the guided player uses 'timer')."""
SESSION_MODE = "coach"


def reference_for(catalogue: Catalogue, exercise_id: str) -> Reference:
    """The exercise's reference values, or a BackcoachError saying why it cannot be coached."""
    from backcoach.motion.reference import NotCoachable, reference

    exercise = catalogue.get(exercise_id)
    try:
        return reference(exercise)
    except NotCoachable as exc:
        coachable = ", ".join(sorted(e.id for e in catalogue if e.coach is not None))
        raise BackcoachError(f"{exc} (exercises the coach knows: {coachable})") from None


def open_source(
    video: Path | None = None,
    camera: int | None = None,
    landmarks: Path | None = None,
    seconds: float | None = None,
) -> PoseSource:
    """Exactly one of a video file, a camera number or a recorded landmark file."""
    given = [x for x in (video, camera, landmarks) if x is not None]
    if len(given) != 1:
        raise BackcoachError(
            f"give exactly one of a VIDEO file, --camera N or --landmarks FILE (got {len(given)})"
        )
    try:
        if landmarks is not None:
            from backcoach.motion.recorded import RecordedSource

            return RecordedSource(landmarks)
        from backcoach.motion.pose_model import VisionMissing

        try:
            from backcoach.motion.video import CameraSource, VideoSource

            if video is not None:
                if not video.is_file():
                    raise ValueError(f"{video}: no such file; give the path of a video file")
                return VideoSource(video)
            assert camera is not None
            return CameraSource(camera, seconds)
        except VisionMissing as exc:
            raise BackcoachError(str(exc)) from None
    except ValueError as exc:
        raise BackcoachError(str(exc)) from None


def run_coach(
    catalogue: Catalogue,
    exercise_id: str,
    source: PoseSource,
    annotate: Path | None = None,
    save_landmarks: Path | None = None,
    on_moment: Callable[[Moment], None] | None = None,
) -> dict[str, Any]:
    """Coach one set from ``source``; the result as plain data (reps, holds, faults...)."""
    from backcoach.motion.pose_model import VisionMissing
    from backcoach.motion.run import coach_run

    ref = reference_for(catalogue, exercise_id)
    for path, option in ((annotate, "--annotate"), (save_landmarks, "--save-landmarks")):
        if path is not None and not path.parent.is_dir():
            raise BackcoachError(
                f"{option}: the folder {path.parent} does not exist; create it first"
            )
    try:
        return coach_run(source, ref, annotate, save_landmarks, on_moment)
    except VisionMissing as exc:
        raise BackcoachError(str(exc)) from None
    except ValueError as exc:
        raise BackcoachError(str(exc)) from None


def log_coached_set(
    store: Store, catalogue: Catalogue, today: dt.date, exercise_id: str, result: dict[str, Any]
) -> dict[str, Any]:
    """Save the set the coach saw as a one-exercise session (mode 'coach'), planned next to
    done like any other set, with its faults. Returns the ids saved."""
    exercise = catalogue.get(exercise_id)
    dose = exercise.dose
    target_reps = dose.reps.default if dose.reps is not None else None
    target_hold = dose.hold_seconds.default if dose.hold_seconds is not None else 0
    item = PlanItem(
        exercise_id=exercise.id,
        phase=PHASE_OF[exercise.category],
        sets=1,
        reps=target_reps,
        hold_seconds=target_hold,
        duration_seconds=(
            dose.duration_seconds.default
            if target_reps is None and dose.duration_seconds is not None
            else None
        ),
        rest_seconds=0,
        per_side=dose.per_side,
        movement_seconds=dose.movement_seconds,
        reason="A set watched by the camera coach.",
    )
    plan = Plan(date=today, total_seconds=float(result["duration_seconds"]), items=[item])
    plan_id = store.save_plan(plan.date, plan.model_dump(mode="json"), False)
    session_id = store.start_session(plan_id, SESSION_MODE)
    holds = result["hold_seconds"]
    store.save_set(
        session_id,
        item_index=0,
        exercise_id=exercise.id,
        set_number=1,
        target_reps=target_reps,
        reps=result["reps"],
        target_hold_seconds=float(target_hold) if dose.hold_seconds is not None else None,
        hold_seconds=round(sum(holds) / len(holds), 2) if holds else None,
        source=CAMERA_SOURCE,
        faults=[
            {"time": f["time"], "rep": f["rep"], "feature": f["feature"], "cue": f["cue"]}
            for f in result["faults"]
        ],
        complete=True,
    )
    store.save_outcome(session_id, 0, exercise.id, "finished")
    store.finish_session(session_id, "finished", None)
    return {"session_id": session_id, "plan_id": plan_id}
