"""Live sessions in the database: any process can serve any event of a running session.

A running session's engine state lives in its ``live_sessions`` row (records.tables) with a
version, the player driving it (a page, a terminal) and the clock anchor any process needs to
rebuild the engine. Serving an event is one transaction (``Store.writing``): lock the row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's writers already run one at a time, BEGIN
IMMEDIATE), answer a client event id seen before with the answer it got, check the player,
rebuild the engine, let the clock act, apply the event, write its effects (the recorder writes
through the same transaction), save the state with version + 1 and the answer under the event
id, commit. Nothing is answered before its commit, so a killed process loses nothing it
acknowledged, and a resent event is applied once.

Another player sees the session is driven elsewhere (``Conflict`` ``session-elsewhere``) and
may take it over explicitly; a player not heard for ``LOST_CONTACT_SECONDS`` has let it go, so
carrying the session on elsewhere then needs no take-over. Handing over pauses a running
exercise where it was last heard and re-anchors the clock there.

The web app serves events with the helpers here (``web.live``); the terminal player and the
automatic runner use ``LiveEngine``, which saves every step that changes more than the clock
(and at least every ``HEARTBEAT_SECONDS``, so the terminal shows as present).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import delete, select

from backcoach.records.scoping import PERSON
from backcoach.records.tables import LiveEventRow, LiveSessionRow, PersonRow, SessionRow
from backcoach.session import (
    BreathCue,
    Countdown,
    Cue,
    Effect,
    Engine,
    Event,
    Listener,
    Pause,
    SessionDefinition,
    SessionState,
    step,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from backcoach.records.store import Store

HEARTBEAT_SECONDS = 5.0
"""A driving player is heard at least this often (real seconds) while a session runs."""

LOST_CONTACT_SECONDS = 15.0
"""Real seconds without a word from the driving player after which it has let the session go:
three missed heartbeats. During an exercise the session is then taken as paused from the
moment it was last heard (a closed lid, a lost phone or a killed terminal must never run the
timer on without the person), and another player may carry it on without a take-over."""

ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
"""Client event ids and player ids: up to 64 letters, digits and ``_ . : -`` (a UUID fits)."""

MAX_ANSWER_BYTES = 64 * 1024
"""The largest answer kept for a resend; a real one (the view and its effects) is a few KB."""

PlayerKind = Literal["web", "terminal", "auto"]
PLACES: dict[str, str] = {
    "web": "a browser page",
    "terminal": "`backcoach start` in a terminal",
    "auto": "`backcoach start --auto`",
}

PASSING_EFFECTS = (Countdown, BreathCue, Cue)
"""Effects a step may make without being saved at once (``LiveEngine``): shown, not recorded."""
PASSING_FIELDS = ("clock", "countdown_shown", "breath_shown")
"""State fields such a step may change: what the clock alone moves between phases."""


def new_player(kind: PlayerKind) -> str:
    """A player id for a terminal or automatic run (pages make their own)."""
    return f"{kind}-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Anchor:
    """The session clock: ``clock_origin`` at wall time ``wall_origin``, then ``speed``
    session seconds per real second. Every process reads the same clock from the row."""

    speed: float
    clock_origin: float
    wall_origin: float

    def now(self, wall: float) -> float:
        return self.clock_origin + (wall - self.wall_origin) * self.speed

    @classmethod
    def of(cls, row: LiveSessionRow) -> Anchor:
        return cls(row.clock_speed, row.clock_origin, row.wall_origin)


class Conflict(Exception):
    """The live session cannot take this player's events: what happened and what to do."""

    def __init__(self, code: str, message: str, fix: str, session_id: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fix = fix
        self.session_id = session_id


START_FIX = "start a new session (POST /api/sessions, or reload the page and press Start)"


def elsewhere(row: LiveSessionRow, wall: float) -> Conflict:
    sid = row.session_id
    heard = (
        f", last heard {max(0.0, wall - row.last_contact):.0f} s ago"
        if row.last_contact is not None
        else ""
    )
    place = PLACES.get(row.player_kind, "another player")
    return Conflict(
        "session-elsewhere",
        f"session {sid} is being run in another place ({place}{heard}); nothing from here was "
        "recorded",
        f"carry on there, or take it over here: the page's Continue here button (POST "
        f"/api/sessions/{sid}/take-over), or `backcoach start --take-over` in a terminal; the "
        "other place is then told",
        sid,
    )


def forgotten(session_id: int) -> Conflict:
    return Conflict(
        "session-forgotten",
        f"session {session_id} was ended because its records were deleted (backcoach forget) "
        "or replaced (an import) while it was running; nothing more is saved from here",
        START_FIX,
        session_id,
    )


def ended(session_id: int, status: str) -> Conflict:
    return Conflict(
        "session-ended",
        f"session {session_id} was ended elsewhere (it is now {status}), for example by "
        "`backcoach start` in a terminal or by another page starting afresh; what was done "
        "before is saved, and nothing more is saved from here",
        f"{START_FIX}, or carry on in the place that ended it",
        session_id,
    )


def idle(row: LiveSessionRow, wall: float) -> bool:
    """The driving player has let the session go (not heard for LOST_CONTACT_SECONDS)."""
    return row.last_contact is None or wall - row.last_contact > LOST_CONTACT_SECONDS


# --- rows -----------------------------------------------------------------------------------


_PERSON_LOCKED = "backcoach.person_locked"
"""``Session.info`` key: the person whose row this unit of work has locked (each ``writing()``
block opens a new session, so the mark ends with its transaction)."""


def lock_person(s: Session, person_id: int) -> None:
    """Serialise starting and carrying on sessions for one person (PostgreSQL row lock; on
    SQLite the write transaction already holds the database). Once per transaction: asking
    again while the row is held would only send the same ``FOR UPDATE`` twice."""
    if s.info.get(_PERSON_LOCKED) == person_id:
        return
    s.execute(select(PersonRow.id).where(PersonRow.id == person_id).with_for_update())
    s.info[_PERSON_LOCKED] = person_id


def lock(s: Session, session_id: int) -> LiveSessionRow | None:
    """The session's live row, locked until the transaction ends (PostgreSQL FOR UPDATE).

    The person's row is locked first: every write of a person's rows also writes their
    revision tag (``records.revision``) on that row, so a unit of work that held the live row
    and then wanted the person's row deadlocked with a take-over or a new start, which lock
    the person first (found by the two-processes test on PostgreSQL). Always person, then
    live row."""
    person = s.info.get(PERSON)
    if person is not None and s.get_bind().dialect.name == "postgresql":
        lock_person(s, person)
    query = select(LiveSessionRow).where(LiveSessionRow.session_id == session_id)
    return s.scalars(query.with_for_update()).first()


def newest(s: Session) -> LiveSessionRow | None:
    query = select(LiveSessionRow).order_by(LiveSessionRow.session_id.desc()).limit(1)
    return s.scalars(query).first()


def applied(s: Session, session_id: int, event_id: str) -> dict[str, Any] | None:
    """The answer an event id already got in this session, or None when it is new."""
    query = select(LiveEventRow.answer).where(
        LiveEventRow.session_id == session_id, LiveEventRow.event_id == event_id
    )
    answer: dict[str, Any] | None = s.scalars(query).first()
    return answer


def read_state(row: LiveSessionRow) -> SessionState | None:
    """The saved engine state, or None when it cannot be read (another version's format):
    the session is then carried on from its records instead."""
    try:
        return SessionState.from_dict(dict(row.state))
    except (ValueError, TypeError):
        return None


def create(
    s: Session,
    session_id: int,
    state: SessionState,
    board: dict[str, Any],
    player: str,
    kind: PlayerKind,
    anchor: Anchor,
    wall: float,
) -> LiveSessionRow:
    """The live row of a session starting (or picked up from its records) here. The working
    state of the person's ended sessions goes: a finished session's row is kept only until the
    next one starts (so its page can still show its summary and answer a resent last event)."""
    ended = select(SessionRow.id).where(SessionRow.status != "in-progress")
    for table in (LiveEventRow, LiveSessionRow):
        s.execute(delete(table).where(table.session_id != session_id, table.session_id.in_(ended)))
    s.execute(delete(LiveEventRow).where(LiveEventRow.session_id == session_id))
    s.execute(delete(LiveSessionRow).where(LiveSessionRow.session_id == session_id))
    row = LiveSessionRow(
        session_id=session_id,
        version=1,
        state=state.to_dict(),
        board=board,
        player=player,
        player_kind=kind,
        clock_speed=anchor.speed,
        clock_origin=anchor.clock_origin,
        wall_origin=anchor.wall_origin,
        last_contact=wall,
        updated_at=dt.datetime.now(dt.UTC),
    )
    s.add(row)
    s.flush()
    return row


def save(
    s: Session,
    row: LiveSessionRow,
    state: SessionState,
    board: dict[str, Any],
    wall: float,
    event_id: str | None = None,
    answer: dict[str, Any] | None = None,
) -> None:
    """The state after an accepted event, version + 1, and the answer under its event id."""
    row.version += 1
    row.state = state.to_dict()
    row.board = board
    row.last_contact = wall
    row.updated_at = dt.datetime.now(dt.UTC)
    if event_id is not None:
        assert answer is not None
        size = len(json.dumps(answer))
        if size > MAX_ANSWER_BYTES:
            raise ValueError(
                f"the answer to event {event_id} is {size} bytes, over {MAX_ANSWER_BYTES}; "
                "this is a bug, please report it"
            )
        s.add(
            LiveEventRow(
                session_id=row.session_id,
                event_id=event_id,
                version=row.version,
                answer=answer,
                applied_at=row.updated_at,
            )
        )
    s.flush()


def lost_contact(
    definition: SessionDefinition, state: SessionState, row: LiveSessionRow, wall: float
) -> tuple[SessionState, tuple[Effect, ...]]:
    """Pause a running exercise from the moment its player was last heard, if that was more
    than LOST_CONTACT_SECONDS ago."""
    if idle(row, wall) and state.stage == "exercise" and not state.paused:
        return step(definition, state, Pause(state.clock))
    return state, ()


def hand_over(
    definition: SessionDefinition,
    state: SessionState,
    row: LiveSessionRow,
    player: str,
    kind: PlayerKind,
    speed: float,
    wall: float,
) -> tuple[SessionState, tuple[Effect, ...]]:
    """Give the session to ``player``: a running exercise pauses where it was last heard and
    the clock carries on from there, at the new player's speed."""
    effects: tuple[Effect, ...] = ()
    if state.stage == "exercise" and not state.paused:
        state, effects = step(definition, state, Pause(state.clock))
    row.player = player
    row.player_kind = kind
    row.clock_speed = speed
    row.clock_origin = state.clock
    row.wall_origin = wall
    return state, effects


def check_session(s: Session, session_id: int) -> SessionRow:
    """The session's row, still in progress, or the Conflict saying what became of it."""
    srow = s.get(SessionRow, session_id)
    if srow is None:
        raise forgotten(session_id)
    if srow.status != "in-progress":
        raise ended(session_id, srow.status)
    return srow


# --- the terminal player and the automatic runner ---------------------------------------------


class LiveEngine(Engine):
    """An engine whose steps are saved to the session's live row as they are made.

    A step that changes only what the clock moves (and shows only countdowns, breaths and
    cues) stays in memory until the next that matters, or HEARTBEAT_SECONDS; every other is
    saved, with the effects the listeners write, in one transaction, after checking that this
    player still drives the session (else ``Conflict``: taken over, ended or forgotten)."""

    def __init__(
        self,
        definition: SessionDefinition,
        state: SessionState,
        store: Store,
        session_id: int,
        player: str,
        version: int,
        listeners: Iterable[Listener] = (),
        wall: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(definition, state, listeners)
        self.store = store
        self.session_id = session_id
        self.player = player
        self.version = version
        self.wall = wall
        self._saved_at = wall()

    def send(self, event: Event) -> tuple[Effect, ...]:
        before = self._state
        state, effects = step(self.definition, before, event)
        wall = self.wall()
        if _passing(before, state, effects) and wall - self._saved_at < HEARTBEAT_SECONDS:
            self._state = state
            self._tell(effects)
            return effects
        try:
            with self.store.writing() as s:
                row = lock(s, self.session_id)
                self._check(s, row, wall)
                assert row is not None
                self._state = state
                self._tell(effects)
                save(s, row, state, {}, wall)
                self.version = row.version
        except BaseException:
            self._state = before
            raise
        self._saved_at = wall
        return effects

    def _check(self, s: Session, row: LiveSessionRow | None, wall: float) -> None:
        check_session(s, self.session_id)
        if row is None:
            raise forgotten(self.session_id)
        if row.player != self.player or row.version != self.version:
            raise elsewhere(row, wall)


def _passing(before: SessionState, after: SessionState, effects: tuple[Effect, ...]) -> bool:
    if not all(isinstance(e, PASSING_EFFECTS) for e in effects):
        return False
    kept = {name: getattr(before, name) for name in PASSING_FIELDS}
    return dataclasses.replace(after, **kept) == before
