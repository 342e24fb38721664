"""A session's figures, computed once from its records: the one place that says how much of a
session was done and for how long.

The terminal summary, ``backcoach history``, the progress summary (minutes of exercise), the
report and the web API's session summary all read ``summary(store, session_id)`` (or, for
many sessions read together, ``figures(plan, sets)``), so they can never disagree.

From what was saved, never from a player's clock, so a session resumed after a crash, carried
on in another place, or run on a sped-up clock gives the same figures:

- **sets done of planned**: whole sets, counted as the plan counts them ("2 sets of 8 each
  side" is 2 sets): a set with sides counts once both sides are done; a set cut short does
  not count;
- **active time**: the time the exercises done took, as the session walks them
  (``planning.dose.item_seconds``): getting ready, the sets as done (repetitions done at the
  planned pace with the holds as held, continuous parts as long as they ran, part-done sets
  included), side switches and rests between the sets done. Pauses, breaks and time away
  from the session are not counted;
- **percentage done**: the share of the plan's time whose sets were done (each exercise
  weighted by its planned time), so stopping at two thirds says about 67%, never 100%.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from backcoach.planning.dose import GET_READY_SECONDS, SELF_PACED_REP_SECONDS, SWITCH_SIDE_SECONDS
from backcoach.services.saved import saved_plan

if TYPE_CHECKING:
    from backcoach.planning.plan import Plan, PlanItem
    from backcoach.records.store import Store
    from backcoach.records.tables import SetLogRow

ENDINGS = {
    "finished": "Session finished.",
    "stopped": "Session stopped early.",
    "in-progress": "Session not finished yet.",
}
"""How a session ended, in words (``sessions.status``)."""


@dataclass(frozen=True)
class Figures:
    """The numbers of one session, from its plan and saved sets."""

    sets_done: int
    sets_planned: int
    active_seconds: float
    percent_done: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SessionSummary:
    """One session as every place shows it (``summary``)."""

    session_id: int
    status: str
    """finished, stopped (ended early) or in-progress."""
    exercises_planned: int
    finished: tuple[str, ...]
    stopped: tuple[str, ...]
    skipped: tuple[str, ...]
    not_done: tuple[str, ...]
    """Exercise ids by how they ended; ``not_done``: never reached."""
    sets_done: int
    sets_planned: int
    active_seconds: float
    percent_done: int
    pain_before: int | None
    pain_after: int | None

    @property
    def ending(self) -> str:
        return ENDINGS.get(self.status, self.status)

    @property
    def sets_text(self) -> str:
        """``5 of 7 sets done``."""
        return f"{self.sets_done} of {self.sets_planned} sets done"

    @property
    def active_text(self) -> str:
        return duration_text(self.active_seconds)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, with the figures in words too (``ending``, ``sets_text``,
        ``active_text``, ``percent_text``) so every player says them the same way."""
        data = asdict(self)
        for key in ("finished", "stopped", "skipped", "not_done"):
            data[key] = list(data[key])
        data["ending"] = self.ending
        data["sets_text"] = self.sets_text
        data["active_text"] = self.active_text
        data["percent_text"] = f"{self.percent_done}% done"
        return data


def duration_text(seconds: float) -> str:
    """``75`` -> "1 min 15 s", ``40`` -> "40 s", ``420`` -> "7 min"."""
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _sides(item: PlanItem) -> tuple[str, ...]:
    return ("left", "right") if item.per_side else ("both",)


def _bout_seconds(item: PlanItem, row: SetLogRow | None) -> float:
    """One side of one set: as planned (``row`` None), or as done."""
    if item.reps is None:
        planned = float(item.duration_seconds or 0)
        return planned if row is None else float(row.duration_seconds or 0)
    reps = item.reps if row is None else (row.reps or 0)
    hold = float(item.hold_seconds) if row is None else float(row.hold_seconds or 0)
    rep = item.movement_seconds + hold
    return reps * (rep if rep > 0 else SELF_PACED_REP_SECONDS)


def _item_figures(item: PlanItem, rows: list[SetLogRow]) -> tuple[int, float, float]:
    """(whole sets done, active seconds, planned seconds of the bouts done) of one item."""
    sides = _sides(item)
    complete = {(r.set_number, r.side) for r in rows if r.complete}
    whole = sum(1 for n in range(1, item.sets + 1) if all((n, side) in complete for side in sides))
    bouts_done = sum(1 for key in complete if key[0] <= item.sets and key[1] in sides)
    planned_done = bouts_done * _bout_seconds(item, None)
    if not rows:
        return whole, 0.0, planned_done
    active = GET_READY_SECONDS + sum(_bout_seconds(item, r) for r in rows)
    if item.per_side:
        active += SWITCH_SIDE_SECONDS * sum(1 for r in rows if r.side == sides[-1])
    active += item.rest_seconds * max(0, len({r.set_number for r in rows}) - 1)
    return whole, active, planned_done


def figures(plan: Plan, sets: Iterable[SetLogRow]) -> Figures:
    """The figures of a session with this plan and these saved sets (the session's only)."""
    by_item: dict[int, list[SetLogRow]] = defaultdict(list)
    for row in sets:
        by_item[row.item_index].append(row)
    done = active = planned_done = planned_work = 0.0
    for index, item in enumerate(plan.items):
        whole, seconds, bouts = _item_figures(item, by_item.get(index, []))
        done += whole
        active += seconds
        planned_done += bouts
        planned_work += item.sets * len(_sides(item)) * _bout_seconds(item, None)
    share = planned_done / planned_work if planned_work > 0 else 0.0
    return Figures(
        sets_done=int(done),
        sets_planned=sum(item.sets for item in plan.items),
        active_seconds=round(active, 1),
        percent_done=_percent(share),
    )


def _percent(share: float) -> int:
    """A share as a whole percentage; 100 only when everything was done."""
    percent = round(min(1.0, share) * 100)
    return 99 if percent == 100 and share < 1.0 else percent


def summarise(
    session: Any, plan: Plan | None, sets: Iterable[SetLogRow], outcomes: Iterable[Any]
) -> SessionSummary:
    """The summary of ``session`` (a ``SessionRow``) from records already read."""
    items = plan.items if plan is not None else []
    got = figures(plan, sets) if plan is not None else Figures(0, 0, 0.0, 0)
    ended = {o.item_index: o.outcome for o in outcomes}

    def ids(*kinds: str) -> tuple[str, ...]:
        return tuple(
            item.exercise_id
            for index, item in enumerate(items)
            if ended.get(index, "not-done") in kinds
        )

    return SessionSummary(
        session_id=session.id,
        status=session.status,
        exercises_planned=len(items),
        finished=ids("finished"),
        stopped=ids("stopped"),
        skipped=ids("skipped"),
        not_done=ids("not-done"),
        sets_done=got.sets_done,
        sets_planned=got.sets_planned,
        active_seconds=got.active_seconds,
        percent_done=got.percent_done,
        pain_before=session.pain_before,
        pain_after=session.pain_after,
    )


def summary(store: Store, session_id: int) -> SessionSummary | None:
    """The summary of one of the person's sessions, or None when there is no such session.
    Four queries in one read transaction."""
    with store.reading():
        session = store.session(session_id)
        if session is None:
            return None
        plan_row = store.plan(session.plan_id)
        plan = saved_plan(plan_row) if plan_row is not None else None
        return summarise(session, plan, store.sets(session_id), store.outcomes(session_id))
