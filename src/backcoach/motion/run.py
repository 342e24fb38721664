"""One coached run: a pose source through the analysis, with optional annotated video and
saved landmarks. The CLI, the web app and the benchmark all go through :func:`coach_run`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from backcoach.motion.analyse import Analyser, Moment
from backcoach.motion.frames import PoseFrame, PoseSource
from backcoach.motion.reference import Reference


def coach_run(
    source: PoseSource,
    ref: Reference,
    annotate: Path | None = None,
    save_landmarks: Path | None = None,
    on_moment: Callable[[Moment], None] | None = None,
) -> dict[str, Any]:
    """Analyse every frame of ``source``; returns the result (see :meth:`Analyser.result`)."""
    analyser = Analyser(ref, fps=source.fps)
    annotator = None
    if annotate is not None:
        from backcoach.motion.annotate import Annotator

        annotator = Annotator(annotate, source.fps, source.size)
    kept: list[PoseFrame] = []
    try:
        for frame in source.frames():
            moment = analyser.feed(frame)
            if on_moment is not None:
                on_moment(moment)
            if annotator is not None and frame.image is not None:
                annotator.write(frame.image, frame.marks, moment)
            if save_landmarks is not None:
                kept.append(PoseFrame(frame.t, frame.marks))
        analyser.finish()
    finally:
        if annotator is not None:
            annotator.close()
    if save_landmarks is not None:
        from backcoach.motion.recorded import write_json

        write_json(save_landmarks, kept, source.fps, source.size)
    result = analyser.result(source.describe())
    if annotator is not None:
        result["annotated_frames"] = annotator.frames
    return result
