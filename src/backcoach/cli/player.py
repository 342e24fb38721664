"""The terminal session player: shows the engine's progress and turns key presses into events.

The engine does the counting and timing, and the recorder saves every effect as it comes; the
player only draws and listens. ``Player`` holds what the screen adds to the engine (the latest
cue, the question being answered, advice waiting to be read) and is tested without a terminal;
``play`` wraps it in a Rich ``Live`` display and a terminal in cbreak mode.

Quitting (q or Ctrl-C) sends no event: the session stays in progress in the records, so the
next ``backcoach start`` offers to carry on from the last saved set.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.live import Live
from rich.panel import Panel

from backcoach.cli import player_view as pv
from backcoach.cli.player_keys import Keys, cbreak
from backcoach.cli.voice import MISSING_NOTE, Speaker, find_speaker, speak_effects
from backcoach.services.sessions import LiveSession
from backcoach.session import (
    AskPain,
    AskRating,
    Back,
    BreathCue,
    Cue,
    Effect,
    Engine,
    Event,
    ExerciseStopped,
    PainReport,
    Pause,
    PhaseStarted,
    Progress,
    Rate,
    Rating,
    RepDone,
    RescreenNeeded,
    Resume,
    SessionFinished,
    SessionSummary,
    Skip,
    Tick,
)

FRAME_SECONDS = 0.125
"""Eight frames a second: the countdown never looks late, and the CPU stays idle."""

PAIN_NOW = "How much pain do you have right now, from 0 to 10?"
PAIN_KEYS = "Press 0-9, or t for 10."
FLAG_QUESTIONS = (
    "Is the pain sharp or shooting?",
    "Is pain spreading down your leg?",
    "Any new numbness, tingling or weakness?",
)
RATING_KEYS: dict[str, Rating] = {"1": "too-easy", "2": "about-right", "3": "too-hard"}
RATING_HELP = "1 too easy  ·  2 about right  ·  3 too hard"
SCORE_KEYS = {**{str(n): n for n in range(10)}, "t": 10}
QUIT_KEYS = frozenset({"q", "ctrl-c"})
WORK_PHASES = frozenset({"get-ready", "move", "hold", "timed", "switch-side", "rest"})


@dataclass
class PainEntry:
    """A pain report being typed in: the score, then (during an exercise) three y/n flags."""

    flags: bool
    voluntary: bool
    """Opened with ``p`` rather than asked by the engine."""
    resume_after: bool
    """The player paused the timer to ask, so it resumes once the answer is in."""
    score: int | None = None
    answers: list[bool] = field(default_factory=list)


@dataclass(frozen=True)
class Notice:
    """Advice that must be read: it stays on screen until a key is pressed."""

    title: str
    text: str


class Player:
    """The screen's side of a session: feeds the engine events, keeps what it must show."""

    def __init__(self, engine: Engine, speaker: Speaker | None = None) -> None:
        self.engine = engine
        self.speaker = speaker
        self.cue = ""
        self.breath: str | None = None
        self.ask_pain = PAIN_NOW
        self.ask_rating = "How did that exercise feel?"
        self.pain: PainEntry | None = None
        self.notices: list[Notice] = []
        self.summary: SessionSummary | None = None
        self.rescreen: RescreenNeeded | None = None

    @property
    def done(self) -> bool:
        """The session is over and every notice has been read."""
        return self.engine.finished and not self.notices

    def take(self, effects: Sequence[Effect]) -> None:
        fresh_cue = False
        for effect in effects:
            if isinstance(effect, Cue):
                self.cue, fresh_cue = effect.text, True
            elif isinstance(effect, BreathCue):
                self.breath = effect.breath
            elif isinstance(effect, PhaseStarted):
                self.breath = None
                if not fresh_cue:
                    # An older cue belongs to the phase that just ended; one from this same
                    # step (e.g. "Bridge: done." before the check-in) still applies.
                    self.cue = ""
            elif isinstance(effect, AskPain):
                self.ask_pain = effect.prompt
            elif isinstance(effect, AskRating):
                self.ask_rating = effect.prompt
            elif isinstance(effect, ExerciseStopped):
                name = self._name(effect.exercise_id)
                self.notices.append(Notice(f"{name} stopped", effect.decision.advice))
            elif isinstance(effect, RescreenNeeded):
                self.rescreen = effect
                # This advice covers (and outranks) the "exercise stopped" one that may come
                # with it: one screen to read, not two.
                self.notices = [Notice("Stop here for today", effect.advice)]
            elif isinstance(effect, SessionFinished):
                self.summary = effect.summary
        if self.speaker is not None:
            speak_effects(self.speaker, effects)

    def send(self, event: Event) -> tuple[Effect, ...]:
        effects = self.engine.send(event)
        self.take(effects)
        return effects

    def tick(self, now: float) -> None:
        self.send(Tick(now))
        self._sync(now)
        if self.speaker is not None:
            self.speaker.poll()

    def key(self, key: str, now: float) -> bool:
        """Handle one key; False when the person quits."""
        if key in QUIT_KEYS:
            return False
        if self.notices:
            self.notices.pop(0)
        elif self.pain is not None:
            self._pain_key(self.pain, key, now)
        elif self.engine.progress(now).awaiting == "rating":
            self._rating_key(key, now)
        else:
            self._run_key(key, now)
        self._sync(now)
        return True

    def _sync(self, now: float) -> None:
        """Open or close the pain question to match what the engine is waiting for."""
        view = self.engine.progress(now)
        if view.awaiting == "pain":
            if self.pain is None or self.pain.voluntary:
                self.pain = PainEntry(view.phase == "check-in", False, False)
        elif self.pain is not None and not self.pain.voluntary:
            self.pain = None
        if self.pain is not None and self.pain.voluntary and view.phase not in WORK_PHASES:
            self.pain = None  # the exercise ended under the question (e.g. skipped)

    def _run_key(self, key: str, now: float) -> None:
        view = self.engine.progress(now)
        if key == "space":
            self.send(Resume(now) if view.paused else Pause(now))
        elif key == "s":
            self.send(Skip(now))
        elif key == "b":
            self.send(Back(now))
        elif key in ("r", "enter"):
            self.send(RepDone(now))
        elif key == "p" and view.phase in WORK_PHASES:
            if not view.paused:
                self.send(Pause(now))
            self.pain = PainEntry(True, True, resume_after=not view.paused)

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

    def _name(self, exercise_id: str | None) -> str:
        for script in self.engine.definition.items:
            if script.exercise.id == exercise_id:
                return script.exercise.name
        return exercise_id or "The exercise"

    # --- what to draw ---------------------------------------------------------------------

    def screen(self, now: float) -> pv.Screen:
        view = self.engine.progress(now)
        return pv.Screen(view, self.cue, self.breath, self._question(view), self._keys(view))

    def _question(self, view: Progress) -> pv.Question | None:
        if self.notices:
            notice = self.notices[0]
            return pv.Question(notice.title, notice.text, "Press any key to go on.", "bold red")
        entry = self.pain
        if entry is not None:
            if entry.score is None:
                text = PAIN_NOW if entry.voluntary else self.ask_pain
                return pv.Question("Pain check", text, PAIN_KEYS)
            asked = len(entry.answers)
            answered = "   ".join(
                f"{q} {'yes' if a else 'no'}"
                for q, a in zip(FLAG_QUESTIONS, entry.answers, strict=False)
            )
            return pv.Question(
                f"Pain {entry.score}/10 · question {asked + 1} of 3",
                FLAG_QUESTIONS[asked],
                "y yes  ·  n no",
                answered=answered,
            )
        if view.awaiting == "rating":
            return pv.Question("How did it feel?", self.ask_rating, RATING_HELP)
        return None

    def _keys(self, view: Progress) -> list[tuple[str, str]]:
        quit_key = ("q", "save & quit")
        if self.notices:
            return [("any key", "go on"), quit_key]
        entry = self.pain
        if entry is not None and entry.score is None:
            other = ("x", "cancel") if entry.voluntary else ("s", "skip question")
            return [("0-9", "pain"), ("t", "10"), other, quit_key]
        if entry is not None:
            return [("y", "yes"), ("n", "no"), ("Backspace", "undo"), quit_key]
        if view.awaiting == "rating":
            return [("1", "too easy"), ("2", "about right"), ("3", "too hard"), ("s", "skip")]
        return [
            ("space", "resume" if view.paused else "pause"),
            ("r", "rep done"),
            ("s", "skip"),
            ("b", "back"),
            ("p", "pain"),
            quit_key,
        ]


class NotATerminal(RuntimeError):
    """The player needs key presses from a terminal."""


def play(
    live: LiveSession,
    voice: bool = False,
    *,
    console: Console | None = None,
    speaker: Speaker | None = None,
) -> SessionSummary | None:
    """Run the session interactively in the terminal until it finishes or the person quits (q).
    Returns the summary, or None when the person quit (everything done so far is already saved;
    the session stays resumable)."""
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
    with cbreak(sys.stdin) as keys:
        summary = run(live, keys, console, time.monotonic, speaker)
    return summary


def run(
    live: LiveSession,
    keys: Keys,
    console: Console,
    clock: Callable[[], float],
    speaker: Speaker | None = None,
    screen: bool = True,
) -> SessionSummary | None:
    """The player's loop: draw, wait for keys a frame at a time, tick the engine."""
    player = Player(live.engine, speaker)
    player.take(live.first_effects)
    player.tick(clock())
    quit_ = False
    try:
        with Live(console=console, screen=screen, auto_refresh=False, transient=True) as display:
            while not player.done:
                display.update(pv.render(player.screen(clock())), refresh=True)
                for key in keys.read(FRAME_SECONDS):
                    if not player.key(key, clock()):
                        quit_ = True
                        break
                if quit_:
                    break
                player.tick(clock())
    except KeyboardInterrupt:
        quit_ = True
    finally:
        if speaker is not None:
            speaker.close()
    if quit_ or player.summary is None:
        return None  # the caller says how to carry on; every finished set is already saved
    show_summary(console, player)
    return player.summary


ENDINGS = {
    "completed": "Session complete",
    "stopped": "Session stopped early",
    "rescreen": "Session ended for your safety",
}


def show_summary(console: Console, player: Player) -> None:
    summary = player.summary
    assert summary is not None
    if player.rescreen is not None:
        console.print(Panel(player.rescreen.advice, title="Before your next session", style="red"))
    names = {s.exercise.id: s.exercise.name for s in player.engine.definition.items}
    lines = [
        f"[bold]{ENDINGS.get(summary.ended_by, summary.ended_by)}[/]",
        f"Exercises: {len(summary.finished)} finished, {len(summary.stopped)} stopped, "
        f"{len(summary.skipped)} skipped (of {summary.items_planned})",
        f"Sets done: {summary.sets_done} of {summary.sets_planned}",
        f"Active time: {_duration(summary.active_seconds)}",
    ]
    if summary.pain_before is not None or summary.pain_after is not None:
        lines.append(f"Pain: {_score(summary.pain_before)} → {_score(summary.pain_after)}")
    for label, ids in (("Stopped", summary.stopped), ("Skipped", summary.skipped)):
        if ids:
            lines.append(f"{label}: {', '.join(names.get(i, i) for i in ids)}")
    console.print(Panel("\n".join(lines), title="Session summary", expand=False))


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _score(score: int | None) -> str:
    return "not given" if score is None else f"{score}/10"
