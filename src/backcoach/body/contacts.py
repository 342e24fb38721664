"""Resting parts: the names a pose uses for what touches the floor, as capsule ends.

A flat part (a hand, a forearm, a shin, a foot) touches along its length, so both ends of its
segment must reach the support; others (a knee, the pelvis) touch at some point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backcoach.body import skeleton as sk


@dataclass(frozen=True)
class ContactSpec:
    """A resting part as capsule ends: ``all`` ends must touch (flat) or ``any`` one."""

    name: str
    ends: tuple[tuple[str, int], ...]
    mode: Literal["any", "all"]


_LIMB_CONTACTS: dict[str, tuple[str, tuple[int, ...], Literal["any", "all"]]] = {
    "upper_arm": ("upper_arm", (0, 1), "any"),
    "elbow": ("forearm", (0,), "any"),
    "forearm": ("forearm", (0, 1), "all"),
    "hand": ("hand", (0, 1), "all"),
    "thigh": ("thigh", (0, 1), "any"),
    "knee": ("shank", (0,), "any"),
    "shin": ("shank", (0, 1), "all"),
    "foot": ("foot", (0, 1), "all"),
    "heel": ("foot", (0,), "any"),
    "toes": ("foot", (1,), "any"),
}
_MIDLINE_CONTACTS: dict[str, tuple[str, tuple[int, ...], Literal["any", "all"]]] = {
    "head": ("head", (0,), "any"),
    "shoulders": ("upper_trunk", (1,), "any"),
    "upper_trunk": ("upper_trunk", (0, 1), "any"),
    "pelvis": ("pelvis", (0, 1), "any"),
}
PLURALS = {
    "upper_arms": "upper_arm",
    "elbows": "elbow",
    "forearms": "forearm",
    "hands": "hand",
    "thighs": "thigh",
    "knees": "knee",
    "shins": "shin",
    "feet": "foot",
    "heels": "heel",
    "toes": "toes",
}
"""A plural resting part (both sides) -> the part of one side."""
PLURAL_OF = {one: both for both, one in PLURALS.items()}
"""A limb's resting part (``hand``) -> the name for both sides (``hands``)."""


def contact_specs(name: str) -> list[ContactSpec]:
    """The capsule ends a resting-part name stands for (a plural gives one per side)."""
    if name in _MIDLINE_CONTACTS:
        segment, ends, mode = _MIDLINE_CONTACTS[name]
        return [ContactSpec(name, tuple((segment, e) for e in ends), mode)]
    if name in PLURALS:
        return [spec for side in sk.SIDES for spec in contact_specs(f"{side}_{PLURALS[name]}")]
    side, _, part = name.partition("_")
    if side in sk.SIDES and part in _LIMB_CONTACTS:
        segment, ends, mode = _LIMB_CONTACTS[part]
        return [ContactSpec(name, tuple((f"{side}_{segment}", e) for e in ends), mode)]
    raise ValueError(f"unknown resting part '{name}'")


def on_the_feet(name: str) -> bool:
    """Whether a resting part is (part of) the feet: standing on them needs no mat."""
    return all(seg.endswith("_foot") for spec in contact_specs(name) for seg, _ in spec.ends)
