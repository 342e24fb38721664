"""Drawn versions: a modification with key poses of its own is checked like the exercise's
poses, drawn from them and kept under its own cache key; a modification in words alone is as
valid as ever."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pydantic import ValidationError

from backcoach.body.cache import UnknownVersion, fingerprint, still_key, still_svg, version_of
from backcoach.body.versions import check_versions
from backcoach.catalogue import Catalogue, load_default
from backcoach.catalogue.files import builtin_dir
from backcoach.catalogue.model import Exercise
from backcoach.catalogue.schema import exercise_schema
from backcoach.services.library import check_catalogue


@cache
def _builtins() -> Catalogue:
    catalogue, problems = load_default(None)
    assert problems == []
    return catalogue


DRAWN = [(ex.id, c) for ex in sorted(_builtins(), key=lambda e: e.id) for c in ex.drawn_versions]

WANTED = {
    ("prone-press-up", "wrist"),
    ("bird-dog", "wrist"),
    ("cat-cow", "wrist"),
    ("bottom-to-heels", "wrist"),
    ("childs-pose", "wrist"),
    ("bodyweight-squat", "knee"),
    ("knee-to-chest-single", "knee"),
    ("knee-to-chest-double", "knee"),
    ("knee-rolls", "osteoporosis"),
}
"""Modifications whose words describe another body position: each is drawn."""


def test_the_modifications_that_change_the_picture_are_drawn() -> None:
    assert set(DRAWN) >= WANTED


@pytest.mark.parametrize(("exercise_id", "condition"), DRAWN)
def test_builtin_versions_pass_the_pose_checks(exercise_id: str, condition: str) -> None:
    exercise = _builtins().get(exercise_id)
    assert check_versions(exercise) == []
    version = version_of(exercise, condition)
    assert version.key_poses == exercise.modifications[condition].key_poses  # type: ignore[index]
    assert version.key_poses != exercise.key_poses


def test_the_press_up_for_wrists_rests_on_the_forearms() -> None:
    version = version_of(_builtins().get("prone-press-up"), "wrist")
    assert version.key_poses is not None
    last = version.key_poses.poses[-1]
    assert "forearms" in last.floor and "hands" not in last.floor


def _press_up(**changes: object) -> dict[str, object]:
    data = _builtins().get("prone-press-up").model_dump(mode="json")
    data.update(changes)
    return data


def test_a_modification_in_words_alone_stays_valid_and_keeps_its_shape() -> None:
    exercise = Exercise.model_validate(
        _press_up(modifications={"wrist": "Rest on your forearms."}), strict=False
    )
    assert exercise.modifications["wrist"].text == "Rest on your forearms."
    assert exercise.drawn_versions == ()
    assert exercise.version("wrist") is None
    # Written back (the API, the cached catalogue) as the words alone.
    assert exercise.model_dump()["modifications"] == {"wrist": "Rest on your forearms."}


def test_a_drawn_modification_dumps_whole_and_loads_again() -> None:
    exercise = _builtins().get("prone-press-up")
    dumped = exercise.model_dump(mode="json")
    assert dumped["modifications"]["wrist"]["key_poses"]["poses"]
    assert isinstance(dumped["modifications"]["pregnancy"], str)
    assert Exercise.model_validate(dumped, strict=False) == exercise


def test_equipment_without_poses_is_refused_naming_the_field() -> None:
    data = _press_up(modifications={"wrist": {"text": "Use a towel.", "equipment": ["towel"]}})
    with pytest.raises(ValidationError) as caught:
        Exercise.model_validate(data, strict=False)
    error = caught.value.errors()[0]
    assert error["loc"][:2] == ("modifications", "wrist")
    assert "key_poses" in error["msg"]


def test_a_version_bad_pose_is_named_with_its_file_line_and_field(tmp_path: Path) -> None:
    text = (builtin_dir() / "prone-press-up.yaml").read_text(encoding="utf-8")
    text = text.replace("id: prone-press-up", "id: my-press-up", 1)
    # The version's held pose with straight elbows: the forearms cannot lie on the mat.
    bent = "angles: {lumbar: -24, neck: -20, shoulder: 60, elbow: 78,"
    assert text.count(bent) == 1
    text = text.replace(bent, "angles: {lumbar: -24, neck: -20, shoulder: 60, elbow: 5,")
    (tmp_path / "my-press-up.yaml").write_text(text, encoding="utf-8")
    _, problems = check_catalogue(tmp_path)
    mine = [p for p in problems if p.exercise_id == "my-press-up"]
    fields = [p.field for p in mine]
    assert "modifications.wrist.key_poses.poses.1.floor.3" in fields, fields
    forearms = next(p for p in mine if p.field.endswith("floor.3"))
    assert "'forearms' should rest on the floor" in forearms.message
    line = text.splitlines()[forearms.line - 1]
    assert "forearms" in line and "floor:" in line


def test_an_unknown_version_is_refused_naming_the_drawn_ones() -> None:
    exercise = _builtins().get("prone-press-up")
    assert version_of(exercise, None) is exercise
    with pytest.raises(UnknownVersion, match="drawn versions: wrist"):
        version_of(exercise, "knee")
    with pytest.raises(UnknownVersion):
        version_of(exercise, "pregnancy")  # a modification in words alone


def test_a_version_is_drawn_and_cached_under_its_own_key() -> None:
    exercise = _builtins().get("prone-press-up")
    version = version_of(exercise, "wrist")
    assert version_of(exercise, "wrist") is version  # kept, so its fingerprint is too
    assert fingerprint(version) != fingerprint(exercise)
    assert still_key(version).tag != still_key(exercise).tag
    assert still_svg(version) != still_svg(exercise)


def test_the_schema_takes_words_or_a_drawn_version() -> None:
    schema = exercise_schema()
    values = schema["properties"]["modifications"]["additionalProperties"]["anyOf"]
    assert {"type": "string", "minLength": 1, "maxLength": 400}.items() <= values[0].items()
    drawn = schema["$defs"]["Modification"]["properties"]
    assert set(drawn) == {"text", "key_poses", "equipment"}
