"""The restriction rules over the real built-in catalogue: the examples from CLINICAL.md."""

from __future__ import annotations

import pytest

from backcoach.catalogue import Catalogue, load_default
from backcoach.safety.conditions import Condition
from backcoach.safety.restrictions import Verdict, assess_all

PRONE_OR_LONG_SUPINE_RULES = {"pregnancy-prone", "pregnancy-supine-long"}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    loaded, problems = load_default(None)
    assert problems == []
    return loaded


def verdicts(catalogue: Catalogue, *conditions: Condition) -> dict[str, Verdict]:
    return assess_all(catalogue, list(conditions))


def test_osteoporosis_excludes_roll_up_and_foam_rolling(catalogue: Catalogue) -> None:
    result = verdicts(catalogue, Condition(id="osteoporosis"))
    assert result["roll-up"].status == "excluded"
    assert "osteoporosis-loaded-flexion" in result["roll-up"].rules
    assert result["foam-roll-back"].status == "excluded"
    assert "osteoporosis-spinal-pressure" in result["foam-roll-back"].rules


@pytest.mark.parametrize("condition_id", ["spinal-stenosis", "spondylolisthesis"])
@pytest.mark.parametrize(
    "exercise_id", ["prone-press-up", "prone-on-elbows", "standing-back-extension"]
)
def test_stenosis_and_spondylolisthesis_exclude_sustained_back_bends(
    catalogue: Catalogue, condition_id: str, exercise_id: str
) -> None:
    verdict = verdicts(catalogue, Condition.model_validate({"id": condition_id}))[exercise_id]
    assert verdict.status == "excluded"
    assert any(rule.endswith("-sustained-extension") for rule in verdict.rules)


def test_pregnancy_at_24_weeks(catalogue: Catalogue) -> None:
    result = verdicts(catalogue, Condition(id="pregnancy", weeks=24))
    prone = [e for e in catalogue if e.position == "prone" or "prone" in e.cautions]
    long_supine = [e for e in catalogue if "supine-long" in e.cautions]
    assert prone and long_supine
    for exercise in [*prone, *long_supine]:
        assert result[exercise.id].status == "excluded", exercise.id
    upright_or_side = [e for e in catalogue if e.position in ("seated", "standing", "side-lying")]
    assert len(upright_or_side) >= 5
    for exercise in upright_or_side:
        verdict = result[exercise.id]
        # Sitting, standing and side-lying are never ruled out for their position.
        assert not PRONE_OR_LONG_SUPINE_RULES & set(verdict.rules), exercise.id
        if "loaded-flexion" not in exercise.cautions:
            assert verdict.allowed, exercise.id
    for exercise_id in ["walking-warm-up", "sit-to-stand", "side-lying-clam", "seated-rotation"]:
        assert result[exercise_id].status == "allowed", exercise_id


def test_pregnancy_in_the_first_trimester_restricts_nothing(catalogue: Catalogue) -> None:
    result = verdicts(catalogue, Condition(id="pregnancy", weeks=10))
    assert {v.status for v in result.values()} == {"allowed"}


@pytest.mark.parametrize("exercise_id", ["cat-cow", "bird-dog", "prone-press-up"])
def test_wrist_problems_modify_hands_and_knees_work(catalogue: Catalogue, exercise_id: str) -> None:
    verdict = verdicts(catalogue, Condition(id="wrist"))[exercise_id]
    assert verdict.status == "modified"
    assert verdict.modifications == (catalogue.get(exercise_id).modifications["wrist"].text,)


@pytest.mark.parametrize("exercise_id", ["childs-pose", "cat-cow"])
def test_knee_problems_modify_kneeling_work(catalogue: Catalogue, exercise_id: str) -> None:
    verdict = verdicts(catalogue, Condition(id="knee"))[exercise_id]
    assert verdict.status == "modified"
    assert verdict.modifications == (catalogue.get(exercise_id).modifications["knee"].text,)


def test_recent_surgery_before_clearance_leaves_only_gentle_exercises(
    catalogue: Catalogue,
) -> None:
    result = verdicts(catalogue, Condition(id="recent-spinal-surgery"))
    allowed = {exercise_id for exercise_id, v in result.items() if v.allowed}
    assert "walking-warm-up" in allowed
    assert "diaphragmatic-breathing" in allowed
    for exercise_id in allowed:
        exercise = catalogue.get(exercise_id)
        assert exercise.category in ("breathing-relaxation", "warm-up"), exercise_id


def test_every_built_in_modification_needed_is_written(catalogue: Catalogue) -> None:
    """A built-in exercise left out only because it lacks a modification text is a gap in
    the YAML: it should say how to adapt it, or carry a tag that excludes it outright."""
    conditions = [
        Condition(id="osteoporosis"),
        Condition(id="spinal-stenosis"),
        Condition(id="spondylolisthesis"),
        Condition(id="pregnancy", weeks=24),
        Condition(id="wrist"),
        Condition(id="knee"),
    ]
    gaps = []
    for condition in conditions:
        for exercise_id, verdict in verdicts(catalogue, condition).items():
            lacking = [r for r in verdict.reasons if "no safe modification" in r]
            outright = len(lacking) < len(verdict.reasons)
            if lacking and not outright:
                gaps.append((condition.id, exercise_id))
    assert gaps == []
