"""The figure's proportions: segment lengths, thicknesses and masses.

Lengths are fractions of standing height from Winter's anthropometric table (D. A. Winter,
"Biomechanics and Motor Control of Human Movement", 4th ed. 2009, fig. 4.1 and table 4.1):
shoulder at 0.818 H, hip (greater trochanter) 0.530 H, knee 0.285 H, ankle 0.039 H, chin
0.870 H; upper arm 0.186 H, forearm 0.146 H, hand 0.108 H, thigh 0.245 H, shank 0.246 H, foot
0.152 H long. Thicknesses are rounded from typical adult girths so the figure reads as a
person; they matter for what touches the floor (the back of the chest, not the spine).

Body frame: x points forward (anterior), y up (superior), z to the person's right, origin at
the midpoint between the hip joints, standing upright with arms by the sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")

DEFAULT_HEIGHT_M = 1.70
"""Standing height of the drawn person, in metres (an adult of middling height)."""

# Segment lengths as fractions of height (Winter 2009).
PELVIS = 0.10
"""Hip-joint centre to the lumbar joint (about L3): the lower trunk."""
UPPER_TRUNK = 0.19
"""Lumbar joint to the base of the neck (C7); with PELVIS this puts the neck base at 0.82 H."""
NECK = 0.05
"""Base of the neck to the skull base; the chin sits near 0.87 H."""
HEAD_CENTRE = (0.012, 0.065)
"""Centre of the head circle from the skull base (forward, up); the crown is at 1.0 H."""
HEAD_RADIUS = 0.062
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108
THIGH = 0.245
SHANK = 0.246
ANKLE_HEIGHT = 0.039
"""Ankle joint above the sole (Winter: 0.039 H)."""
HEEL_BACK = 0.035
"""The back of the heel behind the ankle joint."""
TOE_FRONT = 0.115
"""The tip of the foot in front of the ankle joint; foot length 0.15 H in all."""
SHOULDER_DROP = 0.025
"""Shoulder joints below the neck base (acromion at 0.818 H, neck base at 0.82 H plus the
joint centre a little lower)."""
SHOULDER_HALF_WIDTH = 0.10
"""Shoulder joint centre from the midline (biacromial breadth about 0.23 H)."""
HIP_HALF_WIDTH = 0.05
"""Hip joint centre from the midline (joint centres about 0.1 H apart)."""


@dataclass(frozen=True)
class Thickness:
    """Half-thickness of a segment at its start, seen from the side (front to back) and from
    the front; ``taper`` scales it toward the segment's end (a thigh is slimmer at the knee)."""

    side: float
    front: float
    taper: float = 1.0


# Half-thicknesses as fractions of height (about 11 cm chest half-depth for 1.70 m).
THICKNESS: dict[str, Thickness] = {
    "pelvis": Thickness(0.064, 0.092),
    "upper_trunk": Thickness(0.066, 0.095),
    "neck": Thickness(0.030, 0.030),
    "head": Thickness(HEAD_RADIUS, 0.056),
    "upper_arm": Thickness(0.027, 0.027, 0.80),
    "forearm": Thickness(0.021, 0.021, 0.72),
    "hand": Thickness(0.013, 0.013),
    "thigh": Thickness(0.043, 0.043, 0.70),
    "shank": Thickness(0.030, 0.030, 0.66),
    "foot": Thickness(0.015, 0.015),
}
FOOT_SOLE_OFFSET = ANKLE_HEIGHT - THICKNESS["foot"].side
"""The foot is drawn as a rounded bar whose underside is the sole, ANKLE_HEIGHT below the ankle."""

# Segment masses as fractions of body mass (Winter 2009 table 4.1): head and neck 0.081,
# trunk 0.497 (split here about 0.14 pelvis and 0.357 upper trunk), upper arm 0.028, forearm
# 0.016, hand 0.006, thigh 0.100, shank 0.0465, foot 0.0145. Used for balance only.
MASS: dict[str, float] = {
    "pelvis": 0.140,
    "upper_trunk": 0.357,
    "neck": 0.020,
    "head": 0.061,
    "upper_arm": 0.028,
    "forearm": 0.016,
    "hand": 0.006,
    "thigh": 0.100,
    "shank": 0.0465,
    "foot": 0.0145,
}

TRUNK_SEGMENTS = ("pelvis", "upper_trunk", "neck", "head")
ARM_SEGMENTS = ("upper_arm", "forearm", "hand")
LEG_SEGMENTS = ("thigh", "shank", "foot")


def base_name(segment: str) -> str:
    """``left_thigh`` -> ``thigh``; midline names are unchanged."""
    for side in SIDES:
        if segment.startswith(side + "_"):
            return segment[len(side) + 1 :]
    return segment


def side_of(segment: str) -> Side | None:
    for side in SIDES:
        if segment.startswith(side + "_"):
            return side
    return None
