"""The animation draws the cushion the still picture draws, behind the body, standing still."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from backcoach.body.animation import animation_svg
from backcoach.body.draw import CM
from backcoach.body.figure import key_poses_svg
from backcoach.body.scene import build_scene, seen
from backcoach.body.timing import Tempo
from backcoach.catalogue.loader import builtin_dir, load_file
from backcoach.catalogue.poses import KeyPoses

SVG = "{http://www.w3.org/2000/svg}"
TEMPO = Tempo(out=2.0, hold=2.0, back=2.0, pause=0.5)


def _key_poses(slug: str) -> KeyPoses:
    exercise, _ = load_file(builtin_dir() / f"{slug}.yaml")
    assert exercise is not None and exercise.key_poses is not None
    return exercise.key_poses


def _numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]


@pytest.mark.parametrize("slug", ["knee-rolls", "side-lying-open-book"])
def test_the_animation_draws_the_cushion_under_the_head(slug: str) -> None:
    key_poses = _key_poses(slug)
    assert "prop cushion" in key_poses_svg(key_poses)  # the still picture has one
    root = ET.fromstring(animation_svg(key_poses, TEMPO))
    children = list(root)
    cushions = [c for c in children if c.get("class") == "prop cushion"]
    assert len(cushions) == 1
    cushion = cushions[0]
    assert cushion.find(f"{SVG}animate") is None  # a prop: it stays put
    # Behind the body: every moving shape comes after it.
    index = children.index(cushion)
    first_moving = next(i for i, c in enumerate(children) if c.find(f"{SVG}animate") is not None)
    assert index < first_moving
    # Under the head of the first frame as drawn (the one camera of the animation).
    camera = key_poses.camera or key_poses.camera_of(0)
    head = seen(build_scene(key_poses).forward[0], camera).placed.points["head_centre"]
    values = _numbers(cushion.get("d") or "")
    xs, ys = values[0::2], values[1::2]
    assert min(xs) < head[0] * CM < max(xs)
    assert max(ys) > -head[1] * CM  # its lowest point is below the head's centre
    # Inside the picture.
    x, y, w, h = (float(v) for v in (root.get("viewBox") or "").split())
    assert x <= min(xs) and max(xs) <= x + w and y <= min(ys) and max(ys) <= y + h


def test_no_cushion_without_one_in_the_key_poses() -> None:
    svg = animation_svg(_key_poses("knee-to-chest-single"), TEMPO)
    assert "cushion" not in svg
