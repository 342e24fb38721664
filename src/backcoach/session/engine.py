"""A convenience wrapper that holds one session's definition and state and tells listeners
about effects. The pure functions in ``machine`` do the work; this only keeps the latest state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from backcoach.catalogue.model import Exercise
from backcoach.planning.plan import Plan
from backcoach.session.effects import Effect
from backcoach.session.events import Event
from backcoach.session.machine import start, step
from backcoach.session.progress import Progress, progress
from backcoach.session.resume import DoneSet, resume
from backcoach.session.script import SessionDefinition
from backcoach.session.state import Outcome, SessionState
from backcoach.types import PainScore, Seconds

Listener = Callable[[Effect], None]


class Engine:
    """Runs one session: ``send`` events, read ``state`` and ``progress``.

    Listeners are called with every effect, in order, after the state has moved on (so a
    listener that saves ``SetFinished`` rows and then reads ``engine.state`` sees the state
    that follows them). A listener that raises stops the remaining listeners for that effect
    but never corrupts the state.
    """

    def __init__(
        self,
        definition: SessionDefinition,
        state: SessionState,
        listeners: Iterable[Listener] = (),
    ) -> None:
        self.definition = definition
        self._state = state
        self._listeners = list(listeners)

    @classmethod
    def start(
        cls,
        plan: Plan,
        exercises: Mapping[str, Exercise],
        now: Seconds,
        listeners: Iterable[Listener] = (),
    ) -> tuple[Engine, tuple[Effect, ...]]:
        definition = SessionDefinition.build(plan, exercises)
        state, effects = start(definition, now)
        engine = cls(definition, state, listeners)
        engine._tell(effects)
        return engine, effects

    @classmethod
    def resume(
        cls,
        plan: Plan,
        exercises: Mapping[str, Exercise],
        done_sets: Iterable[DoneSet],
        baseline_pain: PainScore | None,
        now: Seconds,
        closed: Mapping[int, Outcome] | None = None,
        listeners: Iterable[Listener] = (),
    ) -> tuple[Engine, tuple[Effect, ...]]:
        definition = SessionDefinition.build(plan, exercises)
        state, effects = resume(definition, done_sets, baseline_pain, now, closed)
        engine = cls(definition, state, listeners)
        engine._tell(effects)
        return engine, effects

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def finished(self) -> bool:
        return self._state.finished

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def send(self, event: Event) -> tuple[Effect, ...]:
        self._state, effects = step(self.definition, self._state, event)
        self._tell(effects)
        return effects

    def progress(self, now: Seconds) -> Progress:
        return progress(self.definition, self._state, now)

    def _tell(self, effects: tuple[Effect, ...]) -> None:
        for effect in effects:
            for listener in self._listeners:
                listener(effect)
