"""An animated SVG of one repetition, moving between the key poses at the exercise's tempo.

The body's shapes carry SVG animation elements (``<animate>``, which every current browser
plays without script) whose values are the shapes' positions in frames computed by the body
model: joint angles are blended between key poses and every frame is placed on the floor
again, so the hips stay down in a press-up all the way up, not just at the ends.

One cycle: move from the first key pose to the last, hold there, move back, pause. A player
can read the cycle length from the root's ``data-cycle-seconds``, where each part lies in it
from ``data-out-seconds``, ``data-hold-seconds`` and ``data-back-seconds`` (the pause is the
rest), and the side of the body that moves from ``data-moving-side`` (left or right; absent
when the movement is not to one side), and drive the clock itself with the standard
``SVGSVGElement.setCurrentTime()`` (the browser player does: docs/web-api.md, "The figure").
"""

from __future__ import annotations

from backcoach.body.draw import CM, Shape, body_shapes
from backcoach.body.figure import FONT, PANEL_WIDTH, needs_mat
from backcoach.body.placement import Placed
from backcoach.body.props import (
    Box,
    back_scenery,
    cushion_outline,
    cushion_svg,
    panel_box,
    scenery_for,
)
from backcoach.body.scene import Scene, build_scene, seen
from backcoach.body.timing import Tempo, tempo_of, timeline
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.poses import Cushioned, KeyPoses


def animation_svg(key_poses: KeyPoses, tempo: Tempo, width_px: int = 480) -> str:
    """A standalone animated SVG of the key poses played at ``tempo``, repeating."""
    scene = build_scene(key_poses)
    # One camera for the whole movement (the exercise's, else the first pose's): the props
    # stay still while the body moves.
    camera = key_poses.camera or key_poses.camera_of(0)
    forward = [seen(f, camera) for f in scene.forward]
    steps = timeline(forward, tempo)

    placed = [f.placed for f in forward]
    scenery = scenery_for([f.placed for f in scene.forward], needs_mat(scene.frames))
    cushion = _cushion(key_poses, scene)
    pad = None
    if cushion is not None:
        outline = cushion_outline(*cushion, camera)
        xs, ys = [x for x, _ in outline], [y for _, y in outline]
        pad = Box(min(xs), min(ys), max(xs), max(ys))
    view = panel_box(scenery, placed, pad, cameras=[camera])
    # One panel of a two-pose still picture wide (or wider, for a wider movement), the body
    # in the middle: an animation shown at a fixed width draws the body at one scale too.
    grow = max(0.0, PANEL_WIDTH / CM - view.width) / 2
    view = Box(view.x0 - grow, view.y0, view.x1 + grow, view.y1)
    w, h = view.width * CM, view.height * CM
    height_px = round(width_px * h / w)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{view.x0 * CM:.1f} {-view.y1 * CM:.1f} {w:.1f} {h:.1f}" '
        f'width="{width_px}" height="{height_px}" font-family="{FONT}" '
        f'data-cycle-seconds="{tempo.cycle:.2f}" data-out-seconds="{tempo.out:.2f}" '
        f'data-hold-seconds="{tempo.hold:.2f}" data-back-seconds="{tempo.back:.2f}"'
        f"{_moving_side(key_poses, scene.working)}>",
        f'<rect x="{view.x0 * CM:.1f}" y="{-view.y1 * CM:.1f}" width="{w:.1f}" '
        f'height="{h:.1f}" rx="14" fill="#f5f7fa"/>',
    ]
    out += back_scenery(scenery, view, camera=camera)
    if cushion is not None:
        # Behind the body, like the still picture's; a prop, so it stays put as the body moves.
        out.append(cushion_svg(*cushion, camera))
    shaped = [body_shapes(f.placed, key_poses.side, scene.working, strap=f.strap) for f, _ in steps]
    times = [t for _, t in steps]
    out += _animated(shaped, times, tempo.cycle)
    out.append("</svg>")
    return "\n".join(out)


def exercise_animation_svg(exercise: Exercise, max_hold: float | None = None) -> str | None:
    """The animation of an exercise, or None when it has no key poses."""
    if exercise.key_poses is None:
        return None
    return animation_svg(exercise.key_poses, tempo_of(exercise.dose, max_hold))


def _cushion(key_poses: KeyPoses, scene: Scene) -> tuple[Placed, Cushioned] | None:
    """The cushion of the animation: the one under the first key pose that rests a part on
    one, placed under that pose's body (the still picture draws it there in that pose's
    panel); None when no key pose does. One cushion for the whole movement: the checks keep
    its thickness from one key pose to the next."""
    for pose, frame in zip(key_poses.poses, scene.frames, strict=True):
        if pose.cushion is not None:
            return frame.placed, pose.cushion
    return None


def _moving_side(key_poses: KeyPoses, working: frozenset[str]) -> str:
    """`` data-moving-side="left"`` (or right) when the picture moves one side of the body: the
    side of the working leg, else of the working arm, else the way the trunk turns or bends at
    the last key pose; "" when neither (a player mirrors the picture for the other side)."""
    for limb in (("thigh", "shank", "foot"), ("upper_arm", "forearm", "hand")):
        sides = {part.split("_")[0] for part in working if part.endswith(limb)}
        if len(sides) == 1:
            return f' data-moving-side="{sides.pop()}"'
    last = key_poses.poses[-1].angles
    for turn in (last.lumbar_rotation, last.lumbar_side_bend):
        if turn:
            return f' data-moving-side="{"right" if turn > 0 else "left"}"'
    return ""


def _animated(shaped: list[list[Shape]], times: list[float], cycle: float) -> list[str]:
    key_times = ";".join(f"{t / cycle:.4f}" for t in times)
    by_id = [{s.id: s for s in shapes} for shapes in shaped]
    out = []
    for shape in shaped[0]:
        if any(shape.id not in index for index in by_id):
            continue  # a towel held in some frames only is left out of the animation
        frames = [index[shape.id] for index in by_id]
        anims = []
        for attr in shape.geom:
            values = [_value(f.geom[attr]) for f in frames]
            if len(set(values)) > 1:
                anims.append(
                    f'<animate attributeName="{attr}" dur="{cycle:.2f}s" '
                    f'repeatCount="indefinite" calcMode="linear" keyTimes="{key_times}" '
                    f'values="{";".join(values)}"/>'
                )
        markup = shape.svg()
        if anims:
            markup = markup[:-2] + ">" + "".join(anims) + f"</{shape.kind}>"
        out.append(markup)
    return out


def _value(v: float | str) -> str:
    return f"{v:.1f}" if isinstance(v, float) else v
