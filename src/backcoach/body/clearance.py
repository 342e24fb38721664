"""Keeping a moving limb off the floor between two key poses.

In-between frames blend the key poses' joint angles, and a straight blend can sweep a limb
through the floor: an arm coming forward from the side of a person lying face down, a leg
reaching back in a bird-dog while its toes still point down. Placement then lifts the whole
body so nothing is below the floor, and the parts that should rest float. A person moves the
limb along the floor instead; so does the figure: the limb's root joint (shoulder or hip)
turns the least it must to keep the limb above the floor, and the body rests again.
"""

from __future__ import annotations

from collections.abc import Callable

from backcoach.body import skeleton as sk
from backcoach.body.contacts import contact_specs
from backcoach.body.kinematics import Posture, forward
from backcoach.body.placement import Placed, lowest_as_placed, place
from backcoach.catalogue.poses import JOINT_LIMITS, Support, View

LIMBS: dict[str, tuple[str, tuple[str, ...]]] = {
    **{f"{s}_arm": (f"{s}_shoulder", tuple(f"{s}_{g}" for g in sk.ARM_SEGMENTS)) for s in sk.SIDES},
    **{f"{s}_leg": (f"{s}_hip", tuple(f"{s}_{g}" for g in sk.LEG_SEGMENTS)) for s in sk.SIDES},
}
"""Each limb: the joint that swings it (flexion) and its segments."""
FLOATING_M = 0.005
"""Resting parts this far off their supports, with a free limb on the floor, ask for a look."""
_SEARCH_DEG = 90
"""The furthest the root joint is turned from its blended angle to clear the floor."""


def settle(
    posture: Posture,
    view: View,
    side: sk.Side,
    supports: dict[Support, list[str]],
    height: float,
    turn_hint: float | None = None,
) -> tuple[Posture, Placed]:
    """Place ``posture``, first swinging any limb that holds the body off the floor clear of
    it. Returns the posture used and the placed body; the posture is unchanged when nothing
    needed moving (or moving did not help)."""
    placed = place(forward(posture, height), view, side, supports, turn_hint)
    free = _free_limbs(supports)
    segments = [seg for limb in free for seg in LIMBS[limb][1]]
    if view == "top" or placed.worst_gap <= FLOATING_M or not segments:
        return posture, placed
    touching = min(placed.capsules[seg].bottom for seg in segments)
    if touching > 1e-6:
        return posture, placed  # the free limbs are clear: something else lifts the body
    # Where the body would rest if the free limbs could pass through the floor.
    trial = place(forward(posture, height), view, side, supports, turn_hint, free=segments)
    moved = dict(posture)
    for limb in free:
        joint, limb_segments = LIMBS[limb]
        moved[joint] = _clear_angle(moved, joint, limb_segments, trial, side, height)
    settled = place(forward(moved, height), view, side, supports, turn_hint)
    if settled.worst_gap < placed.worst_gap:
        return moved, settled
    return posture, placed


def _free_limbs(supports: dict[Support, list[str]]) -> list[str]:
    """The limbs none of whose segments rests on anything."""
    resting = {
        seg
        for names in supports.values()
        for name in names
        for spec in contact_specs(name)
        for seg, _ in spec.ends
    }
    return [limb for limb, (_, segs) in LIMBS.items() if not resting & set(segs)]


def _clear_angle(
    posture: dict[str, float],
    joint: str,
    segments: tuple[str, ...],
    like: Placed,
    side: sk.Side,
    height: float,
) -> float:
    """The angle of ``joint`` nearest its blended one that keeps ``segments`` above the floor
    with the body placed as ``like`` (the one lifting them highest when none does)."""
    start = posture[joint]
    low, high = JOINT_LIMITS[joint.partition("_")[2]]

    def lowest(angle: float) -> float:
        body = forward({**posture, joint: angle}, height)
        return lowest_as_placed(body, like, side, segments)

    if lowest(start) >= 0.0:
        return start
    best = (lowest(start), start)
    for step in range(3, _SEARCH_DEG + 1, 3):
        for sign in (1.0, -1.0):
            angle = start + sign * step
            if not low <= angle <= high:
                continue
            h = lowest(angle)
            if h >= 0.0:
                return _boundary(lowest, angle - sign * 3.0, angle)
            best = max(best, (h, angle))
    return best[1]


def _boundary(lowest: Callable[[float], float], below: float, above: float) -> float:
    """Bisect between an angle that leaves the limb below the floor and one that clears it:
    the clearing angle nearest the first, so neighbouring frames move the limb smoothly."""
    for _ in range(12):
        mid = (below + above) / 2
        if lowest(mid) >= 0.0:
            above = mid
        else:
            below = mid
    return above
