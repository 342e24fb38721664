"""The running state of a session: immutable plain data that points into its definition.

It round-trips through a dict of JSON types (``to_dict`` / ``from_dict``), so a web app can keep
it between requests and a crash loses nothing but the phase in progress.

Times: ``started_at`` and ``item_started_at`` are *virtual* starts, moved later by the length
of every pause, so ``started_at + segment.seconds`` is always the deadline of the running
segment and ``now - started_at`` the work time spent in it. ``bout_started_at`` and
``session_started_at`` are real clock readings.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, get_args

from backcoach.session.effects import EndReason
from backcoach.types import PainScore, Seconds

Stage = Literal["pre-pain", "exercise", "check-in", "post-pain", "finished"]
Awaiting = Literal["pain", "rating"]
Outcome = Literal["pending", "finished", "stopped", "skipped", "ended"]
"""Per item: not reached yet; done in full; ended by a stop rule; skipped; cut by ``Stop``."""

STATE_FORMAT = 2
"""Bumped whenever the dict form, or what its indexes point at, changes, so an old saved state
is refused, not misread (2: a repetition's phases became move, hold, release; a session saved
by version 1 carries on from its records at its next unsaved set)."""


@dataclass(frozen=True)
class SessionState:
    plan_key: str
    stage: Stage
    clock: Seconds
    """The latest clock reading seen; readings that go backwards are taken as this one."""
    session_started_at: Seconds
    item_index: int = 0
    segment_index: int = 0
    started_at: Seconds = 0.0
    item_started_at: Seconds = 0.0
    paused_at: Seconds | None = None
    paused_total: Seconds = 0.0
    awaiting: Awaiting | None = None
    bout_started_at: Seconds | None = None
    bout_reps: int = 0
    bout_held: Seconds = 0.0
    rep_held: Seconds = 0.0
    """The hold of the repetition in progress, counted in ``bout_held`` once it is done."""
    countdown_shown: int | None = None
    breath_shown: int | None = None
    baseline_pain: PainScore | None = None
    post_pain: PainScore | None = None
    outcomes: tuple[Outcome, ...] = ()
    bouts_done: tuple[int, ...] = ()
    ended_by: EndReason | None = None
    watched: bool = False
    """The camera coach ("Watch me") is on: movement phases wait for what it counts."""

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def finished(self) -> bool:
        return self.stage == "finished"

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["outcomes"] = list(self.outcomes)
        data["bouts_done"] = list(self.bouts_done)
        data["format"] = STATE_FORMAT
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionState:
        fields = dict(data)
        version = fields.pop("format", None)
        if version != STATE_FORMAT:
            raise ValueError(
                f"saved session state has format {version!r}, this version reads "
                f"{STATE_FORMAT}; start the session again from its plan (done sets are kept)"
            )
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(fields) - known)
        if unknown:
            raise ValueError(f"saved session state has unknown fields: {', '.join(unknown)}")
        if fields.get("stage") not in get_args(Stage):
            raise ValueError(f"saved session state has an unknown stage {fields.get('stage')!r}")
        fields["outcomes"] = tuple(fields.get("outcomes", ()))
        fields["bouts_done"] = tuple(fields.get("bouts_done", ()))
        return cls(**fields)
