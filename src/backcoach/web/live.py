"""Live sessions for the browser: the server runs the engine, the page shows it and reports.

One ``LiveSessions`` per app (one person per app, as for the CLI) holds the running session:
its engine, the recorder that saves every effect the moment it comes (``services.sessions``)
and the ``Board`` of what the page shows. Every request first lets the session clock act
(the engine finishes every phase whose deadline has passed), then applies the event.

The session clock is wall time times a speed (1 in real use; more in browser tests), so any
process reading it agrees. The state lives in this process; when the process is restarted the
session is picked up from the records (``resume_unfinished``) at its next unsaved set, paused,
exactly as ``backcoach start`` does after a crash. A table for the engine state would make a
restart seamless too; the saved sets already make it safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, model_validator

from backcoach.session import (
    Back,
    Effect,
    Event,
    ExerciseStopped,
    PainReport,
    Pause,
    Rate,
    RepDone,
    RescreenNeeded,
    Resume,
    Skip,
    Stop,
    Tick,
)
from backcoach.web.api_errors import ApiError
from backcoach.web.live_view import Board, Step, build_view, make_step

if TYPE_CHECKING:
    from backcoach.coach import Coach
    from backcoach.services.sessions import LiveSession

CLOCK_SPEED_VARIABLE = "BACKCOACH_TEST_CLOCK_SPEED"
"""Test-only: session seconds per real second for `backcoach serve` (browser tests)."""

HEARTBEAT_SECONDS = 5.0
"""The page sends a tick at least this often (real seconds) while a session runs."""

LOST_CONTACT_SECONDS = 15.0
"""Real seconds without a word from the page, during an exercise, after which the session is
taken as paused from the moment the page was last heard: three missed heartbeats. A closed
lid, a lost phone or a reload must never run the timer on without the person."""

EventType = Literal[
    "tick", "rep", "pause", "resume", "skip", "back", "pain", "rate", "end", "dismiss"
]


class SessionEvent(BaseModel):
    """One thing the person did (or the page's clock noticed); see docs/web-api.md."""

    type: EventType
    score: int | None = Field(default=None, ge=0, le=10, description="pain: 0-10")
    sharp: bool = False
    spreading: bool = False
    numbness: bool = False
    resume_after: bool = Field(
        default=False, description="pain: resume the timer afterwards if the exercise goes on"
    )
    rating: Literal["too-easy", "about-right", "too-hard"] | None = None

    @model_validator(mode="after")
    def _needs(self) -> SessionEvent:
        if self.type == "pain" and self.score is None:
            raise ValueError("score: a pain event needs a score; send a whole number 0-10")
        if self.type == "rate" and self.rating is None:
            raise ValueError(
                "rating: a rate event needs a rating; send too-easy, about-right or too-hard"
            )
        return self


class StartRequest(BaseModel):
    minutes: int | None = Field(default=None, description="session length for a new session")
    resume: bool = Field(default=True, description="carry on an unfinished session if any")
    pregnancy_warning_signs: bool | None = Field(
        default=None, description="asked when the profile records a pregnancy: any sign today?"
    )


@dataclass(frozen=True)
class SessionClock:
    """Wall time times ``speed``: one clock every process agrees on."""

    speed: float = 1.0
    wall: Callable[[], float] = time.time

    def now(self) -> float:
        return self.wall() * self.speed


def clock_speed_from_environ(environ: Mapping[str, str]) -> float:
    raw = environ.get(CLOCK_SPEED_VARIABLE, "").strip()
    if not raw:
        return 1.0
    try:
        speed = float(raw)
    except ValueError:
        speed = 0.0
    if not 0 < speed <= 1000:
        raise ValueError(
            f"{CLOCK_SPEED_VARIABLE}={raw!r} is not a speed; use a number above 0 (1 is real "
            "time), or unset it"
        )
    return speed


@dataclass
class _Entry:
    live: LiveSession
    board: Board = field(default_factory=Board)
    last_contact: float = 0.0
    pending: tuple[Effect, ...] = ()
    """Effects made outside a request's own events (the start or resume), not yet shown."""


class LiveSessions:
    """The live session of one app; every method is safe to call from several threads."""

    def __init__(self, coach: Coach, clock: SessionClock) -> None:
        self.coach = coach
        self.clock = clock
        self._lock = threading.Lock()
        self._entry: _Entry | None = None

    # --- before and start ---------------------------------------------------------------------

    def before(self) -> dict[str, Any]:
        """What to ask or say before a session starts (docs/web-api.md)."""
        from backcoach.safety import pregnancy
        from backcoach.services.progression import pending_next_day_questions

        coach = self.coach
        gate = coach.gate()
        questions = []
        for session_id, item_index, exercise_id, day in pending_next_day_questions(coach):
            name = _name(coach, exercise_id)
            questions.append(
                {
                    "session_id": session_id,
                    "item_index": item_index,
                    "exercise_id": exercise_id,
                    "name": name,
                    "day": day,
                    "question": f"Had the pain after {name} ({day}) settled by this morning?",
                }
            )
        unfinished = coach.store.unfinished_session()
        return {
            "allowed": gate.allowed,
            "refused": None
            if gate.allowed
            else {"code": f"plan-refused:{gate.code}", "message": gate.reason},
            "pregnancy_question": (
                {"question": pregnancy.QUESTION, "signs": list(pregnancy.PREGNANCY_WARNING_SIGNS)}
                if pregnancy.check_needed(coach.profile().conditions)
                else None
            ),
            "next_day_questions": questions,
            "unfinished": (
                {"session_id": unfinished.id, "started_at": unfinished.started_at.isoformat()}
                if unfinished is not None
                else None
            ),
        }

    def begin(self, request: StartRequest) -> tuple[Step, bool]:
        """Resume the unfinished session or start today's; True when a new one started."""
        from backcoach.services import sessions

        self._pregnancy_check(request.pregnancy_warning_signs)
        self._check_gate()
        with self._lock:
            entry = self._entry
            if entry is not None and not entry.live.finished:
                if request.resume:
                    return self._apply(entry, []), False
                sessions.abandon(self.coach, entry.live.session_id)
                self._entry = None
            unfinished = self.coach.store.unfinished_session()
            if unfinished is not None:
                if request.resume:
                    return self._apply(self._pick_up(), []), False
                sessions.abandon(self.coach, unfinished.id)
            live = sessions.begin(self.coach, "web", self.clock.now(), request.minutes)
            self._entry = entry = _Entry(live, pending=live.first_effects)
            return self._apply(entry, []), True

    def _check_gate(self) -> None:
        """A session carries on only while the warning-sign screen allows a plan, as a new one
        starts only then: answers showing an emergency, or a new symptom, taken after the session
        began stop it where it is (409 ``plan-refused:<code>``, the same calm advice). What was
        saved stays saved; after a clear screen the session can carry on."""
        from backcoach.coach import PlanRefused

        gate = self.coach.gate()
        if not gate.allowed:
            raise PlanRefused(gate.reason, gate.code)

    def _pregnancy_check(self, answer: bool | None) -> None:
        """Pregnancy: the ACOG warning signs are asked before every session (as the CLI does)."""
        from backcoach.safety import pregnancy

        if not pregnancy.check_needed(self.coach.profile().conditions):
            return
        if answer is None:
            raise ApiError(
                409,
                "pregnancy-question",
                pregnancy.QUESTION,
                field="pregnancy_warning_signs",
                fix="answer true or false in pregnancy_warning_signs",
            )
        if answer:
            raise ApiError(409, "pregnancy-warning", pregnancy.ADVICE)

    def _pick_up(self) -> _Entry:
        """Carry on the unfinished session in the records at its next unsaved set, paused."""
        from backcoach.services.sessions import resume_unfinished

        try:
            live = resume_unfinished(self.coach, self.clock.now())
        except (ValueError, LookupError) as exc:
            raise ApiError(
                409,
                "cannot-resume",
                f"the unfinished session cannot be carried on: {exc}",
                fix="start a new session with resume false; what was saved stays saved",
            ) from None
        assert live is not None
        self._entry = entry = _Entry(live, pending=live.first_effects)
        return entry

    # --- running ------------------------------------------------------------------------------

    def current(self) -> Step | None:
        """The live (or just finished) session after letting the clock act; None if none."""
        with self._lock:
            entry = self._entry
            finished = entry is None or entry.live.finished
            if finished and self.coach.store.unfinished_session() is not None:
                entry = self._pick_up()
            if entry is None:
                return None
            if not entry.live.finished:
                self._check_gate()
            return self._apply(entry, [])

    def send(self, session_id: int, event: SessionEvent) -> Step:
        with self._lock:
            entry = self._entry
            if entry is None or entry.live.session_id != session_id:
                if entry is None and self._unfinished_id() == session_id:
                    entry = self._pick_up()
                else:
                    raise ApiError(
                        409,
                        "session-not-live",
                        f"session {session_id} is not the session running now",
                        field="session_id",
                        value=session_id,
                        fix="GET /api/sessions/current for the live session, or POST "
                        "/api/sessions to start one",
                    )
            if not entry.live.finished:
                self._check_gate()
            if event.type == "dismiss":
                entry.board.dismiss()
                return self._apply(entry, [])
            return self._apply(entry, self._events(entry, event))

    def reset(self) -> None:
        """Forget the session held here: the records were replaced or deleted."""
        with self._lock:
            self._entry = None

    def _unfinished_id(self) -> int | None:
        row = self.coach.store.unfinished_session()
        return row.id if row is not None else None

    def _events(self, entry: _Entry, event: SessionEvent) -> list[Event | None]:
        """The engine events for one page event; None marks "resume if nothing stopped"."""
        now = self.clock.now()
        simple: dict[str, Event] = {
            "tick": Tick(now),
            "rep": RepDone(now),
            "pause": Pause(now),
            "resume": Resume(now),
            "skip": Skip(now),
            "back": Back(now),
            "end": Stop(now),
        }
        if event.type in simple:
            return [simple[event.type]]
        if event.type == "rate":
            assert event.rating is not None
            return [Rate(now, event.rating)]
        assert event.score is not None
        report = PainReport(now, event.score, event.sharp, event.spreading, event.numbness)
        state = entry.live.engine.state
        if event.resume_after and state.stage == "exercise" and state.paused:
            return [report, None]
        return [report]

    def _apply(self, entry: _Entry, events: list[Event | None]) -> Step:
        engine = entry.live.engine
        now = self.clock.now()
        wall = self.clock.wall()
        state = engine.state
        out: list[Effect] = list(entry.pending)
        entry.pending = ()
        if (
            entry.last_contact
            and wall - entry.last_contact > LOST_CONTACT_SECONDS
            and state.stage == "exercise"
            and not state.paused
        ):
            # Paused from the moment the page was last heard, not from now.
            out.extend(engine.send(Pause(state.clock)))
        entry.last_contact = wall
        for event in [Tick(now), *events]:
            if event is None:
                # Resume after a pain report the page paused to ask, unless it ended the
                # exercise (the next one then waits, paused, for the person).
                if any(isinstance(e, ExerciseStopped | RescreenNeeded) for e in out):
                    continue
                event = Resume(now)
            out.extend(engine.send(event))
        effects = tuple(out)
        entry.board.take(effects, engine.definition)
        view = build_view(
            entry.live.session_id,
            engine.definition,
            engine.state,
            entry.board,
            now,
            self.clock.speed,
        )
        return make_step(view, effects)


def _name(coach: Coach, exercise_id: str) -> str:
    try:
        return coach.exercise(exercise_id).name
    except LookupError:
        return exercise_id
