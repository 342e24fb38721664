"""Events the session engine reacts to. Every event carries ``now``.

``now`` is a reading of one monotonic clock, in seconds; the engine never reads a clock itself.
All readings given to one session state must come from the same clock (a web app running
several processes should take them from the browser or from wall time, not from each
process's own ``time.monotonic()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from backcoach.safety.stoprules import PainCheck
from backcoach.types import PainScore, Seconds

Rating = Literal["too-easy", "about-right", "too-hard"]
RATINGS: tuple[Rating, ...] = get_args(Rating)


@dataclass(frozen=True)
class Tick:
    """Time passed: finish every phase whose deadline is at or before ``now``."""

    now: Seconds


@dataclass(frozen=True)
class RepDone:
    """The person (a tap) or the camera marks the current repetition done, possibly early."""

    now: Seconds


@dataclass(frozen=True)
class Pause:
    now: Seconds


@dataclass(frozen=True)
class Resume:
    now: Seconds


@dataclass(frozen=True)
class Skip:
    """Skip the current exercise (or the question being asked)."""

    now: Seconds


@dataclass(frozen=True)
class Back:
    """Restart the current exercise, or go to the previous one within its first seconds."""

    now: Seconds


@dataclass(frozen=True)
class PainReport:
    """Pain now on the 0-10 scale, with the three warning flags of the stop rules."""

    now: Seconds
    score: PainScore
    sharp: bool = False
    spreading: bool = False
    numbness: bool = False

    def __post_init__(self) -> None:
        self.check  # noqa: B018 - validates the score range with the stop rules' own check

    @property
    def check(self) -> PainCheck:
        return PainCheck(self.score, self.sharp, self.spreading, self.numbness)


@dataclass(frozen=True)
class Rate:
    """How the exercise felt, asked after its pain check."""

    now: Seconds
    rating: Rating

    def __post_init__(self) -> None:
        if self.rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)} (got {self.rating!r})")


@dataclass(frozen=True)
class Watch:
    """The camera coach was turned on (``on``) or off: while on, the movement phases of a
    repetition end on what it counts (``RepDone``), not on their timer."""

    now: Seconds
    on: bool


@dataclass(frozen=True)
class Stop:
    """End the session early; what was done is kept."""

    now: Seconds


Event = Tick | RepDone | Pause | Resume | Skip | Back | PainReport | Rate | Stop | Watch

EVENT_TYPES: dict[str, type[Event]] = {
    "tick": Tick,
    "rep-done": RepDone,
    "pause": Pause,
    "resume": Resume,
    "skip": Skip,
    "back": Back,
    "pain-report": PainReport,
    "rate": Rate,
    "stop": Stop,
    "watch": Watch,
}
"""Event names used in JSON (``{"type": "pause", "now": 12.5}``)."""


def event_from_dict(data: dict[str, Any]) -> Event:
    """Build an event from its JSON form, e.g. one a browser player posted."""
    fields = dict(data)
    name = fields.pop("type", None)
    kind = EVENT_TYPES.get(str(name))
    if kind is None:
        raise ValueError(f"unknown event type {name!r}; use one of {', '.join(EVENT_TYPES)}")
    try:
        return kind(**fields)
    except TypeError as error:
        raise ValueError(f"event {name!r}: {error}") from None


def event_to_dict(event: Event) -> dict[str, Any]:
    name = next(key for key, kind in EVENT_TYPES.items() if isinstance(event, kind))
    return {"type": name, **vars(event)}
