""" "Watch me": the camera coach live during a person's running session, on this server.

The page sends small JPEG pictures of the person, one at a time; each is checked (size,
dimensions, a readable JPEG), measured by MediaPipe and the coach's live analysis
(``motion.live``, the same as ``backcoach coach --camera``), and dropped. Nothing of a picture is
kept, written or logged: only the numbers the analysis keeps (landmarks it smooths, the
count) live in memory, in one :class:`SessionCoach` per (person, session).

What the coach sees drives the session exactly as the person's taps do, through the live
session's own event path (``LiveSessions.send``: saved as it goes, stop rules, one player):

* reaching the far end of the movement when the engine waits for "in position" starts the hold;
* leaving it on the way back while the engine holds ends the hold (the time held is the
  person's own);
* each repetition counted ends the repetition (and, when the engine was still in the hold or
  the way back, those phases first).

Coaches live in this process's memory (``MAX_COACHES`` at most, each a MediaPipe graph); one
is dropped when its session ends, when the page stops watching, or after ``IDLE_SECONDS``
without a picture. Another process serving the same person simply starts its own.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backcoach.web.api_errors import ApiError

if TYPE_CHECKING:
    from backcoach.app import PersonContext
    from backcoach.motion.live import LiveCoach, LiveStatus
    from backcoach.session import SessionDefinition
    from backcoach.session.script import ItemScript, Segment
    from backcoach.web.live import LiveSessions
    from backcoach.web.live_view import Step

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 200_000
"""A picture's largest size: a 640-pixel JPEG at ordinary quality is 30-80 KB; the page sends
320 pixels (about 10-20 KB)."""
MAX_FRAME_SIDE = 640
"""A picture's longest side in pixels. MediaPipe looks at 256 pixels; more costs time only."""
IDLE_SECONDS = 60.0
"""A coach without a picture for this long is dropped (the page went away without saying)."""
MAX_COACHES = 4
"""Coaches kept at once in one process: each holds a MediaPipe graph (tens of MB) and a 2-core
machine runs about two at the page's 15 pictures a second."""

NOT_INSTALLED = (
    "the camera coach is not installed with this backcoach: it needs its optional camera part "
    "(MediaPipe and OpenCV), which whoever set up backcoach can add"
)
INSTALL_FIX = "install backcoach with its vision extra: pip install 'backcoach[vision]'"


def available() -> bool:
    """Whether the vision extra is installed (looked up, not imported: importing MediaPipe
    takes seconds)."""
    return all(importlib.util.find_spec(name) is not None for name in ("mediapipe", "cv2"))


def not_installed() -> ApiError:
    return ApiError(501, "camera-not-installed", NOT_INSTALLED, fix=INSTALL_FIX)


# --- the picture ------------------------------------------------------------------------------


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a JPEG's frame header, read before decoding anything, so a small
    file that claims a huge picture is refused before it could take the memory; None when
    ``data`` is not a JPEG with a frame header."""
    if data[:2] != b"\xff\xd8":
        return None
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill bytes
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2:
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if i + 9 > n:
                return None
            height = int.from_bytes(data[i + 5 : i + 7], "big")
            width = int.from_bytes(data[i + 7 : i + 9], "big")
            return width, height
        if marker == 0xDA:  # the picture data starts before any frame header: not valid
            return None
        i += 2 + length
    return None


def decode(data: bytes) -> Any:
    """The picture as a BGR array, or a 413/422 saying what is wrong and what to send."""
    if len(data) > MAX_FRAME_BYTES:
        raise too_large(len(data))
    if not data:
        raise _bad_frame("the picture is empty")
    size = jpeg_size(data)
    if size is None:
        raise _bad_frame("the picture is not a JPEG that can be read")
    width, height = size
    if not width or not height:
        raise _bad_frame(f"the picture says it is {width}x{height} pixels")
    if max(width, height) > MAX_FRAME_SIDE:
        raise _bad_frame(
            f"the picture is {width}x{height} pixels, larger than {MAX_FRAME_SIDE} on its longer "
            "side"
        )
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise _bad_frame("the picture is not a JPEG that can be read")
    return image


def too_large(size: int | None = None) -> ApiError:
    got = f" ({size} bytes)" if size is not None else ""
    return ApiError(
        413,
        "frame-too-large",
        f"the picture is larger than {MAX_FRAME_BYTES // 1000} KB{got}",
        field="frame",
        value=size,
        fix=f"send a JPEG of at most {MAX_FRAME_SIDE} pixels on its longer side and "
        f"{MAX_FRAME_BYTES // 1000} KB (the page sends 320 pixels)",
    )


def _bad_frame(message: str) -> ApiError:
    return ApiError(
        422,
        "bad-frame",
        message,
        field="frame",
        fix=f"send one camera picture as a JPEG (Content-Type image/jpeg) of at most "
        f"{MAX_FRAME_SIDE} pixels on its longer side",
    )


# --- one session's coach ----------------------------------------------------------------------

Key = tuple[int, int]
"""(person id, session id)."""


@dataclass
class SessionCoach:
    """The camera coach of one person's running session: the pose model and, for the exercise
    running now, the live analysis."""

    key: Key
    last_seen: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    detector: Any = None
    coach: LiveCoach | None = None
    watching: tuple[int, str | None] | None = None
    """(item index, side) the analysis is for: a new exercise or side starts it afresh."""
    plan: tuple[int, SessionDefinition] | None = None
    """(plan id, its definition): what the session runs, read once."""
    last_client: float | None = None
    offset: float = 0.0
    """Added to the page's times: a page reloaded mid-session starts its clock again at 0."""
    last_t: float = 0.0

    def time_of(self, client: float | None, now: float) -> float:
        """The analysis time of a picture: the page's own time of it (when it was taken, not
        when it arrived), kept increasing across a reload; the server's clock without one."""
        t = now if client is None else client
        if self.last_client is not None and t <= self.last_client:
            self.offset = self.last_t - t + 1e-3
        self.last_client = t
        self.last_t = t + self.offset
        return self.last_t

    def close(self) -> None:
        if self.coach is not None:
            self.coach.close()
        elif self.detector is not None:
            self.detector.close()
        self.coach = self.detector = None


class Busy(Exception):
    pass


class CameraCoaches:
    """The session coaches of this process, bounded in number and dropped when idle."""

    def __init__(
        self,
        max_coaches: int = MAX_COACHES,
        idle_seconds: float = IDLE_SECONDS,
        clock: Any = time.monotonic,
    ) -> None:
        self.max_coaches = max_coaches
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._coaches: dict[Key, SessionCoach] = {}
        self._sweeper: threading.Thread | None = None

    def __len__(self) -> int:
        with self._lock:
            return len(self._coaches)

    def __contains__(self, key: Key) -> bool:
        with self._lock:
            return key in self._coaches

    def get(self, key: Key) -> SessionCoach:
        """The session's coach, made when it has none; Busy when ``max_coaches`` others are
        all in use (an idle one makes way)."""
        self.sweep()
        with self._lock:
            found = self._coaches.get(key)
            if found is None:
                if len(self._coaches) >= self.max_coaches:
                    raise Busy
                found = self._coaches[key] = SessionCoach(key, self.clock())
                self._start_sweeper()
            found.last_seen = self.clock()
            return found

    def drop(self, key: Key) -> bool:
        with self._lock:
            found = self._coaches.pop(key, None)
        if found is None:
            return False
        with found.lock:
            found.close()
        return True

    def sweep(self) -> None:
        """Drop the coaches without a picture for ``idle_seconds``."""
        now = self.clock()
        with self._lock:
            idle = [k for k, c in self._coaches.items() if now - c.last_seen > self.idle_seconds]
            gone = [self._coaches.pop(k) for k in idle]
        for coach in gone:
            with coach.lock:
                coach.close()

    def close(self) -> None:
        with self._lock:
            gone = list(self._coaches.values())
            self._coaches.clear()
        for coach in gone:
            with coach.lock:
                coach.close()

    def _start_sweeper(self) -> None:
        """A daemon thread that sweeps while any coach is kept (a page that went away without
        saying never sends the request that would sweep it)."""
        if self._sweeper is not None and self._sweeper.is_alive():
            return

        def run() -> None:
            while True:
                time.sleep(min(self.idle_seconds, 15.0))
                self.sweep()
                with self._lock:
                    if not self._coaches:
                        self._sweeper = None
                        return

        self._sweeper = threading.Thread(target=run, name="camera-coach-sweeper", daemon=True)
        self._sweeper.start()


_MADE = threading.Lock()


def coaches_of(state: Any) -> CameraCoaches:
    """The app's camera coaches (made on first use and kept on ``app.state``)."""
    with _MADE:
        found = getattr(state, "camera_coaches", None)
        if not isinstance(found, CameraCoaches):
            found = CameraCoaches()
            state.camera_coaches = found
        return found


# --- a picture in, what the coach sees out ----------------------------------------------------


def watch_frame(
    coaches: CameraCoaches,
    live: LiveSessions,
    person: PersonContext,
    session_id: int,
    player: str,
    data: bytes,
    client_t: float | None,
) -> dict[str, Any]:
    """Measure one picture of the person's running session ``session_id`` and feed what it
    shows to the session; the answer (docs/web-api.md, "Watch me")."""
    from backcoach.services import live as rows
    from backcoach.session.script import WORK_KINDS

    key = (person.person_id, session_id)
    srow = person.store.session(session_id)
    if srow is None:
        coaches.drop(key)
        raise _no_session(session_id)
    if not available():
        raise not_installed()
    image = decode(data)
    if srow.status != "in-progress":
        coaches.drop(key)
        raise _conflict(rows.ended(session_id, srow.status))
    row, state = _live_row(person, session_id)
    wall = live.clock.wall()
    if row is None or state is None:
        raise _not_live(session_id)
    if row.player != player and not rows.idle(row, wall):
        raise _conflict(rows.elsewhere(row, wall))
    if state.finished:
        coaches.drop(key)
        raise _conflict(rows.ended(session_id, "finished"))
    try:
        coach = coaches.get(key)
    except Busy:
        raise ApiError(
            503,
            "camera-busy",
            f"the camera coach is already following {coaches.max_coaches} sessions on this "
            "server, so it cannot follow yours just now; tap when each repetition is done",
            fix="try again in a minute",
        ) from None
    with coach.lock:
        definition = _definition(coach, person, srow.plan_id)
        if state.stage != "exercise" or state.item_index >= len(definition.items):
            return _waiting("The camera coach watches during the exercises.")
        script = definition.items[state.item_index]
        exercise = script.exercise
        if exercise.coach is None:
            coach.close()
            coach.watching = None
            raise ApiError(
                409,
                "camera-cannot-follow",
                f"the camera cannot follow {exercise.name} yet; "
                + (
                    "tap when each repetition is done"
                    if exercise.counted
                    else "the timer runs it as usual"
                ),
                field="exercise_id",
                value=exercise.id,
                fix="stop watching for this exercise; it goes on as usual",
            )
        segment = script.segments[state.segment_index]
        if state.paused:
            return _waiting("Paused: the camera coach waits until you carry on.", exercise.id)
        if segment.kind not in WORK_KINDS:
            return _waiting(
                "The camera coach starts watching when the exercise begins.", exercise.id
            )
        analysis = _analysis(coach, person, script, segment)
        status = analysis.feed(coach.time_of(client_t, coaches.clock()), image)
        del image
        step = _feed(live, person, session_id, player, status, _tap(segment))
    if step is not None and step.view.finished:
        coaches.drop(key)
    return {
        "watching": True,
        "exercise_id": exercise.id,
        **status.as_dict(),
        "step": step.model_dump(mode="json") if step is not None else None,
    }


def stop_watching(coaches: CameraCoaches, person: PersonContext, session_id: int) -> bool:
    """Drop the session's coach (the page stopped watching); True when there was one. Only
    the person's own sessions: another's id is 404, as everywhere."""
    if person.store.session(session_id) is None:
        raise _no_session(session_id)
    return coaches.drop((person.person_id, session_id))


def _no_session(session_id: int) -> ApiError:
    from backcoach.web.api_sessions import no_session

    return no_session(session_id, fix="GET /api/sessions/current for the session running now")


def _waiting(message: str, exercise_id: str | None = None) -> dict[str, Any]:
    return {
        "watching": False,
        "exercise_id": exercise_id,
        "reps": 0,
        "holding": False,
        "hold_seconds": None,
        "cue": None,
        "tracking": None,
        "seen": False,
        "verified": None,
        "message": message,
        "step": None,
    }


def _live_row(person: PersonContext, session_id: int) -> tuple[Any, Any]:
    """The session's live row and engine state, read without writing (a picture changes
    nothing unless it counts something)."""
    from sqlalchemy import select

    from backcoach.records.tables import LiveSessionRow
    from backcoach.services import live as rows

    with person.store.reading() as s:
        query = select(LiveSessionRow).where(LiveSessionRow.session_id == session_id)
        row = s.scalars(query).first()
        if row is None:
            return None, None
        s.expunge(row)
    return row, rows.read_state(row)


def _definition(coach: SessionCoach, person: PersonContext, plan_id: int) -> SessionDefinition:
    if coach.plan is None or coach.plan[0] != plan_id:
        from backcoach.services.saved import saved_plan
        from backcoach.services.sessions import definition_of

        plan_row = person.store.plan(plan_id)
        if plan_row is None:
            raise LookupError(f"the session's plan {plan_id} is missing")
        coach.plan = (plan_id, definition_of(person.catalogue, saved_plan(plan_row)))
    return coach.plan[1]


def _analysis(
    coach: SessionCoach, person: PersonContext, script: ItemScript, segment: Segment
) -> LiveCoach:
    """The live analysis for this exercise and side, started afresh for a new one (the pose
    model is kept: MediaPipe takes a while to start)."""
    from backcoach.errors import BackcoachError
    from backcoach.motion.live import LiveCoach
    from backcoach.services.coaching import reference_for

    watching = (script.index, segment.side)
    if coach.coach is None or coach.watching != watching:
        try:
            ref = reference_for(person.catalogue, script.exercise.id)
        except BackcoachError as exc:
            raise ApiError(
                409,
                "camera-cannot-follow",
                f"the camera cannot follow {script.exercise.name}: {exc}",
                field="exercise_id",
                value=script.exercise.id,
                fix="stop watching for this exercise; it goes on as usual",
            ) from None
        if coach.detector is None:
            from backcoach.motion.video import Detector

            coach.detector = Detector()
        coach.coach = LiveCoach(ref, coach.detector)
        coach.watching = watching
    return coach.coach


def _tap(segment: Segment) -> str | None:
    """What a tap does in this phase (the same words as ``session.now``)."""
    from backcoach.session.now import TAP_BACK, TAP_END_HOLD, TAP_INTO_HOLD, TAP_REP_DONE

    if segment.kind == "move":
        return TAP_REP_DONE if segment.completes_rep else TAP_INTO_HOLD
    return {"hold": TAP_END_HOLD, "release": TAP_BACK}.get(segment.kind)


def _feed(
    live: LiveSessions,
    person: PersonContext,
    session_id: int,
    player: str,
    status: LiveStatus,
    tap: str | None,
) -> Step | None:
    """Send the session the taps that what the coach saw stands for; the last answer."""
    from backcoach.session.now import camera_taps
    from backcoach.web.live import SessionEvent

    step: Step | None = None

    def rep() -> str | None:
        nonlocal step
        event = SessionEvent(type="rep", id=f"camera-{uuid.uuid4().hex}")
        step = live.send(person, session_id, event, player)
        return step.view.tap

    camera_taps(tap, status.reached, status.left_hold, status.new_reps, rep)
    return step


def _conflict(error: Any) -> ApiError:
    return ApiError(
        409, error.code, error.message, field="session_id", value=error.session_id, fix=error.fix
    )


def _not_live(session_id: int) -> ApiError:
    return ApiError(
        409,
        "session-not-live",
        f"session {session_id} is not running in a player now",
        field="session_id",
        value=session_id,
        fix="open the session in the player (GET /api/sessions/current), then watch",
    )
