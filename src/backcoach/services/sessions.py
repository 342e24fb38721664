"""Running a guided session against the records: start, save as it goes, resume, auto-run.

The engine is pure; ``SessionRecorder`` is the listener that turns its effects into rows. It
writes through the store, so inside a live session's transaction (``services.live``: the
state, its version and the effects of one event commit together) its rows commit with the
rest. The terminal player, the automatic runner and the web app all go through here.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcoach.clinic.flags import after_effect
from backcoach.planning.plan import Plan
from backcoach.safety.stoprules import StopDecision
from backcoach.services import live as rows
from backcoach.services.live import Anchor, LiveEngine, PlayerKind
from backcoach.services.plans import todays_plan
from backcoach.services.saved import saved_plan
from backcoach.session import (
    DoneSet,
    Effect,
    Engine,
    ExerciseFinished,
    ExerciseRestarted,
    ExerciseSkipped,
    ExerciseStopped,
    PainJudged,
    PainReport,
    Rate,
    Rated,
    RescreenNeeded,
    Resume,
    SessionDefinition,
    SessionFinished,
    SessionState,
    SessionSummary,
    SetFinished,
    Side,
    Tick,
    resume,
    start,
)

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store

END_STATUS = {"completed": "finished", "stopped": "stopped", "rescreen": "stopped"}


class SessionRecorder:
    """Saves each effect the moment the engine emits it."""

    def __init__(
        self,
        store: Store,
        session_id: int,
        on_finish: Callable[[int], None] | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.on_finish = on_finish
        self.summary: SessionSummary | None = None
        self.rescreen: RescreenNeeded | None = None

    def __call__(self, effect: Effect) -> None:
        sid = self.session_id
        if isinstance(effect, SetFinished):
            self.store.save_set(
                sid,
                item_index=effect.item_index,
                exercise_id=effect.exercise_id,
                set_number=effect.set_number,
                side=effect.side or "both",
                target_reps=effect.target_reps,
                reps=effect.reps_done,
                target_hold_seconds=effect.target_hold_seconds,
                hold_seconds=round(effect.hold_seconds_done, 2),
                target_duration_seconds=effect.target_duration_seconds,
                duration_seconds=effect.duration_seconds_done,
                complete=effect.complete,
            )
        elif isinstance(effect, PainJudged):
            check, decision = effect.check, effect.decision
            self.store.save_pain(
                moment=effect.when,
                score=check.score,
                session_id=sid,
                item_index=effect.item_index,
                exercise_id=effect.exercise_id,
                sharp=check.sharp,
                spreading=check.spreading,
                numbness=check.numbness,
                decision={
                    "action": decision.action,
                    "band": decision.band,
                    "not_tolerated": decision.not_tolerated,
                    "lower_dose_next_time": decision.lower_dose_next_time,
                    "check_next_day": decision.check_next_day,
                    "rescreen": decision.rescreen,
                    "reasons": list(decision.reasons),
                },
            )
            if effect.when == "before":
                self.store.set_pain_before(sid, check.score)
            elif (
                effect.when == "after-exercise"
                and decision.action == "stop-exercise"
                and effect.item_index is not None
                and effect.exercise_id is not None
            ):
                # Reported at the check-in, after the exercise ended: the stop rule's verdict
                # (not tolerated, or lighter next time) still applies to it.
                self._stopped(effect.item_index, effect.exercise_id, decision)
        elif isinstance(effect, ExerciseStopped):
            self._stopped(effect.item_index, effect.exercise_id, effect.decision)
        elif isinstance(effect, ExerciseSkipped):
            self.store.save_outcome(sid, effect.item_index, effect.exercise_id, "skipped")
        elif isinstance(effect, ExerciseFinished):
            self.store.save_outcome(sid, effect.item_index, effect.exercise_id, "finished")
        elif isinstance(effect, ExerciseRestarted):
            # Back restarted this exercise: its earlier sets are being done again, so they
            # no longer count (and a crash now must not resume past them).
            self.store.forget_item(sid, effect.item_index)
        elif isinstance(effect, Rated):
            self.store.save_rating(sid, effect.item_index, effect.exercise_id, effect.rating)
        elif isinstance(effect, RescreenNeeded):
            self.rescreen = effect
        elif isinstance(effect, SessionFinished):
            self.summary = effect.summary
            self.store.finish_session(
                sid, END_STATUS[effect.summary.ended_by], effect.summary.pain_after
            )
            if self.on_finish is not None:
                self.on_finish(sid)
        after_effect(self.store, sid, effect)  # a patient's flags, as the event is saved

    def _stopped(self, item_index: int, exercise_id: str, d: StopDecision) -> None:
        self.store.save_outcome(
            self.session_id,
            item_index,
            exercise_id,
            "stopped",
            {
                "reasons": list(d.reasons),
                "not_tolerated": d.not_tolerated,
                "lower_dose_next_time": d.lower_dose_next_time,
                "advice": d.advice,
            },
        )


@dataclass
class LiveSession:
    """A session being run here: its id, plan, engine (saving to its live row) and recorder."""

    session_id: int
    plan: Plan
    engine: Engine
    recorder: SessionRecorder
    resumed: bool = False
    first_effects: tuple[Effect, ...] = ()
    anchor: Anchor = field(default_factory=lambda: Anchor(1.0, 0.0, 0.0))
    """The session clock (``now``); the automatic runner keeps its own simulated one."""
    player: str = ""

    @property
    def finished(self) -> bool:
        return self.engine.finished

    def now(self, wall: float | None = None) -> float:
        return self.anchor.now(time.time() if wall is None else wall)

    def release(self) -> None:
        """Let the session go (the person quit here): another player may carry it on at once."""
        engine = self.engine
        if not isinstance(engine, LiveEngine):
            return
        with engine.store.writing() as s:
            row = rows.lock(s, self.session_id)
            if row is not None and row.player == self.player:
                row.last_contact = None


MODE_KINDS: dict[str, PlayerKind] = {"web": "web", "auto": "auto"}
"""The player kind of a session's mode; every other mode is a terminal."""


def begin(
    store: Store,
    catalogue: Catalogue,
    today: Callable[[], dt.date],
    mode: str,
    now: float,
    minutes: int | None = None,
    *,
    player: str | None = None,
    speed: float = 1.0,
    wall: Callable[[], float] = time.time,
) -> LiveSession:
    """Plan today's session for ``store``'s person (the screen must allow it), save the plan,
    start, and make its live row (``player`` drives it; one is made when not given), all in one
    transaction.

    ``today`` is asked for the day when it is needed: the plan's day now, and the day the
    decisions are made on when the session ends (which may be a later one)."""
    kind = MODE_KINDS.get(mode, "terminal")
    player = player or rows.new_player(kind)
    moment = wall()
    with store.writing() as s:
        rows.lock_person(s, store.person_id)
        plan = todays_plan(store, catalogue, today(), None, minutes)
        plan_id = store.save_plan(plan.date, plan.model_dump(mode="json"), plan.flare_up)
        session_id = store.start_session(plan_id, mode)
        recorder = SessionRecorder(store, session_id, progress_after(store, catalogue, today))
        definition = definition_of(catalogue, plan)
        state, effects = start(definition, now)
        anchor = Anchor(speed, now, moment)
        row = rows.create(s, session_id, state, {}, player, kind, anchor, moment)
        engine = LiveEngine(
            definition, state, store, session_id, player, row.version, [recorder], wall
        )
        for effect in effects:
            recorder(effect)
    return LiveSession(
        session_id, plan, engine, recorder, first_effects=effects, anchor=anchor, player=player
    )


def resume_unfinished(
    store: Store,
    catalogue: Catalogue,
    today: Callable[[], dt.date],
    now: float,
    *,
    player: str | None = None,
    kind: PlayerKind = "terminal",
    take_over: bool = False,
    speed: float = 1.0,
    wall: Callable[[], float] = time.time,
) -> LiveSession | None:
    """Carry on the newest unfinished session here, if there is one: from its live row where it
    was (paused if an exercise was running), else from the records at its next unsaved set.

    A session another player drove within LOST_CONTACT_SECONDS is taken only with
    ``take_over``; otherwise ``services.live.Conflict`` (``session-elsewhere``) says where."""
    player = player or rows.new_player(kind)
    moment = wall()
    with store.writing() as s:
        rows.lock_person(s, store.person_id)
        srow = store.unfinished_session()
        if srow is None:
            return None
        row = rows.lock(s, srow.id)
        busy = row is not None and row.player != player and not rows.idle(row, moment)
        if busy and not take_over:
            assert row is not None
            raise rows.elsewhere(row, moment)
        plan_row = store.plan(srow.plan_id)
        assert plan_row is not None
        plan = saved_plan(plan_row)
        definition = definition_of(catalogue, plan)
        recorder = SessionRecorder(store, srow.id, progress_after(store, catalogue, today))
        state = rows.read_state(row) if row is not None else None
        if row is None or state is None or state.plan_key != definition.key:
            state, effects = _from_records(store, srow, definition, now)
            anchor = Anchor(speed, now, moment)
            row = rows.create(s, srow.id, state, {}, player, kind, anchor, moment)
        else:
            effects = ()
            if row.player != player:
                state, effects = rows.hand_over(definition, state, row, player, kind, speed, moment)
            rows.save(s, row, state, {}, moment)
            anchor = Anchor.of(row)
        engine = LiveEngine(
            definition, state, store, srow.id, player, row.version, [recorder], wall
        )
        for effect in effects:
            recorder(effect)
    return LiveSession(
        srow.id,
        plan,
        engine,
        recorder,
        resumed=True,
        first_effects=effects,
        anchor=anchor,
        player=player,
    )


def definition_of(catalogue: Catalogue, plan: Plan) -> SessionDefinition:
    """What the engine runs for ``plan``: its items with their exercises from ``catalogue``."""
    exercises = {i.exercise_id: catalogue.get(i.exercise_id) for i in plan.items}
    return SessionDefinition.build(plan, exercises)


def _from_records(
    store: Store, srow: Any, definition: SessionDefinition, now: float
) -> tuple[SessionState, tuple[Effect, ...]]:
    """The state of an unfinished session without a readable live row, from its records: at
    its next unsaved set, paused (as after a crash)."""
    done: list[DoneSet] = [
        (s.item_index, s.set_number, _side(s.side)) for s in store.sets(srow.id) if s.complete
    ]
    closed: dict[int, Any] = {
        o.item_index: o.outcome
        for o in store.outcomes(srow.id)
        if o.outcome in ("stopped", "skipped") or (o.outcome == "finished" and o.rating)
    }
    return resume(definition, done, srow.pain_before, now, closed)


def _side(stored: str) -> Side | None:
    if stored == "left":
        return "left"
    if stored == "right":
        return "right"
    return None


def progress_after(
    store: Store, catalogue: Catalogue, today: Callable[[], dt.date]
) -> Callable[[int], None]:
    """After a session: decide each exercise's next dose, and look for a flare-up, on the day
    the session ends."""

    def run(session_id: int) -> None:
        from backcoach.services.progression import decide_after_session, start_flare_up_if_due

        day = today()
        decide_after_session(store, catalogue, day, session_id)
        start_flare_up_if_due(store, day)

    return run


def abandon(store: Store, session_id: int) -> None:
    """Close an unfinished session without resuming it; what was saved stays saved."""
    store.finish_session(session_id, "stopped", None)


# --- automatic sessions ---------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseAnswer:
    pain: int = 0
    sharp: bool = False
    spreading: bool = False
    numbness: bool = False
    rating: str = "about-right"


@dataclass(frozen=True)
class AutoAnswers:
    """Answers for an automatic session (``backcoach start --auto --answers FILE``).

    ``{"pain_before": 2, "pain_after": 1, "default": {"pain": 0, "rating": "about-right"},
    "exercises": {"bridge": {"pain": 6, "sharp": false, "rating": "too-hard"}}}``
    """

    pain_before: int = 0
    pain_after: int = 0
    default: ExerciseAnswer = field(default_factory=ExerciseAnswer)
    exercises: Mapping[str, ExerciseAnswer] = field(default_factory=dict)
    next_day_settled: bool = True
    """The answer to "had yesterday's pain settled by this morning?"."""
    pregnancy_warning: bool = False
    """The answer to the pregnancy warning-sign question asked before a session."""
    worst_pain_24h: int | None = None
    """Worst pain in the last 24 hours, recorded when due (once a day); None: not recorded."""
    activities: Mapping[str, int] = field(default_factory=dict)
    """Activity ratings by number or name, recorded when due (weekly); empty: not recorded."""

    def for_exercise(self, exercise_id: str | None) -> ExerciseAnswer:
        if exercise_id is None:
            return self.default
        return self.exercises.get(exercise_id, self.default)

    @classmethod
    def from_file(cls, path: Path) -> AutoAnswers:
        from backcoach.errors import read_json_file

        return cls.from_data(read_json_file(path, example='{"pain_before": 2}'), str(path))

    @classmethod
    def from_data(cls, data: Any, where: str = "answers") -> AutoAnswers:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: must be a JSON object (got {type(data).__name__})")
        known = {
            "pain_before",
            "pain_after",
            "default",
            "exercises",
            "next_day_settled",
            "pregnancy_warning",
            "worst_pain_24h",
            "activities",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"{where}: unknown field(s) {', '.join(unknown)}; use {', '.join(sorted(known))}"
            )

        def answer(raw: Any, label: str) -> ExerciseAnswer:
            if not isinstance(raw, dict):
                raise ValueError(f'{where}: {label}: must be an object such as {{"pain": 2}}')
            fields = {"pain", "sharp", "spreading", "numbness", "rating"}
            extra = sorted(set(raw) - fields)
            if extra:
                raise ValueError(
                    f"{where}: {label}: unknown field(s) {', '.join(extra)}; "
                    f"use {', '.join(sorted(fields))}"
                )
            result = ExerciseAnswer(**raw)
            _check_answer(result, f"{where}: {label}")
            return result

        default = answer(data.get("default", {}), "default")
        exercises = {k: answer(v, f"exercises.{k}") for k, v in data.get("exercises", {}).items()}
        settled = data.get("next_day_settled", True)
        warning = data.get("pregnancy_warning", False)
        for name, value in (("next_day_settled", settled), ("pregnancy_warning", warning)):
            if not isinstance(value, bool):
                raise ValueError(f"{where}: {name}: must be true or false (got {value!r})")
        worst = data.get("worst_pain_24h")
        ratings = data.get("activities", {})
        if not isinstance(ratings, dict):
            raise ValueError(f'{where}: activities: must be an object such as {{"1": 6}}')
        for name, value in [("worst_pain_24h", worst)] + [
            (f"activities.{k}", v) for k, v in ratings.items()
        ]:
            bad = isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10
            if value is not None and bad:
                raise ValueError(f"{where}: {name}: must be a whole number 0-10 (got {value!r})")
        result = cls(
            pain_before=data.get("pain_before", 0),
            pain_after=data.get("pain_after", 0),
            default=default,
            exercises=exercises,
            next_day_settled=settled,
            pregnancy_warning=warning,
            worst_pain_24h=worst,
            activities={str(k): v for k, v in ratings.items()},
        )
        for name in ("pain_before", "pain_after"):
            value = getattr(result, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
                raise ValueError(f"{where}: {name}: must be a whole number 0-10 (got {value!r})")
        return result


def _check_answer(a: ExerciseAnswer, where: str) -> None:
    for flag in ("sharp", "spreading", "numbness"):
        if not isinstance(getattr(a, flag), bool):
            raise ValueError(f"{where}.{flag}: must be true or false (got {getattr(a, flag)!r})")
    if not isinstance(a.pain, int) or isinstance(a.pain, bool) or not 0 <= a.pain <= 10:
        raise ValueError(f"{where}.pain: must be a whole number 0-10 (got {a.pain!r})")
    if a.rating not in ("too-easy", "about-right", "too-hard"):
        raise ValueError(
            f"{where}.rating: must be too-easy, about-right or too-hard (got {a.rating!r})"
        )


AUTO_TICK_SECONDS = 0.25
"""Session-clock step of the automatic runner; deadlines are exact whatever the step."""


def run_auto(
    live: LiveSession,
    answers: AutoAnswers,
    speed: float,
    start_clock: float,
    sleep: Callable[[float], None] = time.sleep,
    on_effects: Callable[[tuple[Effect, ...]], None] | None = None,
) -> SessionSummary:
    """Run a session to its end on a simulated clock, answering from ``answers``.

    ``speed`` is how many session seconds pass per real second (0: as fast as possible). The
    records are written exactly as in a real session, through the same recorder.
    """
    engine = live.engine
    now = max(start_clock, engine.state.clock)  # a session carried on keeps its clock
    while not engine.finished:
        view = engine.progress(now)
        effects: tuple[Effect, ...]
        if view.paused:
            effects = engine.send(Resume(now))
        elif view.awaiting == "pain":
            if view.phase == "pre-pain":
                effects = engine.send(PainReport(now, answers.pain_before))
            elif view.phase == "post-pain":
                effects = engine.send(PainReport(now, answers.pain_after))
            else:
                a = answers.for_exercise(view.exercise_id)
                effects = engine.send(PainReport(now, a.pain, a.sharp, a.spreading, a.numbness))
        elif view.awaiting == "rating":
            a = answers.for_exercise(view.exercise_id)
            effects = engine.send(Rate(now, a.rating))  # type: ignore[arg-type]
        else:
            now += AUTO_TICK_SECONDS
            if speed > 0:
                sleep(AUTO_TICK_SECONDS / speed)
            effects = engine.send(Tick(now))
        if on_effects is not None and effects:
            on_effects(effects)
    assert live.recorder.summary is not None
    return live.recorder.summary
