"""The terminal session player: shows the engine's progress and turns key presses into events.

The engine does the counting and timing, and the recorder saves every effect as it comes; the
player only draws and listens. What it draws is the session package's one model of what is
happening now (``session.Board`` and ``session.now``, which the browser player renders too);
``Player`` adds only the keys: the pain report being typed in and the "end the session?"
question. It is tested without a terminal; ``play`` wraps it in a Rich ``Live`` display and a
terminal in cbreak mode.

Every step the engine takes is saved to the session's live row as it goes (``services.live``):
quitting (q or Ctrl-C) sends no event and lets the session go, so the next ``backcoach start``
(or the browser) carries it on where it was. A session taken over elsewhere stops here with
``services.live.Conflict``. Ending the session (e, then
e or y to confirm) sends ``Stop``: what was done is kept, the pain after the session is asked,
and the session is closed in the records.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.live import Live
from rich.panel import Panel

from backcoach.cli import player_view as pv
from backcoach.cli.player_camera import Watcher, open_watcher, quiet_stderr
from backcoach.cli.player_keys import Keys, cbreak
from backcoach.cli.voice import DRAIN_SECONDS, MISSING_NOTE, Speaker, find_speaker, speak_effects
from backcoach.services.sessions import LiveSession
from backcoach.session import (
    Back,
    Board,
    Effect,
    Engine,
    Event,
    ExerciseStopped,
    Notice,
    PainReport,
    Pause,
    Progress,
    Rate,
    Rating,
    RepDone,
    RescreenNeeded,
    Resume,
    SessionSummary,
    Skip,
    Stop,
    Tick,
    Watch,
    cues,
    now,
)
from backcoach.session.now import TAP_SHORT

FRAME_SECONDS = 0.125
"""Eight frames a second: the countdown never looks late, and the CPU stays idle."""

PAIN_KEYS = "Press 0-9, or t for 10."
RATING_KEYS: dict[str, Rating] = {"1": "too-easy", "2": "about-right", "3": "too-hard"}
RATING_HELP = "1 too easy  ·  2 about right  ·  3 too hard"
SCORE_KEYS = {**{str(n): n for n in range(10)}, "t": 10}
QUIT_KEYS = frozenset({"q", "ctrl-c"})
END_KEY = "e"
END_CONFIRM_KEYS = frozenset({"e", "y"})
"""A second e (or y) ends the session; any other key carries on."""
END_HELP = (END_KEY, "end session")
CAMERA_KEY = "c"
"""With --camera: stop watching, or watch again."""


@dataclass
class PainEntry:
    """A pain report being typed in: the score, then (once the session has begun) three y/n
    flags."""

    flags: bool
    voluntary: bool
    """Opened with ``p`` rather than asked by the engine."""
    resume_after: bool
    """The player paused the timer to ask, so it resumes once the answer is in."""
    score: int | None = None
    answers: list[bool] = field(default_factory=list)


@dataclass(frozen=True)
class EndEntry:
    """The question "end the session now?" is on screen."""

    resume_after: bool
    """The player paused the timer to ask, so it resumes if the person carries on."""


class Player:
    """The screen's side of a session: feeds the engine events, keeps what it must show."""

    def __init__(
        self, engine: Engine, speaker: Speaker | None = None, camera: Watcher | None = None
    ) -> None:
        self.engine = engine
        self.speaker = speaker
        self.camera = camera
        """Watch me (``start --camera N``): what the camera counts drives the reps."""
        self.board = Board()
        """What the effects said: the same model the browser player keeps (``session.now``)."""
        self.pain: PainEntry | None = None
        self.ending: EndEntry | None = None

    @property
    def cue(self) -> str:
        return self.board.cue

    @property
    def notices(self) -> list[Notice]:
        return self.board.notices

    @property
    def summary(self) -> SessionSummary | None:
        return self.board.summary

    @property
    def rescreen(self) -> RescreenNeeded | None:
        return self.board.rescreen

    @property
    def done(self) -> bool:
        """The session is over and every notice has been read."""
        return self.engine.finished and not self.notices

    def take(self, effects: Sequence[Effect]) -> None:
        self.board.take(effects, self.engine.definition)
        if self.speaker is not None:
            speak_effects(self.speaker, effects)

    def send(self, event: Event) -> tuple[Effect, ...]:
        effects = self.engine.send(event)
        self.take(effects)
        return effects

    def tick(self, now: float) -> None:
        self.send(Tick(now))
        if self.camera is not None:
            self.camera.step(self, now)
        self._sync()
        if self.speaker is not None:
            self.speaker.poll()

    def key(self, key: str, now: float) -> bool:
        """Handle one key; False when the person quits."""
        if key in QUIT_KEYS:
            return False
        if self.notices:
            self.board.dismiss()
        elif self.ending is not None:
            self._end_key(self.ending, key, now)
        elif key == END_KEY and self._may_end():
            self._ask_end(now)
        elif self.pain is not None:
            self._pain_key(self.pain, key, now)
        elif self.engine.state.awaiting == "rating":
            self._rating_key(key, now)
        else:
            self._run_key(key, now)
        if self.camera is not None:
            self.camera.step(self, now)  # a pause stops watching at once, not a frame later
        self._sync()
        return True

    def _sync(self) -> None:
        """Open or close the pain question to match what the engine is waiting for.

        A pain report opened with p is left alone: it is only open during an exercise, with
        the timer paused, and closes itself before it sends anything, so the engine cannot
        move on under it."""
        state = self.engine.state
        if state.awaiting == "pain":
            if self.pain is None:
                # Before the session the score alone; after an exercise or the session, the
                # warning questions too (new numbness then asks for the screen again).
                self.pain = PainEntry(state.stage != "pre-pain", False, False)
        elif self.pain is not None and not self.pain.voluntary:
            self.pain = None

    def _run_key(self, key: str, now: float) -> None:
        state = self.engine.state
        if key == "space":
            self.send(Resume(now) if state.paused else Pause(now))
        elif key == "s":
            self.send(Skip(now))
        elif key == "b":
            self.send(Back(now))
        elif key in ("r", "enter"):
            self.send(RepDone(now))
        elif key == CAMERA_KEY and self.camera is not None and self.camera.available:
            self.camera.toggle()
        elif key == "p" and state.stage == "exercise":
            if not state.paused:
                self.send(Pause(now))
            self.pain = PainEntry(True, True, resume_after=not state.paused)

    def _may_end(self) -> bool:
        """e ends the session from an exercise or a question the engine asks, but not from a
        pain report being typed in, nor from the question after the session (s declines that)."""
        if self.engine.state.stage in ("post-pain", "finished"):
            return False
        return self.pain is None or (not self.pain.voluntary and self.pain.score is None)

    def _ask_end(self, now: float) -> None:
        state = self.engine.state
        pause = state.stage == "exercise" and not state.paused
        if pause:
            self.send(Pause(now))
        self.ending = EndEntry(resume_after=pause)

    def _end_key(self, entry: EndEntry, key: str, now: float) -> None:
        self.ending = None
        if key in END_CONFIRM_KEYS:
            self.pain = None  # the question after the session replaces any question open now
            self.send(Stop(now))
        elif entry.resume_after:
            self.send(Resume(now))

    def _pain_key(self, entry: PainEntry, key: str, now: float) -> None:
        if entry.score is None:
            if key in SCORE_KEYS:
                entry.score = SCORE_KEYS[key]
            elif key == "s" and not entry.voluntary:
                self.pain = None
                self.send(Skip(now))
                return
            elif key in ("x", "escape") and entry.voluntary:
                self._close_voluntary(entry, now)
                return
        elif key in ("y", "n"):
            entry.answers.append(key == "y")
        elif key == "backspace":
            if entry.answers:
                entry.answers.pop()
            else:
                entry.score = None
        if entry.score is not None and (not entry.flags or len(entry.answers) == 3):
            self._report(entry, now)

    def _report(self, entry: PainEntry, now: float) -> None:
        assert entry.score is not None
        flags = entry.answers if entry.flags else [False, False, False]
        self.pain = None
        effects = self.send(PainReport(now, entry.score, *flags))
        if entry.voluntary:
            ended = any(isinstance(e, ExerciseStopped | RescreenNeeded) for e in effects)
            if entry.resume_after and not ended:
                self.send(Resume(now))

    def _close_voluntary(self, entry: PainEntry, now: float) -> None:
        self.pain = None
        if entry.resume_after:
            self.send(Resume(now))

    def _rating_key(self, key: str, now: float) -> None:
        if key in RATING_KEYS:
            self.send(Rate(now, RATING_KEYS[key]))
        elif key == "s":
            self.send(Skip(now))

    # --- what to draw ---------------------------------------------------------------------

    def screen(self, at: float) -> pv.Screen:
        engine = self.engine
        here = now(engine.definition, engine.state, self.board, at)
        view = here.progress
        camera = self.camera.text if self.camera is not None else None
        keys = self._keys(view, here.tap)
        return pv.Screen(here, self._question(view), keys, camera, engine.state.watched)

    def _question(self, view: Progress) -> pv.Question | None:
        if self.notices:
            notice = self.notices[0]
            return pv.Question(notice.title, notice.text, "Press any key to go on.", "bold red")
        if self.ending is not None:
            return pv.Question(
                "End the session?", cues.CONFIRM_END, "e or y to end it, any other key to go on"
            )
        entry = self.pain
        if entry is not None:
            if entry.score is None:
                ask = self.board.ask_pain
                text = cues.ASK_PAIN_NOW if entry.voluntary or ask is None else ask.prompt
                return pv.Question("Pain check", text, PAIN_KEYS)
            asked = len(entry.answers)
            answered = "   ".join(
                f"{q} {'yes' if a else 'no'}"
                for q, a in zip(cues.FLAG_QUESTIONS, entry.answers, strict=False)
            )
            return pv.Question(
                f"Pain {entry.score}/10 · question {asked + 1} of 3",
                cues.FLAG_QUESTIONS[asked],
                "y yes  ·  n no",
                answered=answered,
            )
        if view.awaiting == "rating":
            return pv.Question("How did it feel?", self.board.ask_rating, RATING_HELP)
        return None

    def _keys(self, view: Progress, tap: str | None = None) -> list[tuple[str, str]]:
        quit_key = ("q", "save & quit")
        if self.notices:
            return [("any key", "go on"), quit_key]
        if self.ending is not None:
            return [("e or y", "end session"), ("any other key", "carry on")]
        end = [END_HELP] if self._may_end() else []
        entry = self.pain
        if entry is not None and entry.score is None:
            other = ("x", "cancel") if entry.voluntary else ("s", "skip question")
            return [("0-9", "pain"), ("t", "10"), other, *end, quit_key]
        if entry is not None:
            return [("y", "yes"), ("n", "no"), ("Backspace", "undo"), quit_key]
        if view.awaiting == "rating":
            return [("1", "too easy"), ("2", "about right"), ("3", "too hard"), ("s", "skip"), *end]
        return [
            ("space", "resume" if view.paused else "pause"),
            *([("r", TAP_SHORT[tap])] if tap else []),
            ("s", "skip"),
            ("b", "back"),
            ("p", "pain"),
            *self._camera_key(),
            *end,
            quit_key,
        ]

    def _camera_key(self) -> list[tuple[str, str]]:
        if self.camera is None or not self.camera.available:
            return []
        return [(CAMERA_KEY, "camera off" if self.camera.on else "camera on")]


class NotATerminal(RuntimeError):
    """The player needs key presses from a terminal."""


def play(
    live: LiveSession,
    voice: bool = False,
    *,
    console: Console | None = None,
    speaker: Speaker | None = None,
    camera: int | None = None,
    camera_file: Path | None = None,
) -> SessionSummary | None:
    """Run the session interactively in the terminal until it finishes or the person quits (q).
    Returns the summary, or None when the person quit (everything done so far is already saved;
    the session stays resumable). With ``camera`` (webcam N) or ``camera_file`` (a video, for
    tests) the camera counts the reps (``player_camera``); when it cannot, the player says why
    and the timer runs the session."""
    if console is None:
        from backcoach.cli.common import console as shared

        console = shared
    if not sys.stdin.isatty():
        raise NotATerminal(
            "the session player reads single key presses and needs a terminal; run "
            "`backcoach start` in a terminal, or `backcoach start --auto` to run it unattended"
        )
    if voice and speaker is None:
        speaker = find_speaker()
        if speaker is None:
            console.print(MISSING_NOTE, style="dim")
    watcher: Watcher | None = None
    if camera is not None or camera_file is not None:
        watcher, problem = open_watcher(camera, camera_file)
        if problem is not None:
            console.print(f"No camera: {problem}. The session runs on the timer.", style="yellow")
    quiet: AbstractContextManager[None] = nullcontext()
    if watcher is not None and watcher.available:
        quiet = quiet_stderr()
    with cbreak(sys.stdin) as keys, quiet:
        summary = run(live, keys, console, live.now, speaker, camera=watcher)
    return summary


def run(
    live: LiveSession,
    keys: Keys,
    console: Console,
    clock: Callable[[], float],
    speaker: Speaker | None = None,
    screen: bool = True,
    camera: Watcher | None = None,
) -> SessionSummary | None:
    """The player's loop: draw, wait for keys a frame at a time, tick the engine."""
    player = Player(live.engine, speaker, camera)
    player.take(live.first_effects)
    if live.engine.state.watched:
        # Carried on from a browser whose camera counted: here no camera has counted yet, so
        # the timer leads (as a browser taking over does, web.live).
        player.send(Watch(clock(), on=False))
    player.tick(clock())
    ended = False
    try:
        with Live(console=console, screen=screen, auto_refresh=False, transient=True) as display:
            while not player.done:
                display.update(pv.render(player.screen(clock())), refresh=True)
                # Player.key is False for q or Ctrl-C; all() stops at the first such key.
                if not all(player.key(key, clock()) for key in keys.read(FRAME_SECONDS)):
                    break
                player.tick(clock())
            ended = player.done  # else the person quit
    except KeyboardInterrupt:
        pass  # Ctrl-C outside the key reader: the same as q
    finally:
        if camera is not None:
            camera.close()  # the camera goes off with the player, however it ends
        if speaker is not None and not ended:
            speaker.close()  # the person left (or something broke): silence at once
    if not ended:
        live.release()  # another place may carry it on at once
        return None  # the caller says how to carry on; every finished set is already saved
    if player.summary is not None:
        show_summary(console, player, live)
    if speaker is not None:
        _finish_speaking(speaker)
    return player.summary


def _finish_speaking(speaker: Speaker) -> None:
    """Let the last words ("Well done") be spoken while the summary is on screen."""
    try:
        speaker.drain(DRAIN_SECONDS)
    except KeyboardInterrupt:
        pass  # Ctrl-C while they are spoken only silences them
    finally:
        speaker.close()


def show_summary(console: Console, player: Player, live: LiveSession) -> None:
    """The summary from the session's records (``services.session_summary``), so it agrees
    with history, progress and the browser whatever was resumed or carried on elsewhere."""
    from backcoach.cli.start_cmd import live_summary_panel

    assert player.summary is not None
    if player.rescreen is not None:
        console.print(Panel(player.rescreen.advice, title="Before your next session", style="red"))
    console.print(live_summary_panel(live))
