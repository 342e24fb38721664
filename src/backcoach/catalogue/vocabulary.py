"""The catalogue's closed vocabularies, as plain ``Literal`` types.

Kept apart from the pydantic models (``catalogue.model``) so that a command which only needs
the words (``backcoach exercises list --category stretch``) need not build the models.
"""

from __future__ import annotations

from typing import Literal

Category = Literal[
    "warm-up",
    "mobility",
    "strength",
    "stretch",
    "motor-control",
    "breathing-relaxation",
    "posture",
]
Position = Literal["prone", "supine", "side-lying", "quadruped", "kneeling", "seated", "standing"]
Direction = Literal["extension", "flexion", "rotation", "side-bend", "neutral"]
Equipment = Literal["mat", "chair", "towel", "foam-roller", "cushion", "wall", "stick"]
Goal = Literal["relief", "mobility", "strength", "posture", "return-to-activity"]

ConditionId = Literal[
    "osteoporosis",
    "spinal-stenosis",
    "spondylolisthesis",
    "pregnancy",
    "wrist",
    "knee",
    "recent-spinal-surgery",
    "acute-flare",
]
"""Conditions a profile can carry; the safety rules and exercise modifications key on these."""

CautionTag = Literal[
    "loaded-flexion",  # trunk bending against load or gravity (curl-ups, roll-ups): osteoporosis
    "end-range-flexion",  # bending the spine to its limit (knees hugged to chest)
    "sustained-extension",  # holding or repeating back-bending (press-ups): stenosis
    "end-range-extension",  # brief back-bending toward the limit within a movement (cow)
    "end-range-rotation",  # twisting the trunk to its limit
    "supine-long",  # lying on the back for minutes: pregnancy after the first trimester
    "prone",  # lying on the front: pregnancy after the first trimester
    "wrist-load",  # weight through the hands with the wrist bent back
    "knee-load",  # weight through the knees (kneeling) or deep knee bending
    "direct-spinal-pressure",  # pressure on the spine itself (foam rolling): osteoporosis
    "balance",  # needs steadiness on one or two points
    "deep-hip-flexion",  # hips bent well past 90 degrees (child's pose): late pregnancy comfort
    "lifting-load",  # practising a lift or loaded squat: acute flare, recent surgery
]
"""Tags the safety rules act on. They describe what an exercise does, never which exercise."""
