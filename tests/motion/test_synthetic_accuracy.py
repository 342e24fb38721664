"""Rep counts, hold times and form faults on synthetic landmark sequences with known truth.

Each sequence plays an exercise's key poses through the body model at changing tempos, seen by
cameras turned, tilted or on their side, with landmark noise and dropouts, and with faults
injected into some repetitions by changing their key poses. The analysis only ever sees the
landmarks. The figures are printed at the end of the run (see conftest.py).
"""

from __future__ import annotations

import random

import pytest

from backcoach.body.timing import Tempo, tempo_of
from backcoach.catalogue import Exercise
from backcoach.motion.analyse import Analyser
from backcoach.motion.reference import reference
from backcoach.motion.synthetic import RepPlan, Truth, play
from tests.motion.figures import Figures
from tests.motion.scenarios import CAMERAS, FAULTS, coached_exercises, faulty, shallow

EXERCISES = coached_exercises()
NOISE_M = 0.008
"""Landmark jitter, metres: about what MediaPipe shows on a still person filmed at 720p."""
DROPOUT = 0.03
"""Chance a frame has nobody in it, and (separately) that one landmark is hidden."""
FPS = 20.0
REPS = 6
HOLD_TOLERANCE_S = 1.2
"""A hold may read long by the time the movement spends within 5% of its range of the end
pose: up to a second for a slow press-up, whose chest height barely changes as the elbows
straighten."""


def _plans(exercise: Exercise, seed: int) -> list[RepPlan]:
    """Six repetitions at tempos from 0.7 to 1.5 times the dose, holds varied, and two of them
    faulty (each fault of the exercise in turn)."""
    rng = random.Random(seed)
    key_poses = exercise.key_poses
    assert key_poses is not None
    base = tempo_of(exercise.dose, max_hold=6)
    faults = FAULTS[exercise.id]
    plans = []
    for i in range(REPS):
        pace = rng.uniform(0.7, 1.5)
        hold = base.hold * rng.uniform(0.6, 1.2) if exercise.dose.hold_seconds else base.hold
        tempo = Tempo(base.out * pace, hold, base.back * pace, base.pause + rng.uniform(0.3, 1.0))
        if faults and i in (2, 4):
            change, rules = faults[(i // 2 + seed) % len(faults)]
            plans.append(RepPlan(tempo, faulty(key_poses, change), rules))
        else:
            plans.append(RepPlan(tempo))
    return plans


def _score(
    result: dict[str, object], truths: list[Truth], figures: Figures, holds: bool
) -> list[str]:
    """Adds the run to the figures; returns what went wrong, for the assertion message."""
    problems = []
    reps = result["rep_times"]
    assert isinstance(reps, list)
    figures.add_run(len(reps), len(truths))
    if len(reps) != len(truths):
        problems.append(f"counted {len(reps)} reps, made {len(truths)}")
    # Each counted rep is matched to the made one it overlaps most.
    for rep in reps:
        made = max(truths, key=lambda t: min(t.end, rep["end"]) - max(t.start, rep["start"]))
        if holds and not made.faults:
            # Holds are scored on clean repetitions: a faulty pose changes the path itself.
            error = rep["hold_seconds"] - made.hold_seconds
            figures.hold_errors.append(error)
            if abs(error) > HOLD_TOLERANCE_S:
                problems.append(
                    f"rep {rep['rep']}: hold {rep['hold_seconds']} s, "
                    f"made {made.hold_seconds:.2f} s"
                )
    wanted = {(i + 1, rule) for i, t in enumerate(truths) for rule in t.faults}
    faults = result["faults"]
    assert isinstance(faults, list)
    found = {(f["rep"], f["rule"]) for f in faults}
    figures.true_faults += len(wanted & found)
    figures.false_faults += len(found - wanted)
    figures.missed_faults += len(wanted - found)
    if found != wanted:
        problems.append(f"faults found {sorted(found)}, injected {sorted(wanted)}")
    return problems


def _run(
    exercise: Exercise, plans: list[RepPlan], camera_name: str, seed: int
) -> tuple[dict[str, object], list[Truth]]:
    assert exercise.key_poses is not None
    frames, truths = play(
        exercise.key_poses, plans, FPS, CAMERAS[camera_name], NOISE_M, DROPOUT, seed=seed
    )
    analyser = Analyser(reference(exercise), fps=FPS)
    for frame in frames:
        analyser.feed(frame)
    analyser.finish()
    return analyser.result(), truths


def _cameras(exercise: Exercise) -> tuple[str, ...]:
    # Seen from the foot end, a camera turned 20 degrees mixes the shoulders' line with the
    # body's length and cannot be levelled from the pose: that view needs a square-on camera
    # (docs/coach.md says so), so it is tested turned 15 degrees without a tilt.
    assert exercise.key_poses is not None
    end_on = exercise.key_poses.view in ("head-end", "foot-end")
    turned = "turned-away-15" if end_on else "turned-20-tilted-4"
    side = "phone-on-side-cw" if len(exercise.id) % 2 else "phone-on-side-ccw"
    return ("as-drawn", turned, side)


CASES = [(i, camera) for i in sorted(EXERCISES) for camera in _cameras(EXERCISES[i])]


@pytest.mark.parametrize(("exercise_id", "camera"), CASES)
def test_counts_holds_and_faults(exercise_id: str, camera: str, accuracy: Figures) -> None:
    exercise = EXERCISES[exercise_id]
    seed = sum(map(ord, exercise_id + camera))
    result, truths = _run(exercise, _plans(exercise, seed), camera, seed)
    problems = _score(result, truths, accuracy, holds=exercise.dose.hold_seconds is not None)
    assert not problems, f"{exercise_id} seen {camera}: " + "; ".join(problems)


@pytest.mark.parametrize("which", [1, 2])
def test_cat_cow_shallow_every_time(which: int, accuracy: Figures) -> None:
    """Going only part of the way to the cat (or the cow) in every repetition is flagged in
    every repetition, with that pose's rule; the full range is not flagged."""
    exercise = EXERCISES["cat-cow"]
    assert exercise.key_poses is not None
    poses = shallow(exercise.key_poses, which, 0.3 if which == 1 else 0.5)
    base = tempo_of(exercise.dose)
    plans = [RepPlan(base, poses, frozenset({which - 1})) for _ in range(4)]
    result, truths = _run(exercise, plans, "turned-away-15", seed=which)
    assert not _score(result, truths, accuracy, holds=False)


def test_faults_need_the_fault(accuracy: Figures) -> None:
    """Clean repetitions of every exercise raise no fault at all (precision on clean data)."""
    for exercise in EXERCISES.values():
        base = tempo_of(exercise.dose, max_hold=4)
        result, truths = _run(exercise, [RepPlan(base)] * 3, "turned-away-15", seed=7)
        assert not _score(result, truths, accuracy, holds=False), exercise.id


def test_overall_figures(accuracy: Figures) -> None:
    """Run last in this module: the thresholds the figures must meet."""
    if accuracy.runs < len(CASES):
        pytest.skip("needs the whole module to have run")
    assert accuracy.exact_counts / accuracy.runs >= 0.95
    assert sum(abs(e) for e in accuracy.hold_errors) / len(accuracy.hold_errors) <= 0.5
    assert accuracy.precision >= 0.9
    assert accuracy.recall >= 0.9
