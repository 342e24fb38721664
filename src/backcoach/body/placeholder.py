"""The card an exercise without key poses gets: its starting position, pale, and its name."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from backcoach.body.defaults import NEUTRAL
from backcoach.body.draw import CM, PALETTE, body_shapes
from backcoach.body.figure import Drawing, needs_mat
from backcoach.body.props import back_scenery, panel_box, scenery_for
from backcoach.body.scene import pose_frame
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.poses import KeyPose, KeyPoses

CARD_NOTE = "No pictures for this exercise yet"
CARD_MIN_WIDTH = 400.0
_GREY = replace(PALETTE, ghost="#b5c0cc")
"""The starting position in plain grey: clearly a stand-in, still easy to see."""


def placeholder_drawing(exercise: Exercise) -> Drawing:
    view, pose = NEUTRAL[exercise.position]
    end = KeyPose.model_validate({**pose.model_dump(), "role": "end"})
    key_poses = KeyPoses(view=view, side="right", poses=[pose, end])
    frame = pose_frame(pose, key_poses)
    scenery = scenery_for([frame.placed], needs_mat([frame]))
    inner = panel_box(scenery, [frame.placed])
    h = inner.height * CM
    # Wide enough for the words even when the figure is a narrow standing one.
    w = max(inner.width * CM, CARD_MIN_WIDTH, 12.5 * len(exercise.name) + 40)
    shift = (w - inner.width * CM) / 2
    text_band = 64.0
    out = [
        f'<rect x="0" y="0" width="{w:.1f}" height="{h + text_band:.1f}" rx="14" '
        f'fill="#f5f7fa" stroke="{PALETTE.ghost}" stroke-width="3" stroke-dasharray="12 8"/>',
        f'<g transform="translate({shift - inner.x0 * CM:.1f} {inner.y1 * CM:.1f})">',
        *back_scenery(scenery, inner),
        *(
            s.svg(with_id=False)
            for s in body_shapes(frame.placed, "right", ghost=True, palette=_GREY)
        ),
        "</g>",
        f'<text x="{w / 2:.1f}" y="{h + 24:.1f}" font-size="22" font-weight="bold" '
        f'text-anchor="middle" fill="{PALETTE.near}">{escape(exercise.name)}</text>',
        f'<text x="{w / 2:.1f}" y="{h + 52:.1f}" font-size="17" text-anchor="middle" '
        f'fill="{PALETTE.floor}">{CARD_NOTE}</text>',
    ]
    return Drawing(w, h + text_band, "\n".join(out))
