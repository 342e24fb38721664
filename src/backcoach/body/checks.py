"""Pose checks that need the body's geometry, reported like any other catalogue problem.

The catalogue's schema already rejects angles outside human ranges; here every key pose is put
on the floor and each resting part must really touch its support (within 2 cm), and a pose
that leans on a prop needs that prop in the exercise's equipment. The catalogue loader calls
:func:`check_exercise` through its ``extra_checks`` hook, so the catalogue package itself never
imports the body model.
"""

from __future__ import annotations

from backcoach.body.contacts import contact_specs
from backcoach.body.placement import (
    CONTACT_TOLERANCE_M,
    ROLLER_DIAMETER_M,
    SEAT_HEIGHT,
    Placed,
    Support,
)
from backcoach.body.scene import SUPPORTS, pose_frame
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.poses import KeyPose, KeyPoses

Finding = tuple[list[str | int], str, str]
"""(location in the file, what is wrong, how to fix it)."""

_PROP_EQUIPMENT = {"chair": "chair", "wall": "wall", "roller": "foam-roller"}
_WHERE = {"floor": "on the floor", "chair": "on the chair seat", "roller": "on the roller"}


def check_exercise(exercise: Exercise) -> list[Finding]:
    """Every resting part of every key pose touches its support; props are in the equipment."""
    key_poses = exercise.key_poses
    if key_poses is None:
        return []
    findings: list[Finding] = []
    for i, pose in enumerate(key_poses.poses):
        for support in SUPPORTS:
            needed = _PROP_EQUIPMENT.get(support)
            if getattr(pose, support) and needed is not None and needed not in exercise.equipment:
                findings.append(
                    (
                        ["key_poses", "poses", i, support],
                        f"the pose uses a {support} but the exercise's equipment lacks it",
                        f"add '{needed}' to 'equipment' or rest the pose elsewhere",
                    )
                )
        for support, j, name, gap in _misplaced(pose, key_poses):
            findings.append(
                (
                    ["key_poses", "poses", i, support, j],
                    _message(name, support, gap),
                    f"change the joint angles so '{name}' touches, or remove it from "
                    f"'{support}' (within {CONTACT_TOLERANCE_M * 100:.0f} cm counts)",
                )
            )
    return findings


def _gaps(pose: KeyPose, key_poses: KeyPoses) -> list[tuple[Support, int, str, float]]:
    """(support, index in its list, listed name, worst gap) for every listed resting part."""
    placed = pose_frame(pose, key_poses).placed
    out = []
    for support in SUPPORTS:
        for j, name in enumerate(getattr(pose, support)):
            gap = max(
                (placed.gaps[f"{support}:{spec.name}"] for spec in contact_specs(name)), key=abs
            )
            out.append((support, j, name, gap))
    return out


def _misplaced(pose: KeyPose, key_poses: KeyPoses) -> list[tuple[Support, int, str, float]]:
    """The resting parts to blame. Placement shares a misfit among all resting parts, so when
    the rest fit once one part is left out, only that part is reported, with its gap then."""
    gaps = _gaps(pose, key_poses)
    bad = [g for g in gaps if abs(g[3]) > CONTACT_TOLERANCE_M]
    if len(bad) < 2:
        return bad
    blamed = []
    for support, j, name, _gap in gaps:
        remaining = [n for n in getattr(pose, support) if n != name]
        if (
            support != "wall"
            and not remaining
            and not any(getattr(pose, s) for s in ("floor", "chair", "roller") if s != support)
        ):
            continue
        without = pose.model_copy(update={support: remaining})
        others = _gaps(without, key_poses)
        if all(abs(g[3]) <= CONTACT_TOLERANCE_M for g in others):
            placed = pose_frame(without, key_poses).placed
            gap = _gap if support == "wall" else _gap_of(placed, name, support)
            blamed.append((support, j, name, gap))
    return blamed or bad


def _gap_of(placed: Placed, name: str, support: Support) -> float:
    """How far a part not held to its support (floor, seat or roller) ends up from it."""
    target = {"chair": SEAT_HEIGHT * placed.height, "roller": ROLLER_DIAMETER_M}.get(support, 0.0)
    bottoms = []
    for spec in contact_specs(name):
        for seg, end in spec.ends:
            bottoms.append(placed.capsules[seg].end_bottom(end))
    return min(bottoms) - target


def _message(name: str, support: str, gap: float) -> str:
    cm = abs(gap) * 100
    if support == "wall":
        return f"'{name}' should rest against the wall but is {cm:.0f} cm away from it"
    where = "above" if gap > 0 else "below"
    return f"'{name}' should rest {_WHERE[support]} but the pose puts it {cm:.0f} cm {where} it"
