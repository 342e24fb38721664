"""What is happening now, on the built-in exercises: phase-aware cues, the person's version in
every phase, a tap that ends the phase in progress, the pacer wherever the exercise is
breath-led, and kind words at the end (issue 15, "The player")."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from backcoach.catalogue import Catalogue
from backcoach.catalogue.files import builtin_dir
from backcoach.catalogue.loader import load_catalogue
from backcoach.planning.plan import PlanItem
from backcoach.session import (
    GET_READY_SECONDS,
    Board,
    BreathCue,
    Cue,
    Now,
    PhaseStarted,
    RepDone,
    SessionFinished,
    SetFinished,
    Skip,
    Tick,
    now,
)
from backcoach.session.cues import words_for
from backcoach.session.now import TAP_BACK, TAP_END_HOLD, TAP_INTO_HOLD
from tests.session.conftest import T0, Driver, plan


@cache
def builtin() -> Catalogue:
    catalogue, problems = load_catalogue([(builtin_dir(), True)])
    assert problems == []
    return catalogue


def planned(exercise_id: str, **dose: Any) -> PlanItem:
    """A plan item with the catalogue's own default dose, changed by ``dose``."""
    d = builtin().get(exercise_id).dose
    fields: dict[str, Any] = {
        "phase": "mobility",
        "sets": 1,
        "reps": d.reps.default if d.reps else None,
        "hold_seconds": d.hold_seconds.default if d.hold_seconds else 0,
        "duration_seconds": d.duration_seconds.default if d.duration_seconds else None,
        "rest_seconds": d.rest_seconds,
        "per_side": d.per_side,
        "movement_seconds": d.movement_seconds,
        "reason": "test",
    }
    fields.update(dose)
    return PlanItem(exercise_id=exercise_id, **fields)


class Watcher:
    """Drives a session and looks at what both players would show after every step."""

    def __init__(self, *items: PlanItem) -> None:
        exercises = {i.exercise_id: builtin().get(i.exercise_id) for i in items}
        self.d = Driver(plan(*items), exercises)
        self.board = Board()
        self.board.take([e for _, e in self.d.log], self.d.definition)
        self.seen: list[Now] = []

    def send(self, event: Any) -> None:
        effects = self.d.send(event)
        self.board.take(effects, self.d.definition)
        self.look()

    def look(self) -> Now:
        shown = now(self.d.definition, self.d.state, self.board, self.d.now)
        self.seen.append(shown)
        return shown

    def run(self, until: float, every: float = 0.25) -> None:
        t = self.d.now
        while t < until and not self.d.state.finished and self.d.state.awaiting is None:
            t = min(until, t + every)
            self.send(Tick(t))

    def begin(self) -> None:
        self.d.pain(1)
        self.board.take([e for _, e in self.d.log], self.d.definition)
        self.look()

    def exercising(self) -> list[Now]:
        return [n for n in self.seen if n.progress.item_index is not None and n.progress.rep]


def test_knee_rolls_never_say_the_other_side_while_on_one_side() -> None:
    w = Watcher(planned("knee-rolls", reps=8))
    w.begin()
    w.run(T0 + 400)
    left = [n for n in w.exercising() if n.progress.side == "left"]
    assert {n.progress.rep for n in left} == set(range(1, 9))
    for n in left:
        assert "other side" not in n.cue.lower(), (n.progress.rep, n.progress.phase, n.cue)
        assert "other side" not in n.instruction.lower(), n.instruction
    # Rep 4 (where the old rotation of steps said "Now the other side"): its own phases.
    rep4 = {n.progress.phase: n.cue for n in left if n.progress.rep == 4}
    assert rep4["move"].startswith("4 of 8. Roll your knees to one side")
    assert rep4["hold"].startswith("Hold for a breath")
    assert rep4["release"] == "Back to the middle."
    # The sides are the engine's to announce, once, at the switch.
    said = [e.text for _, e in w.d.log if isinstance(e, Cue)]
    assert said.count("Switch sides: now your right side.") == 1
    assert not any("alternate" in text for text in said)  # a bare tempo note is no cue


def test_press_up_says_push_while_pushing_and_hold_while_holding() -> None:
    w = Watcher(planned("prone-press-up", reps=3))
    w.begin()
    w.run(T0 + GET_READY_SECONDS + 1)
    shown = w.look()
    assert (shown.progress.phase, shown.progress.rep) == ("move", 1)
    # How to move (the tempo) is said with the first movement, not as a cue of its own.
    assert shown.cue == (
        "1 of 3. Push up slowly, hips stay down. Slow on the way up and on the way down."
    )
    assert "straighten your elbows" in shown.instruction
    assert "relax completely" not in shown.instruction  # the set-up belongs to get-ready
    assert shown.tap == TAP_INTO_HOLD
    w.run(T0 + GET_READY_SECONDS + 4)
    shown = w.look()
    assert shown.progress.phase == "hold" and shown.cue == "Hold and breathe: 10 seconds."
    assert "Push up" not in shown.cue and shown.tap == TAP_END_HOLD
    w.run(T0 + GET_READY_SECONDS + 13)
    shown = w.look()
    assert shown.progress.phase == "release" and shown.cue == "Lower slowly."
    assert shown.tap == TAP_BACK


def test_the_whole_movement_is_said_on_every_rep() -> None:
    w = Watcher(planned("bottom-to-heels", reps=5))
    w.begin()
    w.run(T0 + 200)
    by_rep: dict[int, set[str]] = {}
    for n in w.exercising():
        by_rep.setdefault(n.progress.rep or 0, set()).add(n.cue)
    assert sorted(by_rep) == [1, 2, 3, 4, 5]
    for rep, said in by_rep.items():
        assert f"{rep} of 5. Bottom back toward your heels." in said
        assert "Hold for one deep breath: 5 seconds." in said  # not only on rep 3
        assert "And back to the start." in said


def test_the_persons_version_stays_through_every_phase() -> None:
    version = builtin().get("prone-press-up").modifications["wrist"].text
    w = Watcher(planned("prone-press-up", reps=4, modification=version))
    w.begin()
    w.run(T0 + 200)
    phases = {n.progress.phase for n in w.exercising()}
    assert phases == {"move", "hold", "release"}
    for n in w.seen:
        if n.progress.item_index is not None and n.progress.phase != "check-in":
            assert n.version == version and n.picture_note is not None, n.progress.phase
    ready = [e.text for _, e in w.d.log if isinstance(e, Cue) and e.text.startswith("Get ready")]
    assert ready and f"Your version: {version}" in ready[0]


def test_a_tap_ends_the_phase_and_never_skips_the_hold() -> None:
    w = Watcher(planned("childs-pose"))  # 2 x 30 s
    w.begin()
    w.run(T0 + GET_READY_SECONDS + 1)
    w.send(RepDone(w.d.now))  # in position: the 30 s hold starts in full
    shown = w.look()
    assert (shown.progress.phase, shown.progress.seconds_left) == ("hold", 30)
    w.send(RepDone(w.d.now + 0.5))  # a second tap ends the hold
    assert w.look().progress.phase == "release"
    assert w.d.state.stage == "exercise" and w.d.effects(SetFinished) == []
    w.send(RepDone(w.d.now + 0.5))  # back: rep 1 done, rep 2 starts
    shown = w.look()
    assert (shown.progress.phase, shown.progress.rep) == ("move", 2)
    w.run(w.d.now + 60)
    [done] = w.d.effects(SetFinished)
    # Rep 1 held half a second, rep 2 its full 30 s: the record says so.
    assert done.reps_done == 2 and done.hold_seconds_done == pytest.approx((0.5 + 30) / 2)


def test_cat_cow_moves_with_a_breathing_pacer() -> None:
    w = Watcher(planned("cat-cow", reps=2))
    w.begin()
    w.run(T0 + 60, every=0.5)
    start = next(e.started_at for _, e in w.d.log if isinstance(e, PhaseStarted) and e.rep == 1)
    breaths = [(t - start, e.breath, e.seconds) for t, e in w.d.log if isinstance(e, BreathCue)]
    # Out as the back rounds up, in as it dips: one breath each way per repetition.
    assert breaths == [(0.0, "out", 4.0), (4.0, "in", 4.0), (8.0, "out", 4.0), (12.0, "in", 4.0)]
    assert any(n.breath == "out" for n in w.exercising())
    assert words_for(BreathCue("out", 4.0)) == "Breathe out"


def test_no_well_done_when_nothing_was_done() -> None:
    w = Watcher(planned("bridge"), planned("knee-rolls"))
    w.begin()
    w.send(Skip(w.d.now + 1))
    w.send(Skip(w.d.now + 1))
    w.d.pain(1)
    w.board.take([e for _, e in w.d.log], w.d.definition)
    [finished] = w.d.effects(SessionFinished)
    assert finished.summary.sets_done == 0
    said = " ".join(e.text for _, e in w.d.log if isinstance(e, Cue))
    assert "Well done" not in said
    ending = w.look().ending
    assert ending is not None and ending.title == "Session over"
    assert "that is all right" in ending.text and "Well done" not in ending.text


def test_the_board_round_trips_through_json() -> None:
    w = Watcher(planned("bridge"))
    w.begin()
    w.run(T0 + 20)
    again = Board.from_dict(w.board.to_dict())
    assert again == w.board
    assert Board.from_dict({"notices": [{"nope": 1}]}) == Board()
