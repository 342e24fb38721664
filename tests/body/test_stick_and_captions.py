"""The hip hinge's stick (issue 16): in its equipment, drawn along the back, checked to touch
the head; and the pictures the web and the handout use carry no words (the pose labels are
page text there instead, at one size)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from backcoach.body.checks import check_exercise
from backcoach.body.figure import exercise_svg, plain_svg, pose_labels
from backcoach.catalogue.loader import builtin_dir, load_file
from backcoach.catalogue.model import Exercise
from backcoach.planning.select import SUBSTITUTABLE_EQUIPMENT
from backcoach.wording import label

SVG = "{http://www.w3.org/2000/svg}"


def _builtin(exercise_id: str) -> Exercise:
    exercise, problems = load_file(builtin_dir() / f"{exercise_id}.yaml")
    assert exercise is not None and not problems, problems
    return exercise


def _builtins() -> list[Exercise]:
    out = []
    for path in sorted(builtin_dir().glob("*.yaml")):
        exercise, _ = load_file(path)
        if exercise is not None and exercise.key_poses is not None:
            out.append(exercise)
    return out


def test_hip_hinge_lists_a_stick_and_its_picture_draws_one_per_pose() -> None:
    hinge = _builtin("hip-hinge")
    assert "stick" in hinge.equipment
    assert label("stick", "equipment") == "A stick or broom handle"
    assert hinge.key_poses is not None
    root = ET.fromstring(exercise_svg(hinge))
    sticks = [el for el in root.iter(f"{SVG}line") if el.get("class") == "prop stick"]
    assert len(sticks) == len(hinge.key_poses.poses)
    # Along the back: long (over a metre of broom handle) and not lying flat.
    for el in sticks:
        dx = float(el.get("x2", 0)) - float(el.get("x1", 0))
        dy = float(el.get("y2", 0)) - float(el.get("y1", 0))
        assert (dx * dx + dy * dy) ** 0.5 > 100 and abs(dy) > 40


def test_no_other_exercise_gets_a_stick() -> None:
    bridge = _builtin("bridge")
    assert "prop stick" not in exercise_svg(bridge)


def test_a_stick_is_in_reach_of_every_home_so_it_never_leaves_the_hinge_out() -> None:
    assert "stick" in SUBSTITUTABLE_EQUIPMENT


def test_the_stick_must_touch_the_back_of_the_head() -> None:
    hinge = _builtin("hip-hinge")
    assert check_exercise(hinge) == []
    assert hinge.key_poses is not None
    # The head hanging forward off the stick (neck bent 20 degrees) is the mistake the stick
    # is there to catch: the check names the pose and the neck angle.
    poses = [
        p.model_copy(update={"angles": p.angles.model_copy(update={"neck": 20.0})})
        for p in hinge.key_poses.poses
    ]
    drooping = hinge.model_copy(
        update={"key_poses": hinge.key_poses.model_copy(update={"poses": poses})}
    )
    findings = check_exercise(drooping)
    assert findings and all(f[0][-2:] == ["angles", "neck"] for f in findings), findings
    assert "touch the back of the head" in findings[0][1] and "neck" in findings[0][2]


def test_a_stick_seen_from_the_front_is_a_finding() -> None:
    hinge = _builtin("hip-hinge")
    assert hinge.key_poses is not None
    front = hinge.model_copy(
        update={"key_poses": hinge.key_poses.model_copy(update={"view": "front"})}
    )
    findings = [f for f in check_exercise(front) if f[0] == ["key_poses", "view"]]
    assert findings and "side" in findings[0][2]


@pytest.mark.parametrize("exercise", _builtins(), ids=lambda ex: ex.id)
def test_the_plain_picture_has_no_words_and_the_labels_come_as_text(exercise: Exercise) -> None:
    root = ET.fromstring(plain_svg(exercise))
    assert root.findall(f".//{SVG}text") == []
    captioned = exercise_svg(exercise)
    labels = pose_labels(exercise)
    assert labels and all(labels)
    # The captioned picture (contact sheet, `figures`) still carries its numbers.
    assert "<text" in captioned


@pytest.mark.parametrize("exercise", _builtins(), ids=lambda ex: ex.id)
def test_the_title_of_a_titled_picture_stays_inside_it(exercise: Exercise) -> None:
    """Rendered with the real font: the title alone, on a canvas wider than the picture, leaves
    every pixel right of the picture's edge white (8 of 30 titles used to run off it)."""
    from io import BytesIO

    from PIL import Image

    from backcoach.body.png import svg_to_png

    svg = exercise_svg(exercise, title=True)
    root = ET.fromstring(svg)
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    titles = [
        el
        for el in root.findall(f"{SVG}text")
        if el.get("font-weight") == "bold" and el.get("text-anchor") is None  # not a badge
    ]
    assert titles and " ".join(el.text or "" for el in titles) == exercise.name
    ET.register_namespace("", SVG.strip("{}"))
    texts = "".join(ET.tostring(el, encoding="unicode") for el in titles)
    spare = 400
    probe = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width + spare:.0f} {height:.0f}" '
        f'width="{width + spare:.0f}" height="{height:.0f}" '
        f'font-family="{root.get("font-family")}">{texts}</svg>'
    )
    image = Image.open(BytesIO(svg_to_png(probe))).convert("L")
    right = image.crop((round(width), 0, image.width, image.height))
    assert right.getextrema()[0] > 240, f"the title runs past the right edge of {exercise.id}"
    left = image.crop((0, 0, round(width), image.height))
    assert left.getextrema()[0] < 128  # the title was drawn at all
