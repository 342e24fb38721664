"""Reference values from the key poses: where each feature starts, ends and may go.

The body model places every key pose (and the frames between them) on the floor and names its
landmarks like MediaPipe's; the features are read from them exactly as from a camera. So the
thresholds that count repetitions and judge form come from the exercise's own key poses, not
from numbers tuned to one video.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from backcoach.body.landmarks import Landmark, landmarks
from backcoach.body.placement import Placed
from backcoach.body.scene import build_scene
from backcoach.catalogue.model import (
    FEATURE_KINDS,
    FEATURES_DOCS,
    RULES_DOCS,
    TRACK_DOCS,
    WITHOUT_DOCS,
    WRITING_YOUR_OWN,
    CoachFeature,
    CoachSpec,
    Exercise,
    FormRule,
)
from backcoach.motion.features import Frame, body_scale, combine, floor_line, side_values
from backcoach.motion.frames import Mark, Marks, World
from backcoach.motion.phases import ENTER

MIN_TRACK_CHANGE = {
    "angle": 15.0,
    "tilt": 10.0,
    "height": 0.15,
    "difference": 0.15,
    "turn": 30.0,
}
"""The tracked feature must change at least this much from the start pose to the last (degrees
or trunk lengths), or noise of a few degrees could count repetitions nobody made. A turn reads
on the line between the hips, some 18 cm long: with 8 mm of landmark jitter it wobbles 4-9
degrees a frame (more as the camera turns toward the front), and at 20 degrees a seated twist
seen turned 45-60 degrees counted jitter in the lead-in as a repetition."""

DEGREES = frozenset({"angle", "tilt", "turn"})
"""Feature kinds measured in degrees (the others in trunk lengths)."""


class NotCoachable(ValueError):
    """The exercise cannot be coached from a camera; the message says why and what to do, and
    ``where`` names the field of the exercise file at fault."""

    def __init__(self, message: str, where: tuple[str | int, ...] = ("coach",)) -> None:
        super().__init__(message)
        self.where = where


def body_marks(placed: Placed) -> Marks:
    """The body model's landmarks as upright marks (metres, y up), all fully visible, with
    their world positions as MediaPipe gives them (:func:`world_of`)."""
    body = landmarks(placed)
    return {name: Mark(p.x, p.y, 1.0, world_of(p, body)) for name, p in body.items()}


def world_of(point: Landmark, body: Mapping[str, Landmark]) -> World:
    """A body-model landmark's world position as MediaPipe's ``pose_world_landmarks`` has it:
    metres from the point midway between the hips, x to the right, y down, z away from the
    camera (the body model's depth is toward the viewer, its y up)."""
    left, right = body["left_hip"], body["right_hip"]
    return (
        point.x - (left.x + right.x) / 2,
        (left.y + right.y) / 2 - point.y,
        (left.depth + right.depth) / 2 - point.depth,
    )


def frame_of(marks: Marks) -> Frame | None:
    """Upright marks with their scale and floor line; None when the trunk is not seen."""
    scale, floor = body_scale(marks), floor_line(marks)
    if scale is None or floor is None:
        return None
    return Frame(marks, scale, floor)


def kind_of(spec: CoachFeature) -> str:
    return next(k for k in FEATURE_KINDS if getattr(spec, k))


def amount(spec: CoachFeature, value: float) -> str:
    """A change of the feature, with its unit: degrees or trunk lengths."""
    if kind_of(spec) in DEGREES:
        return f"{value:.1f} degrees"
    return f"{value:.2f} trunk lengths"


@dataclass(frozen=True)
class RuleRef:
    """A form rule with its limits taken from the key poses."""

    rule: FormRule
    low: float
    high: float
    """stay: the allowed range (key-pose range widened by the tolerance); reach: the target
    value sits in the middle and the range is target +- tolerance."""


@dataclass(frozen=True)
class Reference:
    """Everything the analysis needs from an exercise: features, track thresholds, rules."""

    exercise_id: str
    spec: CoachSpec
    start_sides: dict[str, dict[str, float]]
    """Per feature, its value on each side in the start pose (for ``side: either``)."""
    pose_values: list[dict[str, float]]
    """Per key pose, every feature's value."""
    track_start: float
    track_end: float
    rules: list[RuleRef]
    start_marks: list[Marks]
    """Upright landmarks of each key pose, for finding which way up the picture is."""
    name: str = ""
    """The exercise's name, for messages."""
    path_frames: tuple[Frame, ...] = ()
    """The body model's frames from the first key pose to the last, for checking that a video
    shows this exercise (position and moving parts; :mod:`backcoach.motion.verify`)."""
    hold_sign: float = 0.0
    """For a separate hold feature (``coach.hold``): +1 or -1, the way it moves from the first
    key pose to the last; 0 when holds are timed on the tracked feature."""
    hold_range: float = 0.0
    """That feature's change from the first key pose to the last."""

    def hold_value(self, values: dict[str, float | None]) -> float | None:
        """The hold feature's value, signed so that further out is larger; None without one."""
        name = self.spec.hold
        value = values.get(name) if name is not None else None
        return None if value is None or not self.hold_sign else self.hold_sign * value

    def sides(self, frame: Frame) -> dict[str, dict[str, float]]:
        """Every feature's value on each side seen (see :func:`side_values`)."""
        return {name: side_values(spec, frame) for name, spec in self.spec.features.items()}

    def combine(self, sides: dict[str, dict[str, float]]) -> dict[str, float | None]:
        """One value per feature from its sides."""
        return {
            name: combine(spec, sides.get(name, {}), self.start_sides[name])
            for name, spec in self.spec.features.items()
        }

    def features(self, frame: Frame) -> dict[str, float | None]:
        return self.combine(self.sides(frame))

    def progress(self, value: float) -> float:
        """How far the tracked feature is from the start pose (0) to the last pose (1)."""
        return (value - self.track_start) / (self.track_end - self.track_start)


def reference(exercise: Exercise) -> Reference:
    """The exercise's reference values; NotCoachable when it has no coach section or its
    tracked feature barely changes between the key poses."""
    spec, key_poses = exercise.coach, exercise.key_poses
    if spec is None or key_poses is None:
        raise NotCoachable(
            f"'{exercise.id}' has no 'coach' section, so the camera coach does not know what "
            f"to measure ({WITHOUT_DOCS} says why some have none); choose an exercise that has "
            f"one, or write a coach section in your own file (see {WRITING_YOUR_OWN})"
        )
    scene = build_scene(key_poses)
    # As on video, the floor line is the lowest landmark over the whole movement.
    lowest = min(_frame(f.placed).floor for f in scene.forward)
    key_frames = [_frame(f.placed, lowest) for f in scene.frames]
    start_sides = {n: side_values(s, key_frames[0]) for n, s in spec.features.items()}
    values_of = _evaluator(spec, start_sides)
    pose_values = [values_of(f) for f in key_frames]
    path_frames = tuple(_frame(f.placed, lowest) for f in scene.forward)
    path = [values_of(f) for f in path_frames]
    track = spec.features[spec.track]
    start, end = pose_values[0][spec.track], pose_values[-1][spec.track]
    least = MIN_TRACK_CHANGE[kind_of(track)]
    if abs(end - start) < least:
        raise NotCoachable(
            f"'{exercise.id}': the tracked feature '{spec.track}' changes only "
            f"{amount(track, abs(end - start))} between the first and last key pose (at least "
            f"{amount(track, least)} is needed to count repetitions); track a feature that "
            f"moves more between the key poses (see {FEATURES_DOCS})",
            ("coach", "track"),
        )
    hold_sign = hold_range = 0.0
    if spec.hold is not None and spec.hold != spec.track:
        first, last = pose_values[0][spec.hold], pose_values[-1][spec.hold]
        hold_range = abs(last - first)
        if hold_range < MIN_TRACK_CHANGE[kind_of(spec.features[spec.hold])]:
            held = spec.features[spec.hold]
            raise NotCoachable(
                f"'{exercise.id}': the hold feature '{spec.hold}' changes only "
                f"{amount(held, hold_range)} between the first and last key pose (at least "
                f"{amount(held, MIN_TRACK_CHANGE[kind_of(held)])} is needed to time a hold "
                f"by); name a feature that moves more, or leave 'hold' out (see {TRACK_DOCS})",
                ("coach", "hold"),
            )
        hold_sign = 1.0 if last > first else -1.0
    rules = []
    roles = [p.role for p in key_poses.poses]
    room = (1.0 - ENTER) * abs(end - start)
    for i, rule in enumerate(spec.rules):
        if rule.check == "stay":
            seen_values = [v[rule.feature] for v in path]
            low, high = min(seen_values) - rule.tolerance, max(seen_values) + rule.tolerance
        else:
            index = len(roles) - 1 if rule.pose is None else rule.pose
            if isinstance(index, str):
                index = roles.index(index)
            target = pose_values[index][rule.feature]
            low, high = target - rule.tolerance, target + rule.tolerance
            if rule.feature == spec.track and index == len(roles) - 1 and rule.tolerance >= room:
                feature = spec.features[rule.feature]
                raise NotCoachable(
                    f"'{exercise.id}': rules[{i}] on '{rule.feature}' allows "
                    f"{amount(feature, rule.tolerance)}, but a repetition only counts once it "
                    f"is within {amount(feature, room)} of the last pose, so the rule could "
                    f"never be broken; use a smaller tolerance or track another feature (see "
                    f"{RULES_DOCS})",
                    ("coach", "rules", i, "tolerance"),
                )
        rules.append(RuleRef(rule, low, high))
    return Reference(
        exercise.id,
        spec,
        start_sides,
        pose_values,
        start,
        end,
        rules,
        [f.marks for f in key_frames],
        exercise.name,
        path_frames,
        hold_sign,
        hold_range,
    )


def _frame(placed: Placed, floor: float | None = None) -> Frame:
    frame = frame_of(body_marks(placed))
    assert frame is not None  # the body model always has its shoulders and hips
    return frame if floor is None else Frame(frame.marks, frame.scale, floor)


def _evaluator(
    spec: CoachSpec, start: dict[str, dict[str, float]]
) -> Callable[[Frame], dict[str, float]]:
    def values(frame: Frame) -> dict[str, float]:
        out = {}
        for name, feature in spec.features.items():
            value = combine(feature, side_values(feature, frame), start[name])
            assert value is not None  # every landmark of the body model is visible
            out[name] = value
        return out

    return values
