"""Watch me in the terminal: ``backcoach start --camera N`` counts with the camera.

The same live analysis as the browser's "Watch me" (``motion.live.LiveCoach``, as
``web.camera_live`` uses it) follows the exercise running now, and what it counts drives the
session exactly as the browser's does:

* each repetition counted is a ``RepDone`` (with the taps a hold needs: reaching the far end
  when the session waits for "in position", leaving it when it holds);
* once the coach has counted a repetition of this exercise and side, the session is told
  (``Watch(on=True)``): its movements then wait for the count, not the timer;
* watching stops (``Watch(on=False)``: back to the timer) on a pause, a new exercise or side,
  when the movement does not look like the exercise, when the camera is lost, and at the end.

Pictures are read and measured on a thread of their own (MediaPipe takes tens of milliseconds
a picture), so the player's keys and timer never wait for the camera; the player's loop takes
what the thread saw each frame (``Watcher.step``) and sends the engine its events itself, so
the engine and the records are only ever touched from the player's thread. Each picture is
measured and dropped: nothing of it is kept or written.
"""

from __future__ import annotations

import importlib.util
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from backcoach.session import Cue, RepDone, Watch, now
from backcoach.session.now import camera_taps
from backcoach.session.script import WORK_KINDS

if TYPE_CHECKING:
    from backcoach.cli.player import Player
    from backcoach.motion.live import LiveStatus
    from backcoach.motion.reference import Reference

INSTALL = "pip install 'backcoach[vision]'"
NOT_INSTALLED = (
    "Watch me needs the camera coach, which is not installed ({missing} is missing); "
    f"install it with: {INSTALL}"
)
TIMER_RUNS = "The timer runs the session."
IDLE_POLL_SECONDS = 0.05
"""How often the thread looks whether there is something to watch while there is not."""
QUEUE_SIZE = 64
"""Statuses kept for the player at most (it takes them eight times a second)."""


class CameraUnavailable(RuntimeError):
    """The camera cannot be used here; the message says why and what to do, ``short`` the
    same in the few words the player's camera line has room for."""

    def __init__(self, message: str, short: str) -> None:
        super().__init__(message)
        self.short = short


class Pictures(Protocol):
    """Pictures in time order: ``read`` gives (seconds, BGR picture), or None when they end;
    ``skip`` lets one go by unmeasured (a webcam keeps running while nobody is watched)."""

    def read(self) -> tuple[float, Any] | None: ...

    def skip(self) -> None: ...

    def close(self) -> None: ...


def vision_missing() -> str | None:
    """The first part of the vision extra that is not installed, or None (looked up, not
    imported: importing MediaPipe takes seconds)."""
    for name in ("cv2", "mediapipe"):
        if importlib.util.find_spec(name) is None:
            return name
    return None


class Capture:
    """Webcam ``N`` (times from the monotonic clock) or, for tests, a video file played at
    its own speed, never faster (times from its frame numbers); a file only moves on while it
    is read, so a test's video starts when the exercise does."""

    def __init__(self, camera: int | None = None, path: Path | None = None) -> None:
        missing = vision_missing()
        if missing is not None:
            raise CameraUnavailable(
                NOT_INSTALLED.format(missing=missing),
                f"the camera coach is not installed ({INSTALL})",
            )
        import cv2

        self.live = path is None
        source: int | str = str(path) if path is not None else camera or 0
        self._capture = cv2.VideoCapture(source)
        if not self._capture.isOpened():
            self._capture.release()
            if path is not None:
                raise CameraUnavailable(
                    f"{path}: cannot be read as a video; give a video file such as .mp4",
                    "the video cannot be read",
                )
            raise CameraUnavailable(
                f"camera {camera} cannot be opened; check it is connected and not in use, or "
                "try another number with --camera (0 is usually the built-in camera)",
                f"camera {camera} cannot be opened (is it connected, or in use? try another "
                "--camera number)",
            )
        fps = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if fps > 0 else 30.0
        self._start = time.monotonic()
        self._frames = 0
        self._due: float | None = None

    def read(self) -> tuple[float, Any] | None:
        if not self.live:
            # At the file's own rate, never faster: the person in it moves at their speed.
            if self._due is not None:
                time.sleep(max(0.0, self._due - time.monotonic()))
            self._due = time.monotonic() + 1 / self.fps
        ok, image = self._capture.read()
        if not ok:
            return None
        self._frames += 1
        t = time.monotonic() - self._start if self.live else self._frames / self.fps
        return t, image

    def skip(self) -> None:
        if self.live:
            self._capture.grab()  # keep the webcam's buffer fresh
        else:
            self._due = None  # the file waits, and starts again without a jump
            time.sleep(IDLE_POLL_SECONDS)

    def close(self) -> None:
        self._capture.release()


@dataclass(frozen=True)
class Target:
    """What to watch: one exercise and side, from one start (a pause starts it afresh)."""

    token: int
    item_index: int
    side: str | None
    reference: Reference


@dataclass(frozen=True)
class Seen:
    """What the coach saw in one picture of ``token``'s watching."""

    token: int
    status: LiveStatus


@dataclass(frozen=True)
class Lost:
    """The pictures stopped (the camera went, the video ended) or the coach failed."""

    message: str


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """MediaPipe's native code writes start-up notes to the error stream, which would tear
    the player's screen; they go nowhere while the camera runs (the player writes to stdout)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


class CameraThread:
    """Reads pictures on a daemon thread and measures those of the current ``Target``."""

    def __init__(self, pictures: Pictures, make_coach: Callable[[Reference, Any], Any]) -> None:
        self._pictures = pictures
        self._make_coach = make_coach
        self._target: Target | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.seen: queue.Queue[Seen | Lost] = queue.Queue(QUEUE_SIZE)
        self._thread = threading.Thread(target=self._run, name="watch-me", daemon=True)
        self._thread.start()

    def watch(self, target: Target | None) -> None:
        with self._lock:
            self._target = target

    def take(self) -> list[Seen | Lost]:
        found: list[Seen | Lost] = []
        while True:
            try:
                found.append(self.seen.get_nowait())
            except queue.Empty:
                return found

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)

    def _put(self, item: Seen | Lost) -> None:
        # A status is news only for a moment (a player behind drops it); that the camera went
        # must reach the player, which takes what is waiting eight times a second.
        with suppress(queue.Full):
            self.seen.put(item, timeout=1.0 if isinstance(item, Lost) else 0.0)

    def _run(self) -> None:
        coach: Any = None
        detector: Any = None
        watching: int | None = None
        try:
            while not self._stop.is_set():
                with self._lock:
                    target = self._target
                if target is None:
                    self._pictures.skip()
                    continue
                if coach is None or watching != target.token:
                    coach = self._make_coach(target.reference, detector)
                    detector, watching = coach.detector, target.token
                picture = self._pictures.read()
                if picture is None:
                    self._put(Lost("the camera stopped sending pictures"))
                    return
                t, image = picture
                status = coach.feed(t, image)
                del image  # measured and dropped
                self._put(Seen(target.token, status))
        except Exception as exc:  # any failure here must reach the screen
            self._put(Lost(f"the camera coach stopped ({exc})"))
        finally:
            if detector is not None:
                detector.close()
            self._pictures.close()


def _live_coach(ref: Reference, detector: Any) -> Any:
    from backcoach.motion.live import LiveCoach

    return LiveCoach(ref, detector)


class Watcher:
    """The player's side of Watch me: what to watch now, and what the count does to the
    session. ``camera`` is None when it could not be opened (``line`` says why)."""

    def __init__(self, camera: CameraThread | None, problem: str = "") -> None:
        self.camera = camera
        self.on = camera is not None
        self.line = (
            f"Not watching: {problem}. {TIMER_RUNS}" if camera is None else "Starting the camera…"
        )
        self._token = 0
        """Starts again at each new exercise or side, pause and c: a new analysis."""
        self._announced: int | None = None
        self.counted: int | None = None
        """Repetitions the coach counted in this exercise and side; None before it watches."""
        self._cues: list[str] = []
        """Form cues seen since the last frame, said once the session has been told."""
        self._target: Target | None = None
        self._key: tuple[int, str | None] | None = None
        self._paused = False
        self._following = False
        self._coachable: dict[str, Reference | str] = {}
        """Each exercise's reference values, or why the camera cannot follow it."""

    @property
    def text(self) -> str:
        """The camera's line on the screen: the count in this exercise and side, when the
        coach is counting, and what it sees now."""
        if self.counted is None:
            return self.line
        return f"{self.counted} counted · {self.line}"

    def _restart(self) -> None:
        """A new analysis from the next picture: its count starts again at 0."""
        self._token += 1
        self.counted = None

    @property
    def available(self) -> bool:
        return self.camera is not None

    def toggle(self) -> None:
        """The c key: stop watching, or start again (afresh)."""
        if self.camera is None:
            return
        self.on = not self.on
        self._following = False
        self._restart()
        if not self.on:
            self.line = f"Camera off: press c to watch again. {TIMER_RUNS}"

    def step(self, player: Player, at: float) -> None:
        """Called by the player every frame: follow the engine, apply what was seen, and
        tell the session whether the count leads."""
        engine = player.engine
        state = engine.state
        active: Target | None = None
        if self.camera is not None and self.on and state.stage == "exercise":
            active = self._what_to_watch(player)
        elif self.camera is not None and self.on and not state.finished:
            self.line = "The camera watches during the exercises."
        if self.camera is not None:
            if active != self._target:
                self.camera.watch(active)
                self._target = active
            for item in self.camera.take():
                if isinstance(item, Lost):
                    self._lose(item.message)
                    break
                if active is not None and item.token == active.token:
                    self._apply(player, item.status, at)
        self._tell(player, at)
        if self._cues:
            # After telling the session, so a form cue is not hidden by "The camera counts".
            player.take((Cue(" ".join(dict.fromkeys(self._cues))),))
            self._cues.clear()
        if engine.state.finished:
            self.close()

    def _what_to_watch(self, player: Player) -> Target | None:
        from backcoach.motion.reference import NotCoachable, reference

        state = player.engine.state
        script = player.engine.definition.items[state.item_index]
        segment = script.segments[state.segment_index]
        exercise = script.exercise
        key = (script.index, segment.side)
        if state.paused:
            if not self._paused:
                self._paused, self._following = True, False
                self._restart()  # carried on later: watched afresh
            self.line = "Paused: the camera waits until you carry on."
            return None
        self._paused = False
        if key != self._key:
            self._key, self._following = key, False
            self._restart()
        if exercise.id not in self._coachable:
            try:
                self._coachable[exercise.id] = reference(exercise)
            except NotCoachable:
                self._coachable[exercise.id] = (
                    f"The camera cannot follow {exercise.name} yet. {TIMER_RUNS}"
                )
        ref = self._coachable[exercise.id]
        if isinstance(ref, str):
            self.line = ref
            return None
        if segment.kind not in WORK_KINDS:
            self.line = "The camera watches when the exercise begins."
            return None
        if self._announced != self._token:
            self._announced = self._token
            self.line = "Watching: start your first repetition."
        return Target(self._token, script.index, segment.side, ref)

    def _apply(self, player: Player, status: LiveStatus, at: float) -> None:
        """Send the session the taps what the coach saw stands for (as ``web.camera_live``
        does for the browser), say its form cues, and follow whether it counts here."""
        self.line, self.counted = status.message, status.reps
        tap = self._tap(player, at)

        def rep() -> str | None:
            player.send(RepDone(at))
            return self._tap(player, at)

        camera_taps(tap, status.reached, status.left_hold, status.new_reps, rep)
        # The count leads once the coach has counted here, and not while the movement does
        # not look like the exercise (camera.js does the same).
        self._following = status.reps > 0 and status.verified is not False
        self._cues.extend(status.cues)

    @staticmethod
    def _tap(player: Player, at: float) -> str | None:
        engine = player.engine
        if engine.state.stage != "exercise":
            return None
        return now(engine.definition, engine.state, player.board, at).tap

    def _tell(self, player: Player, at: float) -> None:
        """Keep the session told whether the count leads (once per change)."""
        state = player.engine.state
        wanted = self.camera is not None and self.on and self._following and not state.paused
        if state.finished or state.watched == wanted:
            return
        if state.stage == "exercise" or not wanted:
            player.send(Watch(at, wanted))

    def _lose(self, message: str) -> None:
        self.line = f"Stopped watching: {message}. {TIMER_RUNS}"
        self._following, self.counted = False, None
        self.close()

    def close(self) -> None:
        """Stop the camera (the session ended, the camera went, or the player leaves)."""
        camera, self.camera = self.camera, None
        self._target = None
        if camera is not None:
            camera.close()


def open_watcher(camera: int | None, path: Path | None) -> tuple[Watcher, str | None]:
    """A watcher on webcam ``camera`` (or the video ``path``, for tests); when the camera
    cannot be used, one that says why, and the reason to print before the session."""
    try:
        with quiet_stderr():  # OpenCV's own notes on a camera it cannot open
            pictures = Capture(camera, path)
    except CameraUnavailable as exc:
        return Watcher(None, exc.short), str(exc)
    return Watcher(CameraThread(pictures, _live_coach)), None
