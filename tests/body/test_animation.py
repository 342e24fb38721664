"""Animations: one repetition at the exercise's tempo, with the body resting at every frame."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from backcoach.body.animation import animation_svg
from backcoach.body.placement import CONTACT_TOLERANCE_M
from backcoach.body.scene import key_frames, path_frames
from backcoach.body.timing import SHORT_PAUSE_S, Tempo, tempo_of
from backcoach.catalogue.model import Dose
from tests.body.samples import PRESS_UP

SVG = "{http://www.w3.org/2000/svg}"


def _dose(**fields: object) -> Dose:
    base: dict[str, object] = {"sets": {"min": 1, "default": 1, "max": 2}}
    return Dose.model_validate({**base, **fields})


def test_tempo_follows_the_dose() -> None:
    reps = _dose(
        reps={"min": 5, "default": 10, "max": 12},
        hold_seconds={"min": 1, "default": 10, "max": 15},
        movement_seconds=4,
    )
    assert tempo_of(reps) == Tempo(out=2.0, hold=10.0, back=2.0, pause=SHORT_PAUSE_S)
    assert tempo_of(reps, max_hold=3).hold == 3.0
    breathing = _dose(
        duration_seconds={"min": 60, "default": 120, "max": 300},
        pace={"inhale_seconds": 4, "exhale_seconds": 6},
    )
    tempo = tempo_of(breathing)
    assert (tempo.out, tempo.back) == (4.0, 6.0)
    assert tempo.hold == SHORT_PAUSE_S  # no hold set: a short pause, never a frozen figure


def test_the_animation_runs_one_cycle_at_the_tempo() -> None:
    tempo = Tempo(out=2.0, hold=3.0, back=2.0, pause=0.5)
    svg = animation_svg(PRESS_UP, tempo)
    root = ET.fromstring(svg)
    assert root.get("data-cycle-seconds") == "7.50"
    animations = root.findall(f".//{SVG}animate")
    assert len(animations) > 10  # the limbs and trunk move
    for anim in animations:
        assert anim.get("dur") == "7.50s"
        key_times = [float(t) for t in (anim.get("keyTimes") or "").split(";")]
        values = (anim.get("values") or "").split(";")
        assert len(key_times) == len(values)
        assert key_times[0] == 0.0 and key_times[-1] == 1.0
        assert key_times == sorted(key_times)
    # Moving out takes 2 of the 7.5 seconds: the end pose is reached at 2/7.5 of the cycle.
    first = animations[0].get("keyTimes") or ""
    assert f"{2.0 / 7.5:.4f}" in first.split(";")
    assert f"{5.0 / 7.5:.4f}" in first.split(";")  # after the 3 s hold, moving back starts


def test_every_in_between_frame_keeps_the_pelvis_down_and_nothing_below_the_floor() -> None:
    frames = key_frames(PRESS_UP)
    runs = path_frames(PRESS_UP, frames, 8)
    assert [len(r) for r in runs] == [9, 9]
    run = runs[0] + runs[1][1:]
    for frame in run:
        assert frame.placed.lowest == pytest.approx(0.0, abs=1e-9)
        # Blended angles are not solved again, so in-between frames may float a little more
        # than key poses may (a middle key pose narrows it where it shows).
        assert abs(frame.placed.gaps["floor:pelvis"]) <= 2 * CONTACT_TOLERANCE_M
    # The chest rises by some 40 cm, without dipping on the way.
    heights = [f.placed.points["neck_base"][1] for f in run]
    assert heights[-1] > heights[0] + 0.3
    assert all(b > a - 0.01 for a, b in itertools.pairwise(heights))


def test_shapes_keep_their_ids_so_a_player_can_find_them() -> None:
    svg = animation_svg(PRESS_UP, Tempo(1, 1, 1, 1))
    ids = re.findall(r' id="([\w]+)"', svg)
    assert len(ids) == len(set(ids))
    assert {"trunk", "head", "right_thigh", "left_forearm"} <= set(ids)
