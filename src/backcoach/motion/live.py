"""The coach live: what it sees now, in plain words, frame by frame.

The terminal (``backcoach coach --camera N``) and the browser's "Watch me" (``web.camera_live``)
both feed the same :class:`~backcoach.motion.analyse.Analyser` through the same
:class:`~backcoach.motion.video.Detector`, and both say what the coach sees through
:class:`LiveWatch`, so the same frames give the same count and the same honesty messages in
either place: nothing is counted before the movement is checked to be the named exercise, no
form cue is given from a moment seen too little (the analyser holds those back), and "cannot
see you" is said as soon as it is true.

Pictures are measured and dropped one at a time; nothing here keeps or writes one.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from backcoach.motion.analyse import Analyser, Moment
from backcoach.motion.evidence import FAIR_TRACKING, GOOD_TRACKING, RECENT_S
from backcoach.motion.frames import PoseFrame
from backcoach.motion.phases import ENTER
from backcoach.motion.reference import Reference


@dataclass(frozen=True)
class LiveStatus:
    """What the coach sees after one frame: for the screen, the voice and the session."""

    t: float
    reps: int
    """Repetitions counted so far (0 while the movement does not match the exercise)."""
    new_reps: int
    """Repetitions counted by this frame (usually 0 or 1; more when the check that this is
    the named exercise has just passed and the repetitions it held back are let through)."""
    holding: bool
    """Out at the far end of the movement now."""
    hold_seconds: float | None
    """Seconds held so far while holding, else the last repetition's hold; None before one."""
    reached: bool
    """This frame reached the far end (a hold starts)."""
    left_hold: bool
    """This frame left the far end on the way back (a hold ends)."""
    cues: tuple[str, ...]
    """Form cues to say now: only those the evidence rules let through."""
    tracking: str
    """'good', 'fair' or 'poor': the share of the last two seconds measured."""
    seen: bool
    """The body was measured in this frame."""
    verified: bool | None
    """True: checked to be the named exercise; False: it does not look like it (nothing is
    counted); None: not checked yet (it is checked as each repetition ends)."""
    message: str
    """One plain line: what the coach sees now, and why it counts nothing when it does not."""
    concern: bool = False
    """``message`` says the coach cannot count now (nobody seen, too little seen, not the
    named exercise): the terminal prints those as they change."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "reps": self.reps,
            "holding": self.holding,
            "hold_seconds": round(self.hold_seconds, 1) if self.hold_seconds is not None else None,
            "cue": " ".join(self.cues) or None,
            "tracking": self.tracking,
            "seen": self.seen,
            "verified": self.verified,
            "message": self.message,
        }


class LiveWatch:
    """Turns the analyser's moments into :class:`LiveStatus`: holds, tracking, messages."""

    def __init__(self, exercise_name: str) -> None:
        self.name = exercise_name
        self._recent: deque[tuple[float, bool]] = deque()
        self._reps = 0
        self._holding_since: float | None = None
        self._left = False
        self._last_hold: float | None = None
        self._ever_seen = False

    def see(self, moment: Moment) -> LiveStatus:
        t = moment.t
        # From the first frame measured on: before it the analyser may be holding frames with
        # the person in them while it finds which way up the picture is.
        self._ever_seen = self._ever_seen or moment.measured
        if self._ever_seen:
            self._recent.append((t, moment.measured))
        while self._recent and self._recent[0][0] < t - RECENT_S:
            self._recent.popleft()
        new_reps = max(0, moment.reps - self._reps)
        self._reps = moment.reps
        reached = left = False
        if moment.holding and self._holding_since is None:
            self._holding_since, self._left, reached = t, False, True
        if (
            moment.holding
            and not self._left
            and moment.progress is not None
            and moment.progress < ENTER
        ):
            # On the way back from the far end: the hold is over (the repetition counts once
            # the movement is back near rest).
            self._left = left = True
            self._last_hold = t - (self._holding_since or t)
        if moment.new_rep is not None:
            self._last_hold = moment.new_rep.hold_seconds
        if not moment.holding:
            if self._holding_since is not None and not self._left:
                left = True
            self._holding_since, self._left = None, False
        hold = (
            t - self._holding_since
            if self._holding_since is not None and not self._left
            else self._last_hold
        )
        measured = [m for _, m in self._recent]
        share = sum(measured) / len(measured) if measured else 0.0
        tracking = (
            "good" if share >= GOOD_TRACKING else "fair" if share >= FAIR_TRACKING else "poor"
        )
        verdict = moment.verdict
        verified = None if verdict is None or not verdict.checked else verdict.matches
        message, concern = self._message(moment, tracking, verified, hold)
        return LiveStatus(
            t=t,
            reps=moment.reps,
            new_reps=new_reps,
            holding=moment.holding and self._holding_since is not None and not self._left,
            hold_seconds=hold,
            reached=reached,
            left_hold=left,
            cues=tuple(f.cue for f in moment.new_faults),
            tracking=tracking,
            seen=moment.measured,
            verified=verified,
            message=message,
            concern=concern,
        )

    def _message(
        self, moment: Moment, tracking: str, verified: bool | None, hold: float | None
    ) -> tuple[str, bool]:
        """The line to show, and whether it says the coach cannot count now."""
        if verified is False and moment.verdict is not None:
            text = moment.verdict.message
            return (f"Not counting: {text}." if text else "Not counting."), True
        if not self._ever_seen:
            return "Looking for you: get your whole body in the picture.", True
        if tracking == "poor":
            return (
                "I cannot see you well enough to count: get your whole body in the picture, "
                "with more light."
            ), True
        if moment.holding and hold is not None and not self._left:
            return f"Holding: {hold:.0f} s.", False
        if moment.progress is None and not moment.reps:
            return "Watching: start your first repetition.", False
        reps = moment.reps
        counted = f"{reps} repetition{'s' * (reps != 1)} counted"
        if verified is None:
            return f"Watching: {counted}.", False
        return f"{counted[0].upper()}{counted[1:]}.", False


class LiveCoach:
    """One camera, live: a picture and its time in, what the coach sees out.

    ``detector`` is a :class:`~backcoach.motion.video.Detector` (MediaPipe, turned pictures
    tried when tracking is poor), made here when not given; ``close`` releases it."""

    def __init__(self, ref: Reference, detector: Any = None) -> None:
        if detector is None:
            from backcoach.motion.video import Detector

            detector = Detector()
        self.ref = ref
        self.detector = detector
        self.analyser = Analyser(ref)
        self.watch = LiveWatch(ref.name or ref.exercise_id)
        self.frames = 0

    def feed(self, t: float, image: Any) -> LiveStatus:
        """Measure one BGR picture taken at ``t`` seconds (times must increase)."""
        self.frames += 1
        marks = self.detector.detect(image)
        return self.watch.see(self.analyser.feed(PoseFrame(t, marks)))

    def close(self) -> None:
        self.detector.close()
