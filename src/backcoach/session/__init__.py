"""The guided session: a pure state machine that walks a plan, driven by events.

A person on the floor cannot read a page and count at the same time, so the engine counts,
times and cues for them. It never reads a clock, sleeps or does I/O: players feed it events
(each carrying a monotonic clock reading ``now``) and render the effects it returns.

Typical use::

    definition = SessionDefinition.build(plan, catalogue.exercises)
    state, effects = start(definition, now=clock())
    state, effects = step(definition, state, PainReport(now=clock(), score=3))
    state, effects = step(definition, state, Tick(clock()))   # ~10 times a second
    view = progress(definition, state, clock())

or the ``Engine`` wrapper, which keeps the state and calls listeners with each effect. Both
players render ``now(definition, state, board, clock())``: the one model of what is happening
now (``Board`` keeps what the effects said).

The walk: ``pre-pain`` -> for each plan item: ``get-ready`` -> per set, per side, per rep:
``move``, ``hold`` then ``release`` (or one ``timed`` phase) with ``switch-side`` between sides and
``rest`` between sets -> ``check-in`` (pain, then rating) -> ... -> ``post-pain`` ->
``finished``. Deadlines are absolute (a phase's start plus its length, the next phase starting
at that deadline), so timing does not drift however the ticks fall. See ``machine`` for the
rules on RepDone, Skip, Back, pauses and stop rules, and ``resume`` for carrying on after a
crash.
"""

from backcoach.session.effects import (
    AskPain,
    AskRating,
    BreathCue,
    Countdown,
    Cue,
    Effect,
    ExerciseFinished,
    ExerciseRestarted,
    ExerciseSkipped,
    ExerciseStopped,
    PainJudged,
    PhaseStarted,
    Rated,
    RescreenNeeded,
    SessionFinished,
    SessionSummary,
    SetFinished,
    Side,
    effect_to_dict,
)
from backcoach.session.engine import Engine, Listener
from backcoach.session.events import (
    Back,
    Event,
    PainReport,
    Pause,
    Rate,
    Rating,
    RepDone,
    Resume,
    Skip,
    Stop,
    Tick,
    Watch,
    event_from_dict,
    event_to_dict,
)
from backcoach.session.machine import start, step
from backcoach.session.now import Board, Ending, Notice, Now, now
from backcoach.session.progress import Progress, progress
from backcoach.session.resume import DoneSet, resume
from backcoach.session.script import ItemScript, PlanMismatch, Segment, SessionDefinition
from backcoach.session.state import Outcome, SessionState, Stage
from backcoach.session.timing import (
    BACK_GRACE_SECONDS,
    GET_READY_SECONDS,
    SELF_PACED_REP_SECONDS,
    SWITCH_SIDE_SECONDS,
    estimate_item_seconds,
)

__all__ = [
    "BACK_GRACE_SECONDS",
    "GET_READY_SECONDS",
    "SELF_PACED_REP_SECONDS",
    "SWITCH_SIDE_SECONDS",
    "AskPain",
    "AskRating",
    "Back",
    "Board",
    "BreathCue",
    "Countdown",
    "Cue",
    "DoneSet",
    "Effect",
    "Ending",
    "Engine",
    "Event",
    "ExerciseFinished",
    "ExerciseRestarted",
    "ExerciseSkipped",
    "ExerciseStopped",
    "ItemScript",
    "Listener",
    "Notice",
    "Now",
    "Outcome",
    "PainJudged",
    "PainReport",
    "Pause",
    "PhaseStarted",
    "PlanMismatch",
    "Progress",
    "Rate",
    "Rated",
    "Rating",
    "RepDone",
    "RescreenNeeded",
    "Resume",
    "Segment",
    "SessionDefinition",
    "SessionFinished",
    "SessionState",
    "SessionSummary",
    "SetFinished",
    "Side",
    "Skip",
    "Stage",
    "Stop",
    "Tick",
    "Watch",
    "effect_to_dict",
    "estimate_item_seconds",
    "event_from_dict",
    "event_to_dict",
    "now",
    "progress",
    "resume",
    "start",
    "step",
]
