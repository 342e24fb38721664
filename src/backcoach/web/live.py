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

Other processes share the records (``backcoach forget``, ``import`` or ``start`` in a terminal),
so before every request lets the held session act, one primary-key read checks that its row is
still there, still in progress and started at the same moment (after ``forget`` SQLite hands out
the same ids again, so the id alone proves nothing). A session that was deleted, replaced or
ended elsewhere is dropped and its events answer 409 with what happened and what to do
(``session-forgotten``, ``session-replaced``, ``session-ended``); nothing more is written for
it. Any other failure while applying events drops the held session too, so the next request
carries on from the records instead of failing until the server is restarted.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    from backcoach.records.tables import SessionRow
    from backcoach.services.sessions import LiveSession

log = logging.getLogger(__name__)

CLOCK_SPEED_VARIABLE = "BACKCOACH_TEST_CLOCK_SPEED"
"""Test-only: session seconds per real second for `backcoach serve` (browser tests)."""

HEARTBEAT_SECONDS = 5.0
"""The page sends a tick at least this often (real seconds) while a session runs."""

LOST_CONTACT_SECONDS = 15.0
"""Real seconds without a word from the page, during an exercise, after which the session is
taken as paused from the moment the page was last heard: three missed heartbeats. A closed
lid, a lost phone or a reload must never run the timer on without the person."""

RETIRED_KEPT = 32
"""Sessions dropped here whose reason is remembered, so their page is told what happened."""

FINISHED_EVENTS = frozenset({"tick", "dismiss"})
"""Events a finished session still takes (they only show its summary; nothing is recorded)."""

START_FIX = "start a new session (POST /api/sessions, or reload the page and press Start)"

EventType = Literal[
    "tick", "rep", "pause", "resume", "skip", "back", "pain", "rate", "end", "dismiss"
]


class SessionEvent(BaseModel):
    """One thing the person did (or the page's clock noticed); see docs/web-api.md.

    Strict, with no unknown fields: a pain report decides whether an exercise stops, so a
    score of "5" or a flag of "no" is refused (422) rather than coerced or read as false."""

    model_config = ConfigDict(strict=True, extra="forbid")

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
    started_at: dt.datetime | None
    """The session row's start, read back from the records: with the id, which session it is."""
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
        self._retired: dict[int, ApiError] = {}
        """Why sessions were dropped here, by id: what their page is told (newest kept)."""

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
            self._drop_if_gone()
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
            entry = self._hold(live)
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
        return self._hold(live)

    def _hold(self, live: LiveSession) -> _Entry:
        """Keep ``live`` as the session running here, with the start its row records."""
        row = self.coach.store.session(live.session_id)
        started = _utc(row.started_at) if row is not None else None
        self._retired.pop(live.session_id, None)
        self._entry = entry = _Entry(live, started, pending=live.first_effects)
        return entry

    # --- running ------------------------------------------------------------------------------

    def current(self) -> Step | None:
        """The live (or just finished) session after letting the clock act; None if none."""
        with self._lock:
            self._drop_if_gone()
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
            self._drop_if_gone()
            entry = self._entry
            if entry is None or entry.live.session_id != session_id:
                if session_id in self._retired:
                    why = self._retired[session_id]  # a fresh error each time, same words
                    raise ApiError(why.status, **why.detail.model_dump())
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
            if entry.live.finished and event.type not in FINISHED_EVENTS:
                raise ApiError(
                    409,
                    "session-finished",
                    f"session {session_id} has finished, so nothing more can be recorded in "
                    f"it (a {event.type} event came after its end); what was done is saved",
                    field="session_id",
                    value=session_id,
                    fix=START_FIX,
                )
            if not entry.live.finished:
                self._check_gate()
            if event.type == "dismiss":
                entry.board.dismiss()
                return self._apply(entry, [])
            return self._apply(entry, self._events(entry, event))

    def reset(self) -> None:
        """Forget the session held here: the records were replaced or deleted (import and
        forget call this). Its page is told so on its next event (409 ``session-forgotten``)."""
        with self._lock:
            entry = self._entry
            if entry is not None and not entry.live.finished:
                self._retire(entry, _forgotten(entry.live.session_id))
            self._entry = None

    def _unfinished_id(self) -> int | None:
        row = self.coach.store.unfinished_session()
        return row.id if row is not None else None

    # --- sessions changed by another process -------------------------------------------------

    def _drop_if_gone(self) -> None:
        """Drop the held session when its records no longer match it (one primary-key read)."""
        entry = self._entry
        if entry is None:
            return
        gone = self._gone(entry, self.coach.store.session(entry.live.session_id))
        if gone is not None:
            log.warning("live session dropped: %s", gone.detail.message)
            self._retire(entry, gone)

    def _gone(self, entry: _Entry, row: SessionRow | None) -> ApiError | None:
        """Why the held session can take no more events, or None when its row still matches."""
        sid = entry.live.session_id
        if row is None:
            return _forgotten(sid)
        if entry.started_at is not None and _utc(row.started_at) != entry.started_at:
            return ApiError(
                409,
                "session-replaced",
                f"session {sid} was replaced while it was running: its records were deleted "
                "or replaced elsewhere (backcoach forget or import) and the number now belongs "
                f"to another session, started {_utc(row.started_at):%Y-%m-%d %H:%M} UTC. "
                "Nothing more is saved from this page",
                field="session_id",
                value=sid,
                fix=START_FIX,
            )
        if row.status != "in-progress" and not entry.live.finished:
            return ApiError(
                409,
                "session-ended",
                f"session {sid} was ended elsewhere (it is now {row.status}), for example by "
                "`backcoach start` in a terminal or by another page starting afresh; what was "
                "done before is saved, and nothing more is saved from this page",
                field="session_id",
                value=sid,
                fix=f"{START_FIX}, or carry on in the place that ended it",
            )
        return None

    def _retire(self, entry: _Entry, why: ApiError) -> None:
        sid = entry.live.session_id
        self._retired.pop(sid, None)
        self._retired[sid] = why
        while len(self._retired) > RETIRED_KEPT:
            del self._retired[next(iter(self._retired))]
        if self._entry is entry:
            self._entry = None

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
        """Let the clock act, then the events. Any failure drops the held session, so the next
        request carries on from the records (at the next unsaved set) instead of failing on an
        engine left half-way; a failure because its records were deleted or replaced meanwhile
        (another process, between the check and the write) is that 409, not a server error."""
        try:
            return self._run(entry, events)
        except Exception:
            if self._entry is entry:
                self._entry = None
            try:
                gone = self._gone(entry, self.coach.store.session(entry.live.session_id))
            except Exception:  # the records cannot be read either: the first error stands
                gone = None
            if gone is None:
                raise
            self._retire(entry, gone)
            raise gone from None

    def _run(self, entry: _Entry, events: list[Event | None]) -> Step:
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


def _forgotten(session_id: int) -> ApiError:
    return ApiError(
        409,
        "session-forgotten",
        f"session {session_id} was ended because its records were deleted (backcoach forget) "
        "or replaced (an import) while it was running; nothing more is saved from this page",
        field="session_id",
        value=session_id,
        fix=START_FIX,
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    from backcoach.records.store import as_utc

    return as_utc(moment)


def _name(coach: Coach, exercise_id: str) -> str:
    try:
        return coach.exercise(exercise_id).name
    except LookupError:
        return exercise_id
