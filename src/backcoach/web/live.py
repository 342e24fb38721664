"""Live sessions for the browser: the server runs the engine, the page shows it and reports.

The running session's engine state lives in the database (``services.live``: one row per
session with a version, the player driving it and the clock anchor), so any process can serve
any event: each request is one transaction that locks the row, answers an event id it has seen
with the answer it got, checks the player, rebuilds the engine, lets the clock act, applies the
event, writes the effects, and saves the state, what the page shows (``Board``) and the answer.
Nothing here lives between requests but a cache of plans and a note of the sessions this
process served (to tell a session replaced after ``forget`` from one that is not live).

One ``LiveSessions`` serves everyone the app serves (in the clinic, many people): it holds no
person. Every method is given the person it is for (a ``PersonContext``, from ``PersonDep``)
and reads and writes only through that person's store; its notes are keyed by (person id,
session id), so two people never share one.

A page names itself with the ``X-Backcoach-Player`` header (one id per tab; requests without it
are the one player "api"). Events from any other player than the one driving the session
answer 409 ``session-elsewhere``; ``POST /api/sessions/{id}/take-over`` hands it over, and the
old player's next event is told so. A player not heard for ``LOST_CONTACT_SECONDS`` has let the
session go: opening it elsewhere carries it on there, paused where it was last heard.

Other processes share the records (``backcoach forget``, ``import`` or ``start`` in a
terminal): a session whose rows were deleted, replaced or ended elsewhere answers 409 with
what happened and what to do (``session-forgotten``, ``session-replaced``, ``session-ended``);
nothing more is written for it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backcoach.services import live as rows
from backcoach.services.live import (
    HEARTBEAT_SECONDS,
    ID_PATTERN,
    LOST_CONTACT_SECONDS,
    START_FIX,
    Anchor,
    Conflict,
)
from backcoach.session import (
    Back,
    Effect,
    Engine,
    Event,
    ExerciseStopped,
    PainReport,
    Pause,
    Rate,
    RepDone,
    RescreenNeeded,
    Resume,
    SessionDefinition,
    SessionState,
    Skip,
    Stop,
    Tick,
    Watch,
    step,
)
from backcoach.web.api_errors import ApiError
from backcoach.web.live_view import Board, Step, build_view, make_step

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from backcoach.app import PersonContext
    from backcoach.planning.plan import Plan
    from backcoach.records.tables import LiveSessionRow, SessionRow

__all__ = ["HEARTBEAT_SECONDS", "LOST_CONTACT_SECONDS", "LiveSessions", "SessionClock"]

log = logging.getLogger(__name__)

CLOCK_SPEED_VARIABLE = "BACKCOACH_TEST_CLOCK_SPEED"
"""Test-only: session seconds per real second for `backcoach serve` (browser tests)."""

SEEN_KEPT = 32
"""Sessions served here whose start is remembered, so a page of one that was replaced after
``forget`` is told so (SQLite gives a deleted session's id to the next one)."""

PLAYER_HEADER = "X-Backcoach-Player"
DEFAULT_PLAYER = "api"
"""The player of requests that name none (API clients; the page always names its tab)."""

FINISHED_EVENTS = frozenset({"tick", "dismiss"})
"""Events a finished session still takes (they only show its summary; nothing is recorded)."""

EventType = Literal[
    "tick", "rep", "pause", "resume", "skip", "back", "pain", "rate", "end", "dismiss", "watch"
]


class SessionEvent(BaseModel):
    """One thing the person did (or the page's clock noticed); see docs/web-api.md.

    Strict, with no unknown fields: a pain report decides whether an exercise stops, so a
    score of "5" or a flag of "no" is refused (422) rather than coerced or read as false."""

    model_config = ConfigDict(strict=True, extra="forbid")

    type: EventType
    id: str | None = Field(
        default=None,
        pattern=ID_PATTERN,
        description="the page's own id for this event (up to 64 of A-Z a-z 0-9 _ . : -); an "
        "event resent with the same id is applied once and answered the same",
    )
    score: int | None = Field(default=None, ge=0, le=10, description="pain: 0-10")
    sharp: bool = False
    spreading: bool = False
    numbness: bool = False
    resume_after: bool = Field(
        default=False, description="pain: resume the timer afterwards if the exercise goes on"
    )
    rating: Literal["too-easy", "about-right", "too-hard"] | None = None
    on: bool | None = Field(
        default=None,
        description="watch: the camera coach is on (true: the movements wait for its count) "
        "or off (false: back to the timer)",
    )

    @model_validator(mode="after")
    def _needs(self) -> SessionEvent:
        if self.type == "pain" and self.score is None:
            raise ValueError("score: a pain event needs a score; send a whole number 0-10")
        if self.type == "watch" and self.on is None:
            raise ValueError("on: a watch event needs on; send true (watching) or false")
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


Key = tuple[int, int]
"""(person id, session id): whose session a note is about."""


class LiveSessions:
    """The live sessions of everyone the app serves, from the database; one per app, safe from
    any thread of any process. Each call names the person it is for."""

    def __init__(self, clock: SessionClock) -> None:
        self.clock = clock
        self._lock = threading.Lock()  # guards the small memories below
        self._seen: dict[Key, dt.datetime] = {}
        """When each session served here started: with the id, which session it is."""
        self._forgotten: set[Key] = set()
        """Sessions served here whose records were deleted or replaced here (``reset``)."""
        self._plans: dict[tuple[int, int, int], tuple[Plan, SessionDefinition]] = {}
        """(person id, session id, plan id) -> the session's plan and definition."""

    # --- before and start ---------------------------------------------------------------------

    def before(self, person: PersonContext) -> dict[str, Any]:
        """What to ask or say before a session starts (docs/web-api.md)."""
        from backcoach.safety import pregnancy
        from backcoach.services.profiles import load_profile
        from backcoach.services.progression import next_day_questions
        from backcoach.services.screening import gate as screen_gate

        store, today = person.store, person.today()
        gate = screen_gate(store, today)
        questions = []
        for session_id, item_index, exercise_id, day in next_day_questions(store, today):
            name = _name(person, exercise_id)
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
        unfinished = store.unfinished_session()
        return {
            "allowed": gate.allowed,
            "refused": None
            if gate.allowed
            else {"code": f"plan-refused:{gate.code}", "message": gate.reason},
            "pregnancy_question": (
                {"question": pregnancy.QUESTION, "signs": list(pregnancy.PREGNANCY_WARNING_SIGNS)}
                if pregnancy.check_needed(load_profile(store).conditions)
                else None
            ),
            "next_day_questions": questions,
            "unfinished": (
                {"session_id": unfinished.id, "started_at": unfinished.started_at.isoformat()}
                if unfinished is not None
                else None
            ),
        }

    def begin(
        self, person: PersonContext, request: StartRequest, player: str = DEFAULT_PLAYER
    ) -> tuple[Step, bool]:
        """Carry on the unfinished session (``resume``) or start today's; True when a new one
        started. Starting afresh ends the unfinished one, wherever it runs."""
        from backcoach.services import sessions

        self._pregnancy_check(person, request.pregnancy_warning_signs)
        self._check_gate(person)
        store = person.store
        wall = self.clock.wall()
        with _conflicts(), store.writing() as s:
            rows.lock_person(s, store.person_id)
            unfinished = store.unfinished_session()
            if unfinished is not None:
                if request.resume:
                    step = self._carry_on(person, s, unfinished, player, wall, take_over=False)
                    return step, False
                sessions.abandon(store, unfinished.id)
            speed = self.clock.speed
            live = sessions.begin(
                store,
                person.catalogue,
                person.today,
                "web",
                wall * speed,
                request.minutes,
                player=player,
                speed=speed,
                wall=self.clock.wall,
            )
            row = rows.lock(s, live.session_id)
            srow = store.session(live.session_id)
            assert row is not None and srow is not None
            board = Board()
            definition = live.engine.definition
            board.take(live.first_effects, definition)
            row.board = board.to_dict()
            self._remember(person, srow)
            view = build_view(
                live.session_id, definition, live.engine.state, board, wall * speed, speed
            )
            return make_step(view, live.first_effects), True

    def _check_gate(self, person: PersonContext) -> None:
        """A session carries on only while the warning-sign screen allows a plan, as a new one
        starts only then: answers showing an emergency, or a new symptom, taken after the session
        began stop it where it is (409 ``plan-refused:<code>``, the same calm advice). What was
        saved stays saved; after a clear screen the session can carry on."""
        from backcoach.errors import PlanRefused
        from backcoach.services.screening import gate as screen_gate

        gate = screen_gate(person.store, person.today())
        if not gate.allowed:
            raise PlanRefused(gate.reason, gate.code)

    def _pregnancy_check(self, person: PersonContext, answer: bool | None) -> None:
        """Pregnancy: the ACOG warning signs are asked before every session (as the CLI does)."""
        from backcoach.safety import pregnancy
        from backcoach.services.profiles import load_profile

        if not pregnancy.check_needed(load_profile(person.store).conditions):
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

    # --- running ------------------------------------------------------------------------------

    def current(self, person: PersonContext, player: str = DEFAULT_PLAYER) -> Step | None:
        """The unfinished session after letting its clock act (carried on here if its player
        let it go), else the newest finished one's summary; None if there is none."""
        store = person.store
        wall = self.clock.wall()
        with _conflicts(), store.writing() as s:
            unfinished = store.unfinished_session()
            if unfinished is not None:
                self._check_gate(person)
                return self._carry_on(person, s, unfinished, player, wall, take_over=False)
            row = rows.newest(s)
            srow = store.session(row.session_id) if row is not None else None
            if row is None or srow is None:
                return None
            state = rows.read_state(row)
            plan, definition = self._definition(person, srow)
            if state is None or not state.finished or state.plan_key != definition.key:
                return None
            now = Anchor.of(row).now(wall)
            board = Board.from_dict(row.board)
            view = build_view(row.session_id, definition, state, board, now, row.clock_speed)
            # Today's session is done: a page opened now says so and offers another, rather
            # than starting one unasked (docs/web-api.md).
            view.done_today = plan.date == person.today()
            return make_step(view, ())

    def take_over(
        self, person: PersonContext, session_id: int, player: str = DEFAULT_PLAYER
    ) -> Step:
        """Run the session here from now on: the player driving it is told on its next event.
        A running exercise pauses where it was last heard."""
        store = person.store
        wall = self.clock.wall()
        with _conflicts(), store.writing() as s:
            rows.lock_person(s, store.person_id)
            srow = self._session(person, session_id)
            if srow.status != "in-progress":
                raise rows.ended(session_id, srow.status)
            unfinished = store.unfinished_session()
            if unfinished is None or unfinished.id != session_id:
                raise _not_live(session_id)
            self._check_gate(person)
            return self._carry_on(person, s, srow, player, wall, take_over=True)

    def send(
        self,
        person: PersonContext,
        session_id: int,
        event: SessionEvent,
        player: str = DEFAULT_PLAYER,
    ) -> Step:
        """Apply one event of ``player`` to the session, once (a resent event id gets the
        answer it got), and answer with the view."""
        store = person.store
        wall = self.clock.wall()
        with _conflicts(), store.writing() as s:
            row = rows.lock(s, session_id)
            if event.id is not None and row is not None:
                answer = rows.applied(s, session_id, event.id)
                if answer is not None:  # a resend: the same answer, nothing applied again
                    srow = store.session(session_id)
                    if srow is not None:
                        self._remember(person, srow)
                    return Step.model_validate(answer)
            srow = self._session(person, session_id)
            if row is None:
                unfinished = store.unfinished_session()
                if unfinished is None or unfinished.id != session_id:
                    raise _not_live(session_id)
                # Started before sessions had live rows: carried on from its records here.
                self._carry_on(person, s, srow, player, wall, take_over=False)
                row = rows.lock(s, session_id)
                assert row is not None
            if row.player != player:
                if srow.status != "in-progress":
                    raise rows.ended(session_id, srow.status)
                raise rows.elsewhere(row, wall)
            _, definition = self._definition(person, srow)
            state = rows.read_state(row)
            if state is None or state.plan_key != definition.key:
                self._carry_on(person, s, srow, player, wall, take_over=False, fresh=True)
                state = rows.read_state(row)
                assert state is not None
            if srow.status != "in-progress" and not state.finished:
                raise rows.ended(session_id, srow.status)
            if state.finished and event.type not in FINISHED_EVENTS:
                raise ApiError(
                    409,
                    "session-finished",
                    f"session {session_id} has finished, so nothing more can be recorded in "
                    f"it (a {event.type} event came after its end); what was done is saved",
                    field="session_id",
                    value=session_id,
                    fix=START_FIX,
                )
            if not state.finished:
                self._check_gate(person)
            board = Board.from_dict(row.board)
            if event.type == "dismiss":
                board.dismiss()
            return self._serve(person, s, row, srow, state, board, wall, event)

    def reset(self, person_id: int) -> None:
        """The person's records were replaced or deleted here (import and forget call this):
        the pages of their sessions served here are told so on their next event
        (``session-forgotten``). Nobody else's sessions are touched."""
        with self._lock:
            theirs = [key for key in self._seen if key[0] == person_id]
            self._forgotten.update(theirs)
            for key in theirs:
                del self._seen[key]
            for cached in [k for k in self._plans if k[0] == person_id]:
                del self._plans[cached]

    # --- the one path every request takes -------------------------------------------------------

    def _carry_on(
        self,
        person: PersonContext,
        s: Session,
        srow: SessionRow,
        player: str,
        wall: float,
        take_over: bool,
        fresh: bool = False,
    ) -> Step:
        """Serve the unfinished session ``srow`` to ``player`` with no event (the clock acts):
        its live row handed over when its player let it go or ``take_over`` says so, or made
        from the records (at the next unsaved set, paused) when it has none it can read."""
        from backcoach.services import sessions

        row = rows.lock(s, srow.id)
        _, definition = self._definition(person, srow)
        state = rows.read_state(row) if row is not None and not fresh else None
        if row is None or state is None or state.plan_key != definition.key:
            speed = self.clock.speed
            live = sessions.resume_unfinished(
                person.store,
                person.catalogue,
                person.today,
                wall * speed,
                player=player,
                kind="web",
                take_over=True,
                speed=speed,
                wall=self.clock.wall,
            )
            assert live is not None and live.session_id == srow.id
            row = rows.lock(s, srow.id)
            assert row is not None
            state, first = live.engine.state, live.first_effects
            return self._serve(person, s, row, srow, state, Board(), wall, None, first)
        effects: tuple[Effect, ...] = ()
        if row.player != player:
            if not (take_over or rows.idle(row, wall)):
                raise rows.elsewhere(row, wall)
            speed = self.clock.speed
            state, effects = rows.hand_over(definition, state, row, player, "web", speed, wall)
            if state.watched:
                # The camera watched in the other player; this one has not turned it on.
                state, more = step(definition, state, Watch(state.clock, on=False))
                effects = (*effects, *more)
        board = Board.from_dict(row.board)
        return self._serve(person, s, row, srow, state, board, wall, None, effects)

    def _serve(
        self,
        person: PersonContext,
        s: Session,
        row: LiveSessionRow,
        srow: SessionRow,
        state: SessionState,
        board: Board,
        wall: float,
        event: SessionEvent | None,
        before: tuple[Effect, ...] = (),
    ) -> Step:
        """Let the clock act, apply the event, write its effects, save the state (version + 1)
        and the answer under the event's id, all in the caller's transaction."""
        from backcoach.services.sessions import SessionRecorder, progress_after

        _, definition = self._definition(person, srow)
        store, catalogue = person.store, person.catalogue
        recorder = SessionRecorder(store, srow.id, progress_after(store, catalogue, person.today))
        engine = Engine(definition, state, [recorder])
        out: list[Effect] = list(before)
        now = Anchor.of(row).now(wall)
        if rows.idle(row, wall) and state.stage == "exercise" and not state.paused:
            # Paused from the moment the player was last heard, not from now.
            out.extend(engine.send(Pause(state.clock)))
        pending: list[Event | None] = [Tick(now)]
        if event is not None and event.type != "dismiss":
            pending.extend(_events(engine, event, now))
        for step_event in pending:
            if step_event is None:
                # Resume after a pain report the page paused to ask, unless it ended the
                # exercise (the next one then waits, paused, for the person).
                if any(isinstance(e, ExerciseStopped | RescreenNeeded) for e in out):
                    continue
                step_event = Resume(now)
            out.extend(engine.send(step_event))
        effects = tuple(out)
        board.take(effects, definition)
        view = build_view(srow.id, definition, engine.state, board, now, row.clock_speed)
        answer = make_step(view, effects)
        event_id = event.id if event is not None else None
        stored = answer.model_dump(mode="json") if event_id is not None else None
        rows.save(s, row, engine.state, board.to_dict(), wall, event_id, stored)
        self._remember(person, srow)
        return answer

    def _definition(
        self, person: PersonContext, srow: SessionRow
    ) -> tuple[Plan, SessionDefinition]:
        """The session's plan and definition, cached: both follow from its saved plan."""
        from backcoach.services.saved import saved_plan
        from backcoach.services.sessions import definition_of

        key = (person.person_id, srow.id, srow.plan_id)
        with self._lock:
            cached = self._plans.get(key)
        if cached is not None:
            return cached
        plan_row = person.store.plan(srow.plan_id)
        if plan_row is None:
            raise LookupError(f"session {srow.id} has no plan {srow.plan_id}")
        plan = saved_plan(plan_row)
        made = (plan, definition_of(person.catalogue, plan))
        with self._lock:
            self._plans[key] = made
            while len(self._plans) > PLANS_KEPT:
                del self._plans[next(iter(self._plans))]
        return made

    def _session(self, person: PersonContext, session_id: int) -> SessionRow:
        """The session's row; a 409 saying what became of it when it is gone or replaced."""
        srow = person.store.session(session_id)
        key = (person.person_id, session_id)
        with self._lock:
            known = self._seen.get(key)
            forgotten = key in self._forgotten
        if srow is None:
            if known is not None or forgotten:
                raise rows.forgotten(session_id)
            raise _not_live(session_id)
        if forgotten:
            raise rows.forgotten(session_id)
        started = _utc(srow.started_at)
        if known is not None and started != known:
            raise ApiError(
                409,
                "session-replaced",
                f"session {session_id} was replaced while it was running: its records were "
                "deleted or replaced elsewhere (backcoach forget or import) and the number now "
                f"belongs to another session, started {started:%Y-%m-%d %H:%M} UTC. Nothing "
                "more is saved from this page",
                field="session_id",
                value=session_id,
                fix=START_FIX,
            )
        return srow

    def _remember(self, person: PersonContext, srow: SessionRow) -> None:
        key = (person.person_id, srow.id)
        with self._lock:
            self._forgotten.discard(key)
            self._seen.pop(key, None)
            self._seen[key] = _utc(srow.started_at)
            while len(self._seen) > SEEN_KEPT:
                del self._seen[next(iter(self._seen))]


PLANS_KEPT = 8
"""Session definitions cached per process (one per running session is all that is used)."""


def _events(engine: Engine, event: SessionEvent, now: float) -> list[Event | None]:
    """The engine events for one page event; None marks "resume if nothing stopped"."""
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
    if event.type == "watch":
        assert event.on is not None
        return [Watch(now, event.on)]
    assert event.score is not None
    report = PainReport(now, event.score, event.sharp, event.spreading, event.numbness)
    state = engine.state
    if event.resume_after and state.stage == "exercise" and state.paused:
        return [report, None]
    return [report]


class _conflicts:
    """Turn ``services.live.Conflict`` into the API's 409 with its code, message and fix."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, _tb: Any) -> None:
        if isinstance(error, Conflict):
            raise ApiError(
                409,
                error.code,
                error.message,
                field="session_id",
                value=error.session_id,
                fix=error.fix,
            ) from None


def _not_live(session_id: int) -> ApiError:
    return ApiError(
        409,
        "session-not-live",
        f"session {session_id} is not the session running now",
        field="session_id",
        value=session_id,
        fix="GET /api/sessions/current for the live session, or POST /api/sessions to start one",
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    from backcoach.records.store import as_utc

    return as_utc(moment)


def _name(person: PersonContext, exercise_id: str) -> str:
    try:
        return person.catalogue.get(exercise_id).name
    except LookupError:
        return exercise_id
