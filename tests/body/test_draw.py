"""The drawn body reads as a solid: parts drawn far to near in every view, nearer parts darker,
a head that shows where the face looks, feet and hands with their own shapes."""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

from backcoach.body.draw import CM, PALETTE, Shape, body_shapes, svg_point
from backcoach.body.placement import Placed
from backcoach.body.png import svg_to_png
from backcoach.body.scene import key_frames
from tests.body.pngread import pixels, share
from tests.body.samples import key_poses

STANDING = {"floor": ["feet"]}


def _placed(view: str, side: str, angles: dict[str, Any], floor: list[str]) -> Placed:
    still = {"angles": angles, "floor": floor}
    return key_frames(key_poses(view, side, still, still))[0].placed


def _ids(shapes: list[Shape]) -> list[str]:
    return [s.id for s in shapes]


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _points(d: str) -> list[tuple[float, float]]:
    """The end points (and control points) of a path's commands, SVG units."""
    out = []
    for command, args in re.findall(r"([MLQAZ])([^MLQAZ]*)", d):
        nums = [float(v) for v in args.split()]
        if command == "A":
            out.append((nums[5], nums[6]))
        else:
            out += list(zip(nums[0::2], nums[1::2], strict=True))
    return out


def test_a_far_arm_reaching_across_the_body_is_drawn_over_the_trunk_in_a_side_view() -> None:
    # Seen from the right, the left arm reaches forward and across, in front of the chest.
    placed = _placed(
        "side",
        "right",
        {"left_shoulder": 90, "left_shoulder_abduction": -60},
        ["feet"],
    )
    assert placed.capsules["left_hand"].depth > placed.capsules["upper_trunk"].depth
    ids = _ids(body_shapes(placed, "right"))
    assert ids.index("left_forearm") > ids.index("trunk")
    assert ids.index("left_hand") > ids.index("trunk")
    # Far limbs still go under the trunk, near ones over it.
    assert ids.index("left_thigh") < ids.index("trunk") < ids.index("right_thigh")


def test_arms_reaching_toward_the_viewer_are_drawn_over_the_head_in_a_front_view() -> None:
    placed = _placed("front", "right", {"shoulder": 90}, ["feet"])
    ids = _ids(body_shapes(placed, "right"))
    for side in ("left", "right"):
        assert ids.index(f"{side}_hand") > ids.index("head")
        assert ids.index(f"{side}_forearm") > ids.index("trunk")
    # Every body shape is there once, whatever the order.
    assert len(ids) == len(set(ids))


def test_the_order_follows_depth_and_not_the_view_name() -> None:
    """A camera this module does not know by name (a raised three-quarter view, say) gives a
    Placed with depths from that camera: the order follows them."""
    placed = _placed("side", "right", {}, ["feet"])
    # Pretend a camera behind the person: every depth reversed.
    from dataclasses import replace

    for view in ("side", "front"):
        behind = replace(
            placed,
            view=view,
            capsules={k: replace(c, depth=-c.depth) for k, c in placed.capsules.items()},
            depth={k: -v for k, v in placed.depth.items()},
        )
        shapes = body_shapes(behind, "right")
        ids = _ids(shapes)
        # Now the left leg is nearer than the right one, drawn over it and darker.
        assert ids.index("left_thigh") > ids.index("trunk") > ids.index("right_thigh"), view
        assert ids.index("left_upper_arm") > ids.index("right_upper_arm"), view
        assert _luminance(_fill(shapes, "left_thigh")) < _luminance(_fill(shapes, "right_thigh"))


def _fill(shapes: list[Shape], sid: str) -> str:
    return str(next(s for s in shapes if s.id == sid).style["fill"])


def test_near_parts_are_darker_than_far_ones_and_graded_between() -> None:
    placed = _placed("side", "right", {}, ["feet"])
    shapes = body_shapes(placed, "right")
    near, far = _fill(shapes, "right_upper_arm"), _fill(shapes, "left_upper_arm")
    trunk = _fill(shapes, "trunk")
    assert _luminance(near) < _luminance(trunk) < _luminance(far)
    # More than two tones: the legs (nearer the midline than the arms) sit between.
    leg = _fill(shapes, "right_thigh")
    assert _luminance(near) < _luminance(leg) < _luminance(trunk)
    # Each part has an edge of its own hue, darker, so overlapping limbs stay apart.
    arm = next(s for s in shapes if s.id == "right_upper_arm_edge")
    assert _luminance(str(arm.style["stroke"])) < _luminance(near)
    # Working parts keep the grading in orange.
    working = body_shapes(placed, "right", frozenset({"left_thigh", "right_thigh"}))
    near_leg, far_leg = _fill(working, "right_thigh"), _fill(working, "left_thigh")
    assert near_leg in PALETTE.tones(working=True) and far_leg in PALETTE.tones(working=True)
    assert _luminance(near_leg) < _luminance(far_leg)


def test_near_and_middle_tones_stand_out_from_the_panel() -> None:
    panel = "#f5f7fa"
    for working in (False, True):
        tones = PALETTE.tones(working)
        for tone in tones[: len(tones) // 2 + 1]:
            assert _contrast(tone, panel) >= 3.0, tone


def test_a_ghost_stays_flat_and_pale() -> None:
    placed = _placed("side", "right", {}, ["feet"])
    for shape in body_shapes(placed, "right", ghost=True):
        assert shape.style.get("fill") in (PALETTE.ghost, "none"), shape.id
        assert shape.style.get("stroke", PALETTE.ghost) == PALETTE.ghost, shape.id


def _hair_sides(placed: Placed) -> tuple[float, float, float, float]:
    """Hair pixels in the left, right, top and bottom halves of the head's box."""
    shapes = body_shapes(placed, "right")
    head = next(s for s in shapes if s.id == "head")
    cx, cy, r = float(head.geom["cx"]), float(head.geom["cy"]), float(head.geom["r"])
    body = "".join(s.svg() for s in shapes)

    def hair_in(x0: float, y0: float, w: float, h: float) -> float:
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {w} {h}" '
            f'width="100" height="100">{body}</svg>'
        )
        _, _, counts = pixels(svg_to_png(svg, 100))
        return share(counts, PALETTE.hair)

    return (
        hair_in(cx - r, cy - r, r, 2 * r),
        hair_in(cx, cy - r, r, 2 * r),
        hair_in(cx - r, cy - r, 2 * r, r),
        hair_in(cx - r, cy, 2 * r, r),
    )


def test_the_hair_is_on_the_back_of_the_head_so_the_face_direction_shows() -> None:
    # Facing right: most hair on the left (the back), the rest on the crown.
    left, right, top, bottom = _hair_sides(_placed("side", "right", {}, ["feet"]))
    assert left > right + 0.1 and top > bottom + 0.1
    # Facing left: the other way round.
    left, right, _, _ = _hair_sides(_placed("side", "left", {}, ["feet"]))
    assert right > left + 0.1
    # Facing the viewer: a band on top, the face bare.
    _, _, top, bottom = _hair_sides(_placed("front", "right", {}, ["feet"]))
    assert 0.05 < top < 0.3 and bottom < 0.01


def test_the_eye_and_nose_show_only_on_the_side_facing_the_viewer() -> None:
    shapes = body_shapes(_placed("side", "right", {}, ["feet"]), "right")
    radius = {s.id: float(s.geom.get("r", 0.0)) for s in shapes if s.kind == "circle"}
    assert radius["eye2"] > 0 and radius["eye"] == 0  # the right eye, on the near side
    assert radius["nose"] > 0
    # Seen from behind (depths reversed), no eye and no nose show.
    from dataclasses import replace

    placed = _placed("front", "right", {}, ["feet"])
    behind = replace(placed, depth={k: -v for k, v in placed.depth.items()})
    shapes = body_shapes(behind, "right")
    radius = {s.id: float(s.geom.get("r", 0.0)) for s in shapes if s.kind == "circle"}
    assert radius["eye"] == radius["eye2"] == radius["nose"] == 0


def test_a_foot_has_a_flat_sole_and_toes_pointing_where_the_foot_points() -> None:
    placed = _placed("side", "right", {}, ["feet"])
    foot = next(s for s in body_shapes(placed, "right") if s.id == "right_foot")
    pts = _points(str(foot.geom["d"]))
    cap = placed.capsules["right_foot"]
    heel, toe = svg_point(cap.a), svg_point(cap.b)
    ankle = svg_point(placed.points["right_ankle"])
    length = math.dist(heel, toe)
    u = ((toe[0] - heel[0]) / length, (toe[1] - heel[1]) / length)
    along = [(x - heel[0]) * u[0] + (y - heel[1]) * u[1] for x, y in pts]
    r = cap.ra * CM
    # The toes reach the capsule's tip and no further; the heel its back.
    assert max(along) > length + 0.5 * r and max(along) <= length + r + 0.1
    assert min(along) >= -r - 0.1
    # The sole lies on the floor, where the capsule's underside is; the instep reaches up to
    # the ankle, so the foot is more than a bar.
    assert max(y for _, y in pts) == round(-cap.bottom * CM, 1) or math.isclose(
        max(y for _, y in pts), -cap.bottom * CM, abs_tol=0.11
    )
    assert min(y for _, y in pts) <= ankle[1] + 0.1
    # Pointing the other way (facing left), the toes are on the other side.
    left = _placed("side", "left", {}, ["feet"])
    foot_l = next(s for s in body_shapes(left, "left") if s.id == "left_foot")
    xs = [x for x, _ in _points(str(foot_l.geom["d"]))]
    ankle_l = svg_point(left.points["left_ankle"])
    assert min(xs) < ankle_l[0] - 0.8 * length


def test_a_hand_is_a_mitten_within_its_capsule() -> None:
    placed = _placed("side", "right", {"shoulder": 90}, ["feet"])
    hand = next(s for s in body_shapes(placed, "right") if s.id == "right_hand")
    cap = placed.capsules["right_hand"]
    a, b = svg_point(cap.a), svg_point(cap.b)
    r = cap.ra * CM
    length = math.dist(a, b)
    u = ((b[0] - a[0]) / length, (b[1] - a[1]) / length)
    widths = []
    for x, y in _points(str(hand.geom["d"])):
        t = (x - a[0]) * u[0] + (y - a[1]) * u[1]
        off = abs(-(x - a[0]) * u[1] + (y - a[1]) * u[0])
        # Inside the capsule: within r of the segment (so contacts look as checked).
        nearest = min(max(t, 0.0), length)
        assert math.hypot(t - nearest, off) <= r + 0.1
        widths.append((t, off))
    # Narrower at the wrist than across the fingers: a hand, not a bar.
    wrist = max(off for t, off in widths if t < 0.05 * length)
    fingers = max(off for t, off in widths if t > 0.5 * length)
    assert wrist < 0.8 * fingers


def test_every_frame_keeps_the_same_shapes_for_animation() -> None:
    """Ids and kinds and the path commands stay the same whatever the pose, so animation can
    move each shape between frames (the order may change with depth)."""
    poses = [
        _placed("side", "right", {}, ["feet"]),
        _placed("side", "right", {"left_shoulder": 90, "left_shoulder_abduction": -60}, ["feet"]),
        _placed("side", "left", {"shoulder": 150, "hip": 30}, ["left_foot"]),
    ]

    def signature(placed: Placed) -> dict[str, tuple[str, str]]:
        return {
            s.id: (s.kind, re.sub(r"[-\d.]+", "", str(s.geom.get("d", ""))))
            for s in body_shapes(placed, "right")
        }

    first = signature(poses[0])
    for placed in poses[1:]:
        assert signature(placed) == first


def _outline(d: str, steps: int = 16) -> list[tuple[float, float]]:
    """A closed path (M, then L or C commands, then Z) as points along it, SVG units."""
    out: list[tuple[float, float]] = []
    here = (0.0, 0.0)
    for command, args in re.findall(r"([MLCZ])([^MLCZ]*)", d):
        nums = [float(v) for v in args.split()]
        if command == "M":
            here = (nums[0], nums[1])
            out.append(here)
        elif command == "L":
            for x, y in zip(nums[0::2], nums[1::2], strict=True):
                for i in range(1, steps + 1):
                    t = i / steps
                    out.append((here[0] + (x - here[0]) * t, here[1] + (y - here[1]) * t))
                here = (x, y)
        elif command == "C":
            c1, c2, end = (nums[0], nums[1]), (nums[2], nums[3]), (nums[4], nums[5])
            for i in range(1, steps + 1):
                t, s = i / steps, 1 - i / steps
                out.append(
                    tuple(  # type: ignore[arg-type]
                        s**3 * p0 + 3 * s * s * t * p1 + 3 * s * t * t * p2 + t**3 * p3
                        for p0, p1, p2, p3 in zip(here, c1, c2, end, strict=True)
                    )
                )
            here = end
    return out


def _trunk_of(placed: Placed) -> Shape:
    return next(s for s in body_shapes(placed, "right") if s.id == "trunk")


def _waist_turn(placed: Placed) -> float:
    """The sharpest turn, degrees, between chords 2 cm long along the trunk's outline, over
    the middle half of the way from the hips to the neck (the waist)."""
    outline = _outline(str(_trunk_of(placed).geom["d"]))
    hip, neck = svg_point(placed.points["hip_centre"]), svg_point(placed.points["neck_base"])
    up = _unit_svg(placed.points["hip_centre"], placed.points["neck_base"])
    length = math.dist(hip, neck)
    even = [outline[0]]
    for p in outline[1:] + outline[:1]:
        if math.dist(p, even[-1]) >= 2.0:
            even.append(p)
    worst = 0.0
    for a, b, c in zip(even, even[1:] + even[:1], even[2:] + even[:2], strict=True):
        along = ((b[0] - hip[0]) * up[0] + (b[1] - hip[1]) * up[1]) / length
        if 0.25 < along < 0.75:
            turn = math.atan2(c[1] - b[1], c[0] - b[0]) - math.atan2(b[1] - a[1], b[0] - a[0])
            worst = max(worst, abs(math.degrees((turn + math.pi) % (2 * math.pi) - math.pi)))
    return worst


def _across(
    outline: list[tuple[float, float]], origin: tuple[float, float], u: tuple[float, float]
) -> tuple[float, float]:
    """Where the outline crosses the line through ``origin`` across ``u``: the furthest
    crossing on either side, as distances along the normal (negative, positive)."""
    n = (-u[1], u[0])
    offsets = []
    for p, q in itertools.pairwise(outline):
        sp = (p[0] - origin[0]) * u[0] + (p[1] - origin[1]) * u[1]
        sq = (q[0] - origin[0]) * u[0] + (q[1] - origin[1]) * u[1]
        if (sp <= 0 < sq) or (sq <= 0 < sp):
            t = sp / (sp - sq)
            x, y = p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
            offsets.append((x - origin[0]) * n[0] + (y - origin[1]) * n[1])
    return min(offsets), max(offsets)


def _unit_svg(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    (ax, ay), (bx, by) = svg_point(a), svg_point(b)
    k = math.hypot(bx - ax, by - ay)
    return ((bx - ax) / k, (by - ay) / k)


def test_the_side_view_trunk_is_a_solid_with_an_edge_its_chest_deeper_than_its_waist() -> None:
    placed = _placed("side", "right", {}, ["feet"])
    trunk = _trunk_of(placed)
    h = placed.height * CM
    # A filled shape with a darker edge of its own hue, like the limbs; not a bare stroke.
    fill = str(trunk.style["fill"])
    assert fill in PALETTE.tones() and str(trunk.geom["d"]).endswith("Z")
    assert _luminance(str(trunk.style["stroke"])) < _luminance(fill)
    outline = _outline(str(trunk.geom["d"]))
    pts = placed.points
    up = _unit_svg(pts["hip_centre"], pts["neck_base"])
    lumbar, neck = svg_point(pts["lumbar"]), svg_point(pts["neck_base"])
    chest = (lumbar[0] + 0.55 * (neck[0] - lumbar[0]), lumbar[1] + 0.55 * (neck[1] - lumbar[1]))
    back_w, front_w = _across(outline, lumbar, up)
    back_c, front_c = _across(outline, chest, up)
    # Deeper at the chest than at the waist by some centimetres (about 22 cm against 19).
    assert (front_c - back_c) > (front_w - back_w) + 2.0
    assert 0.12 * h < front_c - back_c < 0.15 * h
    # The pelvis is rounded below the hip joints, not cut off at them.
    lowest = max(y for _, y in outline)
    assert lowest > svg_point(pts["hip_centre"])[1] + 0.04 * h


def _bulge(placed: Placed) -> float:
    """How far, SVG units, the middle of the back stands out behind the line joining the back
    at the hips and at the chest: positive for a rounded back, negative for an arched one."""
    outline = _outline(str(_trunk_of(placed).geom["d"]))
    pts = placed.points
    hip, neck = svg_point(pts["hip_centre"]), svg_point(pts["neck_base"])
    u = _unit_svg(pts["hip_centre"], pts["neck_base"])
    length = math.dist(hip, neck)

    def back_at(t: float) -> float:
        origin = (hip[0] + u[0] * length * t, hip[1] + u[1] * length * t)
        return -_across(outline, origin, u)[0]  # facing right, the back is on the normal's -

    return back_at(0.5) - (back_at(0.2) + back_at(0.8)) / 2


def test_the_back_reads_rounded_in_the_cat_and_arched_in_the_cow() -> None:
    kneel = {"shoulder": 75, "wrist": -89, "hip": 75, "knee": 94, "ankle": -54}
    floor = ["hands", "knees", "toes"]
    flat = _bulge(_placed("side", "right", kneel, floor))
    cat = _bulge(_placed("side", "right", {**kneel, "lumbar": 35, "hip": 52}, floor))
    cow = _bulge(_placed("side", "right", {**kneel, "lumbar": -30, "hip": 92}, floor))
    # About 2 cm either way in these poses; a straight back has none.
    assert abs(flat) < 0.5
    assert cat > flat + 1.5 and cow < flat - 1.5


def test_a_side_bend_seen_from_the_front_leans_in_one_smooth_curve() -> None:
    bend = {"lumbar_side_bend": 20, "shoulder_abduction": 10, "hip_abduction": 5}
    placed = _placed("front", "right", bend, ["feet"])
    # No kink at the waist: over chords of 2 cm the outline turns by less than 25 degrees
    # there (about 16; the old outline's waist corner turned 55).
    assert _waist_turn(placed) < 25
    assert _waist_turn(_placed("front", "right", {}, ["feet"])) < 25
    # On the inside of the bend the waist is no deep notch: within 4 cm of the line joining
    # the outline beside the hips and beside the ribs (3.4 cm; it was 4.7).
    outline = _outline(str(_trunk_of(placed).geom["d"]))
    pts = placed.points
    hip, neck = svg_point(pts["hip_centre"]), svg_point(pts["neck_base"])
    up = _unit_svg(pts["hip_centre"], pts["neck_base"])
    length = math.dist(hip, neck)
    low, waist, high = (
        _across(outline, (hip[0] + up[0] * length * t, hip[1] + up[1] * length * t), up)
        for t in (0.2, 0.5, 0.8)
    )
    # The bend is toward the normal's negative side here: the neck leans that way.
    n = (-up[1], up[0])
    lumbar = svg_point(pts["lumbar"])
    assert (hip[0] - lumbar[0]) * n[0] + (hip[1] - lumbar[1]) * n[1] < 0
    assert waist[0] - (low[0] + high[0]) / 2 < 4.0


def _edge_pixels_near(placed: Placed, centre: tuple[float, float], half: float) -> float:
    """The share of edge-coloured pixels in a square ``half`` (SVG units) either side of
    ``centre`` (SVG units)."""
    body = "".join(s.svg() for s in body_shapes(placed, "right"))
    x, y = centre
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x - half} {y - half} '
        f'{2 * half} {2 * half}" width="40" height="40">{body}</svg>'
    )
    _, _, counts = pixels(svg_to_png(svg, 40))
    edges = {PALETTE.edge(tone) for w in (False, True) for tone in PALETTE.tones(w)}
    return sum(share(counts, colour) for colour in edges)


def _seam(placed: Placed, upper: str, lower: str) -> float:
    """Edge-coloured pixels along the middle of a limb near its joint: small squares along
    both parts' axes, from the joint out to 1.25 joint radii. A seam (the end of the part on
    top, outlined across the other) crosses one of the axes there."""
    cap_u, cap_l = placed.capsules[upper], placed.capsules[lower]
    joint, r = svg_point(cap_l.a), cap_l.ra * CM
    found = 0.0
    for far in (svg_point(cap_u.a), svg_point(cap_l.b)):
        k = math.dist(joint, far)
        u = ((far[0] - joint[0]) / k, (far[1] - joint[1]) / k)
        for i in range(6):
            s = 0.25 * i * r
            found += _edge_pixels_near(placed, (joint[0] + u[0] * s, joint[1] + u[1] * s), 0.3 * r)
    return found


def test_a_knee_and_an_elbow_show_no_seam_across_the_limb() -> None:
    straight = _placed("side", "right", {}, ["feet"])
    bent = _placed(
        "side", "right", {"right_hip": 60, "right_knee": 90, "right_elbow": 90}, ["left_foot"]
    )
    for placed in (straight, bent):
        for upper, lower in (("right_thigh", "right_shank"), ("right_upper_arm", "right_forearm")):
            assert _seam(placed, upper, lower) == 0.0, (upper, lower)
    # A limb's outline still shows where it meets the panel: its edge is drawn.
    ids = _ids(body_shapes(straight, "right"))
    assert ids.index("right_thigh_edge") < ids.index("right_thigh")


def test_a_foot_seen_from_the_front_shows_its_width() -> None:
    placed = _placed("front", "right", {}, ["feet"])
    for side in ("left", "right"):
        foot = next(s for s in body_shapes(placed, "right") if s.id == f"{side}_foot")
        xs = [x for x, _ in _points(str(foot.geom["d"]))]
        # About a foot's width across (9.5 cm for this person), not a 5 cm blob.
        assert max(xs) - min(xs) > 8.0, side
        # Still resting on the floor, with the ankle above it.
        ys = [y for _, y in _points(str(foot.geom["d"]))]
        assert math.isclose(max(ys), -placed.capsules[f"{side}_foot"].bottom * CM, abs_tol=0.11)
        assert min(ys) <= svg_point(placed.points[f"{side}_ankle"])[1] + 0.1
