"""From an exercise's key poses to placed bodies: key frames, in-between frames, what moves.

Everything the figure, the animation and the pose checks share lives here, so a picture and a
check can never disagree about where a pose puts the body.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from backcoach.body import skeleton as sk
from backcoach.body.camera import look
from backcoach.body.clearance import settle
from backcoach.body.contacts import PLURAL_OF, contact_specs
from backcoach.body.geometry import Point
from backcoach.body.kinematics import Posture, blend, forward, resolve
from backcoach.body.placement import CONTACT_TOLERANCE_M, Placed, gap_near, place, shifted
from backcoach.catalogue.poses import (
    ARM_JOINTS,
    LEG_JOINTS,
    SUPPORTS,
    TRUNK_JOINTS,
    Camera,
    KeyPose,
    KeyPoses,
    Support,
    View,
)

STEPS = 8
"""Steps from one key pose to the next (in-between frames plus one): enough for an arrow to
follow a curved path and for an animation the browser interpolates linearly between frames."""


def supports_of(pose: KeyPose) -> dict[Support, list[str]]:
    return {support: list(parts) for support, parts in pose.rests_on().items()}


@dataclass(frozen=True)
class Frame:
    """A placed body and the posture it came from."""

    posture: Posture
    placed: Placed
    supports: dict[Support, list[str]]
    strap: str | None = None
    """A part with a towel looped round it, its ends in the hands."""
    moves: tuple[str, ...] = ()
    """Resting parts the pose moves along the floor on purpose, coming from the pose before."""


def seen(frame: Frame, camera: Camera | None) -> Frame:
    """``frame`` as ``camera`` sees it, for drawing (see :mod:`backcoach.body.camera`); the
    checks, landmarks and the camera coach keep ``frame`` itself."""
    placed = look(frame.placed, camera)
    return frame if placed is frame.placed else replace(frame, placed=placed)


def pose_frame(pose: KeyPose, key_poses: KeyPoses, height: float = sk.DEFAULT_HEIGHT_M) -> Frame:
    posture = resolve(pose.angles)
    supports = supports_of(pose)
    placed = place(forward(posture, height), key_poses.view, key_poses.side, supports)
    return Frame(posture, placed, supports, pose.strap, tuple(pose.moves))


@dataclass(frozen=True)
class Scene:
    """An exercise's key poses as placed bodies, the movement between them and what works.

    Scenes are shared between the figure, the animation and the landmark track (see
    :func:`build_scene`): treat them as read-only.
    """

    frames: list[Frame]
    """One per key pose, lined up so a part resting throughout stays put."""
    runs: list[list[Frame]]
    """For each pair of neighbouring key frames, STEPS + 1 frames from one to the other."""
    working: frozenset[str]
    """Segments to colour as working."""

    @property
    def forward(self) -> list[Frame]:
        """Every frame from the first key pose to the last, each once."""
        return [self.runs[0][0]] + [f for run in self.runs for f in run[1:]]


def build_scene(key_poses: KeyPoses, height: float = sk.DEFAULT_HEIGHT_M) -> Scene:
    """The scene of ``key_poses``. Placing every frame is the costly part of drawing, and one
    command draws the same exercise's figure, animation and contact-sheet cell: a scene is
    built once and kept (a few dozen, least recently used first out)."""
    return _build(_SceneKey(key_poses.model_dump_json(), height, key_poses))


@dataclass(frozen=True)
class _SceneKey:
    data: str
    height: float
    key_poses: KeyPoses = field(compare=False, hash=False)


@functools.lru_cache(maxsize=64)
def _build(key: _SceneKey) -> Scene:
    frames = key_frames(key.key_poses, key.height)
    runs = path_frames(key.key_poses, frames, STEPS, key.height)
    return Scene(frames, runs, working_parts(frames, key.key_poses.highlight))


def key_frames(key_poses: KeyPoses, height: float = sk.DEFAULT_HEIGHT_M) -> list[Frame]:
    """One frame per key pose, lined up so a part resting throughout stays put."""
    frames = [pose_frame(p, key_poses, height) for p in key_poses.poses]
    return align(frames)


def align(frames: list[Frame]) -> list[Frame]:
    """Shift the frames along the floor so a part resting in all of them stays put: the first
    listed that leaves the resting limbs still (a kneeling pose keeps its knees and hands
    still, not a back that rolls), else the first listed."""
    first: list[Frame] | None = None
    for _support, name in _shared_contacts(frames):
        target = frames[0].placed.part_x(name)
        lined = [
            replace(f, placed=shifted(f.placed, target - f.placed.part_x(name))) for f in frames
        ]
        if max_slide(lined) <= STILL_M:
            return lined
        first = first or lined
    return frames if first is None else first


STILL_M = 0.03
"""Limbs that move less than 3 cm between key poses count as staying put (skin on a mat)."""


ROLLING = frozenset({"head", "shoulders", "upper_trunk", "pelvis"})
"""Rounded parts of the trunk: where they touch rolls along them as the trunk bends (a pelvis
tilting, a back curling up), so they may move along the floor; the limbs may not."""


def slides(before: Frame, after: Frame) -> list[tuple[Support, int, str, float]]:
    """Limb parts resting on the floor in both frames, other than those ``after`` moves on
    purpose: (support, index in ``after``'s list, name, how far the part moved along the
    floor, metres)."""
    out: list[tuple[Support, int, str, float]] = []
    for j, name in enumerate(after.supports.get("floor", [])):
        if name in ROLLING or name in after.moves or name not in before.supports.get("floor", []):
            continue
        out.append(("floor", j, name, after.placed.part_x(name) - before.placed.part_x(name)))
    return out


def max_slide(frames: list[Frame]) -> float:
    """The furthest any resting limb moves along the floor between neighbouring frames."""
    return max(
        (abs(s[3]) for a, b in itertools.pairwise(frames) for s in slides(a, b)), default=0.0
    )


def _shared_contacts(frames: list[Frame]) -> list[tuple[Support, str]]:
    first = frames[0].supports
    return [
        (support, name)
        for support in SUPPORTS
        for name in first.get(support, [])
        if all(name in f.supports.get(support, []) for f in frames[1:])
    ]


def between(
    a: Frame,
    b: Frame,
    t: float,
    view: View,
    side: sk.Side,
    height: float = sk.DEFAULT_HEIGHT_M,
    turn_hint: float | None = None,
    lead: Lead | None = None,
) -> Frame:
    """The body a fraction ``t`` of the way from ``a`` to ``b``.

    Joint angles are blended, each body part ``lead`` names ahead of (or behind) the rest;
    the body rests on what both poses rest on (a bridge keeps its shoulders and feet down
    while the hips rise; a bird-dog keeps one hand down when the other lifts), or on the
    nearer pose's supports when they share nothing. A limb the blend would sweep through the
    floor moves along it instead (see :mod:`.clearance`).
    """
    blended = timed(a.posture, b.posture, t, lead or {})
    supports = shared_supports(a, b, t)
    posture, placed = settle(blended, view, side, supports, height, turn_hint)
    return Frame(posture, placed, supports, a.strap if a.strap == b.strap else None)


def shared_supports(a: Frame, b: Frame, t: float) -> dict[Support, list[str]]:
    """What a frame between ``a`` and ``b`` rests on: what both rest on, else the nearer's."""
    shared = {s: _common(a.supports.get(s, []), b.supports.get(s, [])) for s in SUPPORTS}
    supports = {s: names for s, names in shared.items() if names}
    if not any(supports.get(s) for s in ("floor", "chair", "roller")):
        supports = a.supports if t < 0.5 else b.supports
    return supports


Lead = dict[str, float]
"""How far each body part (a key of GROUP_JOINTS) runs ahead of the movement halfway through
it, as a fraction of the whole (negative: behind); none at the key poses."""


def timed(a: Posture, b: Posture, t: float, lead: Lead) -> dict[str, float]:
    """The posture a fraction ``t`` of the way from ``a`` to ``b``, each part of ``lead``
    that much ahead at the middle, easing to none at both ends."""
    out = blend(a, b, t)
    ease = math.sin(math.pi * t)
    for group, ahead in lead.items():
        tg = min(1.0, max(0.0, t + ahead * ease))
        for j in GROUP_JOINTS[group]:
            out[j] = a[j] + (b[j] - a[j]) * tg
    return out


def _common(a: list[str], b: list[str]) -> list[str]:
    """The resting parts two lists share, side by side: ``hands`` and ``left_hand`` share
    ``left_hand``."""
    in_b = {spec.name for name in b for spec in contact_specs(name)}
    out = []
    for name in a:
        sides = [spec.name for spec in contact_specs(name)]
        out += [name] if all(n in in_b for n in sides) else [n for n in sides if n in in_b]
    return out


def path_frames(
    key_poses: KeyPoses,
    frames: list[Frame],
    steps: int = STEPS,
    height: float = sk.DEFAULT_HEIGHT_M,
) -> list[list[Frame]]:
    """For each pair of neighbouring key frames, ``steps`` frames from the first to the second
    (both included), lined up with the key frames. Where evenly blended angles lift a part
    that rests in both key poses off the floor, some body parts lead (see :func:`_lead`)."""
    view, side = key_poses.view, key_poses.side
    runs = []
    for a, b in itertools.pairwise(frames):
        run = _run(a, b, steps, view, side, height, {})
        kept = resting_in_both(a, b)
        worst = max((kept_gap(f, kept) for f in run[1:-1]), default=0.0)
        if worst > CONTACT_TOLERANCE_M and view != "top":
            lead = _lead(a, b, run, view, side, height)
            if lead:
                again = _run(a, b, steps, view, side, height, lead)
                if max(kept_gap(f, kept) for f in again[1:-1]) < worst:
                    run = again
        runs.append(_follow(run))
    return runs


def resting_in_both(a: Frame, b: Frame) -> set[str]:
    """The gap labels (``floor:left_hand``) of the parts two key frames both rest on: each
    frame between them must keep these down. A walking step shares none (one heel lands as
    the other leaves), so its swinging foot may clear the floor."""

    def labels(frame: Frame) -> set[str]:
        return {
            f"{support}:{spec.name}"
            for support, names in frame.supports.items()
            for name in names
            for spec in contact_specs(name)
        }

    return labels(a) & labels(b)


def kept_gap(frame: Frame, kept: set[str]) -> float:
    """The furthest any of the parts ``kept`` is from its support in ``frame``, metres."""
    return max((abs(g) for label, g in frame.placed.gaps.items() if label in kept), default=0.0)


def _run(
    a: Frame, b: Frame, steps: int, view: View, side: sk.Side, height: float, lead: Lead
) -> list[Frame]:
    run = [a]
    for i in range(1, steps):
        run.append(between(a, b, i / steps, view, side, height, run[-1].placed.turn, lead))
    run.append(b)
    return run


LEAD_STEPS = (0.2, 0.1, 0.05, 0.025)
"""How far one body part's lead is changed at a time while looking for a movement that keeps
the resting parts down, as fractions of the whole movement."""
MAX_LEAD = 0.3
"""The furthest a part runs ahead of or behind the movement halfway: beyond 1/pi a part would
turn back on itself (the easing is a sine)."""
_GOOD_FIT_M = 0.5 * CONTACT_TOLERANCE_M
"""The gap the in-between frames are brought under, with room to spare for the final
placement, which searches turns more finely than the quick look does."""
_LEAD_COST_M = 0.01
"""Metres of contact gap traded per whole movement a part leads: small, so contacts come
first, yet among movements that rest equally well the evenly paced one wins."""


def _lead(a: Frame, b: Frame, run: list[Frame], view: View, side: sk.Side, height: float) -> Lead:
    """How far each body part should lead so every in-between frame of the run rests on its
    supports: the same lead for the whole run, easing in and out, so the figure moves
    smoothly. Blending every joint at one pace does not keep a chain between two contacts
    the same length: a press-up's hands and pelvis both stay down only if the arms
    straighten a little ahead of the back arching. Empty when no lead helps."""
    moving = [g for g, js in GROUP_JOINTS.items() if any(a.posture[j] != b.posture[j] for j in js)]
    # A part alone, or both arms or both legs together (a press-up's hands both stay down).
    pairs = [[f"{s}_{limb}" for s in sk.SIDES] for limb in ("arm", "leg")]
    moves = [[g] for g in moving] + [p for p in pairs if all(g in moving for g in p)]
    inside = [(i / (len(run) - 1), f) for i, f in enumerate(run) if 0 < i < len(run) - 1]

    def excess(lead: Lead) -> float:
        worst = 0.0
        for t, f in inside:
            body = forward(timed(a.posture, b.posture, t, lead), height)
            worst = max(worst, gap_near(body, view, side, f.supports, f.placed.turn))
        return max(0.0, worst - _GOOD_FIT_M)

    def cost(lead: Lead) -> float:
        return excess(lead) + _LEAD_COST_M * sum(abs(v) for v in lead.values())

    lead: Lead = {}
    best = start = cost(lead)
    for step in LEAD_STEPS:
        for _ in range(3):  # a step again while it helps
            before = best
            for move in moves:
                for sign in (1.0, -1.0):
                    trial = dict(lead)
                    for g in move:
                        trial[g] = max(-MAX_LEAD, min(MAX_LEAD, lead.get(g, 0.0) + sign * step))
                    c = cost(trial)
                    if c < best:
                        best, lead = c, trial
                        if excess(lead) == 0.0:
                            return lead  # every frame rests: the first lead that does it
            if best >= before:
                break
    return lead if best < start else {}


STEADY_M = 0.01
"""A resting part the two key poses leave within 1 cm of where it was counts as staying put."""


def _follow(run: list[Frame]) -> list[Frame]:
    """Line up in-between frames with their ends so resting parts do not slide.

    The parts every in-between frame rests on that the key poses leave in place (hands on the
    floor in child's pose, feet in a squat) should stay put; blended angles keep them only
    roughly together, so each frame is shifted to keep them as near their place as it can
    (the middle of the shifts they ask for). Parts bearing weight come first: a back against
    a wall may slide a little, feet on the floor may not. When every shared part moves, the
    one that moves least goes evenly from where the first key frame has it to where the last
    has it; with none (the supports change halfway), the hip centre does.
    """
    first, last = run[0].placed, run[-1].placed
    parts = _resting_throughout(run)
    moved = {name: last.part_x(name) - first.part_x(name) for _, name in parts}
    steady = [n for s, n in parts if s != "wall" and abs(moved[n]) <= STEADY_M]
    steady = steady or [n for _, n in parts if abs(moved[n]) <= STEADY_M]
    if not steady and parts:
        steady = [min(moved, key=lambda n: abs(moved[n]))]
    out = [run[0]]
    n = len(run) - 1
    for i, f in enumerate(run[1:-1], start=1):
        if steady:
            wants = [first.part_x(p) + moved[p] * i / n - f.placed.part_x(p) for p in steady]
        else:
            x0, x1 = first.points["hip_centre"][0], last.points["hip_centre"][0]
            wants = [x0 + (x1 - x0) * i / n - f.placed.points["hip_centre"][0]]
        out.append(replace(f, placed=shifted(f.placed, (min(wants) + max(wants)) / 2)))
    out.append(run[-1])
    return out


def _resting_throughout(run: list[Frame]) -> list[tuple[Support, str]]:
    """The parts every in-between frame of the run rests on, with their support (none when
    the in-between frames change what they rest on halfway)."""
    inside = run[1:-1]
    if not inside:
        return []
    return [
        (support, name)
        for support, names in inside[0].supports.items()
        for name in names
        if all(name in f.supports.get(support, []) for f in inside)
    ]


# --- what moves -------------------------------------------------------------------------

GROUP_JOINTS: dict[str, tuple[str, ...]] = {
    # The lumbar joints bend the trunk; the neck and the nod move the head on it.
    "trunk": tuple(j for j in TRUNK_JOINTS if j.startswith("lumbar")),
    "head": tuple(j for j in TRUNK_JOINTS if not j.startswith("lumbar")),
    **{f"{s}_arm": tuple(f"{s}_{j}" for j in ARM_JOINTS) for s in sk.SIDES},
    **{f"{s}_leg": tuple(f"{s}_{j}" for j in LEG_JOINTS) for s in sk.SIDES},
}
GROUP_SEGMENTS: dict[str, tuple[str, ...]] = {
    "trunk": ("pelvis", "upper_trunk"),
    "hips": ("pelvis",),
    "head": ("neck", "head"),
    **{f"{s}_arm": tuple(f"{s}_{seg}" for seg in sk.ARM_SEGMENTS) for s in sk.SIDES},
    **{f"{s}_leg": tuple(f"{s}_{seg}" for seg in sk.LEG_SEGMENTS) for s in sk.SIDES},
}
WORKING_CHANGE_DEG = 20.0
"""A limb whose joints turn this much more than its partner's is the working one."""


def group_change(frames: list[Frame], group: str) -> float:
    """The largest total joint turn of a body part between any two key frames, degrees."""
    best = 0.0
    for a in frames:
        for b in frames:
            total = sum(abs(a.posture[j] - b.posture[j]) for j in GROUP_JOINTS[group])
            best = max(best, total)
    return best


def _expand(parts: Sequence[str]) -> set[str]:
    """Body-part names as groups: ``arms`` and ``legs`` stand for both sides."""
    out = set()
    for part in parts:
        if part in ("arms", "legs"):
            out |= {f"{s}_{part[:-1]}" for s in sk.SIDES}
        else:
            out.add(part)
    return out


def working_parts(frames: list[Frame], explicit: Sequence[str] | None = None) -> frozenset[str]:
    """Segments to colour: the parts named in the pose data, else a limb that moves clearly
    more than its partner (the working side), else the trunk when it bends."""
    if explicit is not None:
        return frozenset(seg for g in _expand(explicit) for seg in GROUP_SEGMENTS[g])
    change = {g: group_change(frames, g) for g in GROUP_JOINTS}
    groups = set()
    for limb in ("arm", "leg"):
        left, right = change[f"left_{limb}"], change[f"right_{limb}"]
        if left - right >= WORKING_CHANGE_DEG:
            groups.add(f"left_{limb}")
        elif right - left >= WORKING_CHANGE_DEG:
            groups.add(f"right_{limb}")
    if not groups and change["trunk"] >= WORKING_CHANGE_DEG:
        groups.add("trunk")
    return frozenset(seg for g in groups for seg in GROUP_SEGMENTS[g])


# Points whose path an arrow may follow, by body part.
TRACKED: dict[str, tuple[str, ...]] = {
    "trunk": ("neck_base", "lumbar", "hip_centre"),
    "hips": ("hip_centre",),
    "head": ("head_centre",),
    "left_arm": ("left_wrist", "left_elbow"),
    "right_arm": ("right_wrist", "right_elbow"),
    "left_leg": ("left_ankle", "left_knee"),
    "right_leg": ("right_ankle", "right_knee"),
}
ON_REQUEST = frozenset({"hips"})
"""Parts followed only when the pose data names them in ``arrows``: the hips ride on the
trunk, whose arrow usually says more, but a hip hinge is taught as "hips back"."""
MIN_ARROW_M = 0.07
"""Movements shorter than 7 cm get no arrow: small shifts (a pelvic tilt) would only mislead."""
LOOPY = 1.15
"""A point that gets this much further from its start than where it ends doubles back."""


@dataclass(frozen=True)
class Motion:
    part: str
    point: str
    path: list[Point]

    @property
    def length(self) -> float:
        """Straight-line distance from start to end."""
        return math.dist(self.path[0], self.path[-1])

    @property
    def reach(self) -> float:
        """The furthest the point gets from where it started (an arc over ends furthest)."""
        return max(math.dist(self.path[0], p) for p in self.path)


def motions(run: list[Frame], limit: int = 2, parts: Sequence[str] | None = None) -> list[Motion]:
    """The main movements along one run of frames: the point of each body part that travels
    furthest, biggest first; the head only when it moves differently from the trunk."""
    allowed = set(TRACKED) - ON_REQUEST if parts is None else _expand(parts)
    found = []
    for part, points in TRACKED.items():
        if part not in allowed:
            continue
        if _rests_throughout(run, part):
            # A resting hand or foot stays put, but the knee or elbow above it may travel
            # (knees rolling to one side): follow that joint only.
            points = points[1:]
        best = max(
            points, key=lambda p: math.dist(run[0].placed.points[p], run[-1].placed.points[p])
        )
        path = [f.placed.points[best] for f in run]
        found.append(Motion(part, best, path))
    found.sort(key=lambda m: m.length, reverse=True)
    if not found or found[0].length < MIN_ARROW_M:
        return []
    top = found[0].length
    floor_len = max(MIN_ARROW_M, 0.4 * top)
    trunk = next((m for m in found if m.part == "trunk"), None)
    chosen: list[Motion] = []
    for m in found:
        if m.length < floor_len:
            continue
        if m.reach > LOOPY * m.length:
            continue  # out and back again: an arrow from end to end would mislead
        # The head rides on the trunk: its own arrow only when it moves another way.
        if m.part == "head" and trunk and trunk.length >= floor_len and _same_way(m, trunk):
            continue
        if any(_same_way(m, c) for c in chosen):
            continue  # a smaller movement the same way adds clutter, not meaning
        chosen.append(m)
    return chosen[:limit]


_RESTING_PARTS = {
    "arm": ("hand", "forearm", "elbow"),
    "leg": ("foot", "heel", "toes", "knee", "shin"),
}


def _rests_throughout(run: list[Frame], part: str) -> bool:
    """A hand or foot that rests at both ends of a movement does not travel: no arrow."""
    side, _, limb = part.partition("_")
    if limb not in _RESTING_PARTS:
        return False

    def resting(frame: Frame) -> bool:
        listed = {n for names in frame.supports.values() for n in names}
        return any(f"{side}_{p}" in listed or PLURAL_OF[p] in listed for p in _RESTING_PARTS[limb])

    return resting(run[0]) and resting(run[-1])


def _same_way(a: Motion, b: Motion) -> bool:
    va = (a.path[-1][0] - a.path[0][0], a.path[-1][1] - a.path[0][1])
    vb = (b.path[-1][0] - b.path[0][0], b.path[-1][1] - b.path[0][1])
    cos = (va[0] * vb[0] + va[1] * vb[1]) / ((math.hypot(*va) * math.hypot(*vb)) or 1.0)
    return cos > math.cos(math.radians(50))
