"""The robustness matrix (issue 17): repetition counts under many cameras and conditions.

Synthetic landmark sequences from the body model, for the two example exercises (leg raise,
sit-up) and the bridge, seen rotated, mirrored, from the side, the front, the head end and
three-quarter, turned 15-60 degrees and from above (20-45 degrees), small (112 px) and large
(480 px), at half and double speed, brisk and with long holds, frozen, noisy, and partly hidden
(a plant in front of one leg, a band over the feet). The analysis only ever sees the landmarks,
with their world positions as MediaPipe gives them (angles in 3D); the camera positions are
also run with the picture's landmarks alone, for comparison. For each condition the mean
absolute count error and the share of sets counted within one repetition are printed at the
end of the run; the targets are those of the issue: MAE <= 0.1 and >= 95% within one rep
overall, and no condition below 80%. The leg-raise video's variants are in
test_real_video_matrix.py.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest

from backcoach.body.timing import Tempo, tempo_of
from backcoach.catalogue import Exercise
from backcoach.motion.analyse import Analyser
from backcoach.motion.frames import Mark, PoseFrame
from backcoach.motion.reference import reference
from backcoach.motion.synthetic import Camera, RepPlan, play
from tests.motion.figures import Figures
from tests.motion.scenarios import coached_exercises, sit_up

FPS = 15.0
"""The rate a phone or laptop camera gives through MediaPipe on a 2-core machine."""
REPS = 5
NOISE_M = 0.008


@dataclass(frozen=True)
class Condition:
    camera: Camera = field(default_factory=Camera)
    speed: float = 1.0
    hold: float | None = None
    brisk: bool = False
    noise: float = NOISE_M
    dropout: float = 0.02
    after: Callable[[list[PoseFrame], random.Random], list[PoseFrame]] | None = None


def _freeze(frames: list[PoseFrame], rng: random.Random) -> list[PoseFrame]:
    """Two stretches of 0.6 s where the picture froze (the same landmarks repeated)."""
    out = list(frames)
    for _ in range(2):
        at = rng.randrange(int(FPS * 2), len(out) - int(FPS))
        for k in range(at, at + int(0.6 * FPS)):
            out[k] = PoseFrame(out[k].t, out[at - 1].marks)
    return out


def _hide_far_leg(frames: list[PoseFrame], rng: random.Random) -> list[PoseFrame]:
    """Something (a plant, a chair) in front of one leg for the whole set."""
    hidden = {"left_knee", "left_ankle", "left_heel", "left_foot_index"}
    return [
        PoseFrame(
            f.t,
            None
            if f.marks is None
            else {n: Mark(m.x, m.y, 0.1) if n in hidden else m for n, m in f.marks.items()},
        )
        for f in frames
    ]


def _band_over_feet(frames: list[PoseFrame], rng: random.Random) -> list[PoseFrame]:
    """A grey band across the picture over the third of the body at the feet end, for the
    whole set: what falls in it is guessed (seen under 0.5, placed about 5 cm off at the
    default 150 pixels a metre)."""
    first = next(f.marks for f in frames if f.marks is not None)
    spans = {n: (m.x, m.y) for n, m in first.items()}
    feet = [spans[f"{s}_ankle"] for s in ("left", "right")]
    head = spans["nose"]
    # Along the body's longer extent in the picture (a phone on its side turns it).
    axis = 0 if abs(head[0] - feet[0][0]) >= abs(head[1] - feet[0][1]) else 1
    foot = sum(p[axis] for p in feet) / 2
    reach = abs(foot - head[axis]) / 3
    near, far = (foot - reach, foot + 1e9) if foot > head[axis] else (foot - 1e9, foot + reach)
    out = []
    for f in frames:
        if f.marks is None:
            out.append(f)
            continue
        marks = {}
        for n, m in f.marks.items():
            if near <= (m.x, m.y)[axis] <= far:
                m = m._replace(x=m.x + rng.gauss(0, 7.5), y=m.y + rng.gauss(0, 7.5), visibility=0.2)
            marks[n] = m
        out.append(PoseFrame(f.t, marks))
    return out


CONDITIONS: dict[str, Condition] = {
    "side": Condition(),
    "phone-on-side-90": Condition(camera=Camera(quarter=1)),
    "phone-on-side-270": Condition(camera=Camera(quarter=3, roll_deg=-3)),
    "mirrored": Condition(camera=Camera(mirror=True)),
    "speed-0.5x": Condition(speed=2.0),
    "speed-2x": Condition(speed=0.5),
    "brisk-0.15s-turns": Condition(brisk=True),
    "slow-8s-holds": Condition(hold=8.0),
    "frozen-picture": Condition(after=_freeze),
    "yaw-15": Condition(camera=Camera(yaw_deg=15)),
    "yaw-30": Condition(camera=Camera(yaw_deg=30)),
    "yaw-45-other-way": Condition(camera=Camera(yaw_deg=-45)),
    "yaw-60": Condition(camera=Camera(yaw_deg=60)),
    "pitch-20": Condition(camera=Camera(pitch_deg=20)),
    "pitch-30-yaw-30": Condition(camera=Camera(yaw_deg=30, pitch_deg=30)),
    "pitch-45": Condition(camera=Camera(pitch_deg=45)),
    "three-quarter-front": Condition(camera=Camera(yaw_deg=45, pitch_deg=15)),
    "front": Condition(camera=Camera(yaw_deg=90, pitch_deg=10)),
    "head-end": Condition(camera=Camera(yaw_deg=-90, pitch_deg=10)),
    "size-112px": Condition(camera=Camera(pixels_per_m=55, size=(112, 112)), noise=0.02),
    "size-480px": Condition(camera=Camera(pixels_per_m=250, size=(480, 480)), noise=0.005),
    "dim-noisy": Condition(noise=0.02, dropout=0.08),
    "occluded-leg": Condition(after=_hide_far_leg, dropout=0.05),
    "band-over-feet": Condition(after=_band_over_feet),
}

EXERCISES = {**coached_exercises(), "sit-up": sit_up()}
MATRIX = ("leg-raise", "sit-up", "bridge")
KNOWN_LIMITS: dict[tuple[str, str], str] = {}
"""Cells left out of the matrix, with the reason printed beside the figures. The leg raise
seen from the foot end was one until angles were measured between world landmarks (3D): in the
picture, thigh and trunk both point at the camera and the hip angle cannot be seen."""


def _plans(exercise: Exercise, cond: Condition, rng: random.Random) -> list[RepPlan]:
    base = tempo_of(exercise.dose, max_hold=4)
    plans = []
    for _ in range(REPS):
        pace = rng.uniform(0.85, 1.15) * cond.speed
        if cond.brisk:
            tempo = Tempo(0.5 * pace, 0.15, 0.5 * pace, 0.15)
        else:
            hold = cond.hold if cond.hold is not None else base.hold * cond.speed
            tempo = Tempo(base.out * pace, hold, base.back * pace, (base.pause + 0.5) * pace)
        plans.append(RepPlan(tempo))
    return plans


CAMERA_CONDITIONS = tuple(
    n for n, c in CONDITIONS.items() if c.camera.yaw_deg or c.camera.pitch_deg
)


def run(
    exercise_id: str, cond: Condition, seed: int, world: bool = True
) -> tuple[int, int, dict[str, object]]:
    """(counted, made, result) for one synthetic set; ``world=False`` leaves out the world
    positions (angles measured in the picture alone)."""
    exercise = EXERCISES[exercise_id]
    assert exercise.key_poses is not None
    # The tempos depend on the exercise only, so the body model's tracks are reused across
    # the cameras (the slow part of a synthetic run); noise and dropouts vary with the seed.
    plans = _plans(exercise, cond, random.Random(exercise_id))
    rng = random.Random(seed)
    frames, truths = play(
        exercise.key_poses,
        plans,
        FPS,
        cond.camera,
        cond.noise,
        cond.dropout,
        lead_s=1.0,
        seed=seed,
        world=world,
    )
    if cond.after is not None:
        frames = cond.after(frames, rng)
    analyser = Analyser(reference(exercise), fps=FPS)
    for frame in frames:
        analyser.feed(frame)
    analyser.finish()
    result = analyser.result()
    counted = result["reps"]
    assert isinstance(counted, int)
    return counted, len(truths), result


@dataclass
class Cell:
    errors: list[int]

    @property
    def mae(self) -> float:
        return statistics.fmean(abs(e) for e in self.errors)

    @property
    def within_one(self) -> float:
        return sum(abs(e) <= 1 for e in self.errors) / len(self.errors)


def _line(name: str, cell: Cell) -> str:
    return (
        f"  {name:<32} sets {len(cell.errors):>2}  MAE {cell.mae:.2f}  "
        f"within one rep {cell.within_one:.0%}  errors {cell.errors}"
    )


def test_synthetic_matrix(accuracy: Figures) -> None:
    cells: dict[str, Cell] = {}
    for name, cond in CONDITIONS.items():
        errors = []
        for i, exercise_id in enumerate(MATRIX):
            if (exercise_id, name) in KNOWN_LIMITS:
                continue
            counted, made, _ = run(exercise_id, cond, seed=17 * i + len(name))
            errors.append(counted - made)
        cells[name] = Cell(errors)
    overall = Cell([e for c in cells.values() for e in c.errors])
    # The camera positions again with the picture's landmarks alone (no world positions, as a
    # CSV or an old landmark file): what the 3D angles add to counting.
    flat = []
    for name in CAMERA_CONDITIONS:
        for i, exercise_id in enumerate(MATRIX):
            counted, made, _ = run(exercise_id, CONDITIONS[name], 17 * i + len(name), world=False)
            flat.append(counted - made)
    accuracy.notes += [
        f"robustness matrix, synthetic ({', '.join(MATRIX)}; {REPS} reps a set, {FPS:g} fps):",
        *(_line(n, c) for n, c in cells.items()),
        _line("overall", overall),
        _line("camera positions, picture alone", Cell(flat)),
        *(f"  not in the matrix: {e} seen {c}: {why}" for (e, c), why in KNOWN_LIMITS.items()),
    ]
    assert overall.mae <= 0.1, _line("overall", overall)
    assert overall.within_one >= 0.95
    worst = min(cells, key=lambda n: cells[n].within_one)
    assert cells[worst].within_one >= 0.8, _line(worst, cells[worst])


def test_still_body_and_empty_room_count_nothing() -> None:
    """A person lying still with fidgets (landmark noise of 3 cm) and a room with nobody in
    it: no repetition, and the result says why in plain words."""
    still = replace(CONDITIONS["side"], noise=0.03)
    exercise = EXERCISES["leg-raise"]
    assert exercise.key_poses is not None
    start = exercise.key_poses.poses[0]
    frozen_poses = exercise.key_poses.model_copy(update={"poses": [start, start]})
    frames, _ = play(frozen_poses, [RepPlan(Tempo(1, 1, 1, 1))] * 4, FPS, noise=still.noise)
    analyser = Analyser(reference(exercise), fps=FPS)
    for frame in frames:
        analyser.feed(frame)
    analyser.finish()
    result = analyser.result()
    assert result["reps"] == 0
    assert any("no movement large enough" in s for s in result["not_seen"])

    empty = Analyser(reference(exercise), fps=FPS)
    for k in range(150):
        empty.feed(PoseFrame(k / FPS, None))
    empty.finish()
    result = empty.result()
    assert result["reps"] == 0 and not result["faults"] and not result["form_judged"]
    assert result["tracking"]["quality"] == "poor"
    assert any("measured in only 0%" in s for s in result["not_seen"])


@pytest.mark.parametrize("speed", [0.5, 2.0])
def test_brisk_and_slow_sets_of_the_sit_up(speed: float) -> None:
    """Both tempos of the new example count exactly, seen from the front three-quarter."""
    cond = replace(CONDITIONS["three-quarter-front"], speed=speed)
    counted, made, _ = run("sit-up", cond, seed=5)
    assert counted == made
