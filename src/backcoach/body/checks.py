"""Pose checks that need the body's geometry, reported like any other catalogue problem.

The catalogue's schema already rejects angles outside human ranges; here every key pose is put
on the floor and each resting part must really touch its support (within 2 cm), and a pose
that leans on a prop (or loops a towel round a foot) needs that prop in the exercise's
equipment. The catalogue loader calls :func:`check_exercise` through its ``extra_checks``
hook, so the catalogue package itself never imports the body model.
"""

from __future__ import annotations

from backcoach.body.contacts import contact_specs
from backcoach.body.placement import CONTACT_TOLERANCE_M, Placed
from backcoach.body.scene import pose_frame
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.poses import KeyPose, KeyPoses, Support

Finding = tuple[list[str | int], str, str]
"""(location in the file, what is wrong, how to fix it)."""

_PROP_EQUIPMENT = {"chair": "chair", "wall": "wall", "roller": "foam-roller", "strap": "towel"}
"""Pose fields that need an item of equipment: the supports that are props, and the strap (a
towel does: the catalogue's equipment has no separate strap)."""
_WHERE = {"floor": "on the floor", "chair": "on the chair seat", "roller": "on the roller"}

Gap = tuple[Support, int, str, float]
"""(support, index in its list, listed name, worst gap in metres)."""


def check_exercise(exercise: Exercise) -> list[Finding]:
    """Every resting part of every key pose touches its support; props are in the equipment."""
    key_poses = exercise.key_poses
    if key_poses is None:
        return []
    findings: list[Finding] = []
    for i, pose in enumerate(key_poses.poses):
        used = [*pose.rests_on(), *(["strap"] if pose.strap is not None else [])]
        for field in used:
            needed = _PROP_EQUIPMENT.get(field)
            if needed is not None and needed not in exercise.equipment:
                findings.append(
                    (
                        ["key_poses", "poses", i, field],
                        f"the pose uses a {field} but the exercise's equipment lacks a {needed}",
                        f"add '{needed}' to 'equipment' or "
                        + ("remove the strap" if field == "strap" else "rest the pose elsewhere"),
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


def _gaps(pose: KeyPose, key_poses: KeyPoses) -> tuple[Placed, list[Gap]]:
    """The placed body and the gap of every listed resting part."""
    placed = pose_frame(pose, key_poses).placed
    out: list[Gap] = []
    for support, names in pose.rests_on().items():
        for j, name in enumerate(names):
            gap = max(
                (placed.gaps[f"{support}:{spec.name}"] for spec in contact_specs(name)), key=abs
            )
            out.append((support, j, name, gap))
    return placed, out


def _misplaced(pose: KeyPose, key_poses: KeyPoses) -> list[Gap]:
    """The resting parts to blame. Placement shares a misfit among all resting parts, so when
    the rest fit once one part is left out, only that part is reported, with its gap then."""
    _, gaps = _gaps(pose, key_poses)
    bad = [g for g in gaps if abs(g[3]) > CONTACT_TOLERANCE_M]
    if len(bad) < 2:
        return bad
    blamed = []
    for support, j, name, gap in gaps:
        remaining = [n for n in getattr(pose, support) if n != name]
        without = pose.model_copy(update={support: remaining})
        if not any(s != "wall" for s in without.rests_on()):
            continue  # nothing left to bear the weight: placement needs something
        placed, others = _gaps(without, key_poses)
        if all(abs(g[3]) <= CONTACT_TOLERANCE_M for g in others):
            # A wall part's gap is sideways and, left out, the wall is not placed at all:
            # its shared gap stands. Any other part's gap is read off the body as placed.
            alone = gap if support == "wall" else placed.part_gap(name, support)
            blamed.append((support, j, name, alone))
    return blamed or bad


def _message(name: str, support: str, gap: float) -> str:
    cm = abs(gap) * 100
    if support == "wall":
        return f"'{name}' should rest against the wall but is {cm:.0f} cm away from it"
    where = "above" if gap > 0 else "below"
    return f"'{name}' should rest {_WHERE[support]} but the pose puts it {cm:.0f} cm {where} it"
