"""The built-in exercise catalogue: complete, consistent, and precise enough to plan with."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from backcoach.catalogue import Catalogue, Exercise, builtin_dir, load_default
from backcoach.catalogue.model import ConditionId
from backcoach.safety.conditions import Condition
from backcoach.safety.restriction_rules import RULES
from backcoach.safety.restrictions import assess

REQUIRED_IDS = {
    "prone-press-up",
    "prone-on-elbows",
    "standing-back-extension",
    "knee-to-chest-single",
    "knee-to-chest-double",
    "pelvic-tilt",
    "bridge",
    "cat-cow",
    "childs-pose",
    "bottom-to-heels",
    "knee-rolls",
    "deep-abdominal-activation",
    "diaphragmatic-breathing",
    "bird-dog",
    "towel-hamstring-stretch",
    "thread-the-needle",
    "roll-up",
    "foam-roll-back",
    "seated-rotation",
    "standing-side-bend",
    "slouch-overcorrect",
    "bodyweight-squat",
    "hip-hinge",
    "walking-warm-up",
}
MAX_BUILTINS = 32
"""Fewer exercises, done faithfully, beat a long list (Bachmann 2018; CLINICAL.md section 2)."""


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    loaded, problems = load_default(None)
    assert [str(p) for p in problems] == []
    return loaded


def builtins(catalogue: Catalogue) -> list[Exercise]:
    return [e for e in catalogue if catalogue.is_builtin(e.id)]


# --- completeness -------------------------------------------------------------------------


def test_every_required_exercise_is_built_in(catalogue: Catalogue) -> None:
    assert REQUIRED_IDS - catalogue.builtin_ids == set()
    assert len(catalogue.builtin_ids) <= MAX_BUILTINS


def test_one_file_per_exercise_named_after_its_id(catalogue: Catalogue) -> None:
    files = sorted(p.name for p in builtin_dir().iterdir() if p.suffix in (".yaml", ".yml"))
    assert files == sorted(f"{i}.yaml" for i in catalogue.builtin_ids)


def test_the_flexion_series_has_seated_bending(catalogue: Catalogue) -> None:
    """CLINICAL.md section 4: flexion series is knees to chest lying, then seated bending."""
    seated_flexion = [e for e in catalogue if e.position == "seated" and e.direction == "flexion"]
    assert seated_flexion


# --- families -----------------------------------------------------------------------------


def test_family_links_are_symmetric(catalogue: Catalogue) -> None:
    for ex in catalogue:
        if ex.progression is not None:
            assert catalogue.get(ex.progression).regression == ex.id, ex.id
        if ex.regression is not None:
            assert catalogue.get(ex.regression).progression == ex.id, ex.id


def test_families_get_no_easier_as_they_progress_and_never_loop(catalogue: Catalogue) -> None:
    for ex in catalogue:
        seen = {ex.id}
        current = ex
        while current.progression is not None:
            harder = catalogue.get(current.progression)
            assert harder.difficulty >= current.difficulty, (current.id, harder.id)
            assert harder.id not in seen, f"progression loop through {harder.id}"
            seen.add(harder.id)
            current = harder


def chain(catalogue: Catalogue, start: str) -> list[str]:
    ids = [start]
    while (nxt := catalogue.get(ids[-1]).progression) is not None:
        ids.append(nxt)
    return ids


def test_the_mckenzie_series_are_families(catalogue: Catalogue) -> None:
    """CLINICAL.md section 4: lying face down -> on elbows -> press-ups; knee hugs -> sitting."""
    assert chain(catalogue, "prone-lying") == ["prone-lying", "prone-on-elbows", "prone-press-up"]
    assert chain(catalogue, "knee-to-chest-single")[:2] == [
        "knee-to-chest-single",
        "knee-to-chest-double",
    ]
    for family in (chain(catalogue, "prone-lying"), chain(catalogue, "knee-to-chest-single")):
        assert len({catalogue.get(i).direction for i in family}) == 1, family
    assert chain(catalogue, "pelvic-tilt") == ["pelvic-tilt", "bridge"]
    assert chain(catalogue, "bodyweight-squat") == ["bodyweight-squat", "hip-hinge"]


# --- what the safety rules act on ---------------------------------------------------------

# The tags the safety rules depend on, stated in the issue; a tag missing here would let a
# risky exercise through for the condition named in the comment.
REQUIRED_TAGS: dict[str, set[str]] = {
    "roll-up": {"loaded-flexion", "direct-spinal-pressure"},  # osteoporosis, flare
    "foam-roll-back": {"direct-spinal-pressure"},  # osteoporosis, flare
    "prone-press-up": {"sustained-extension", "prone", "wrist-load"},  # stenosis, pregnancy
    "prone-on-elbows": {"sustained-extension", "prone"},
    "standing-back-extension": {"sustained-extension"},
    "cat-cow": {"end-range-extension", "wrist-load", "knee-load"},
    "childs-pose": {"knee-load", "deep-hip-flexion"},
    "knee-to-chest-double": {"end-range-flexion", "supine-long"},
    "hip-hinge": {"lifting-load"},
    "bodyweight-squat": {"knee-load"},
}


@pytest.mark.parametrize("exercise_id", sorted(REQUIRED_TAGS))
def test_exercises_carry_the_tags_the_rules_need(catalogue: Catalogue, exercise_id: str) -> None:
    assert REQUIRED_TAGS[exercise_id] <= set(catalogue.get(exercise_id).cautions)


def test_positions_and_tags_agree(catalogue: Catalogue) -> None:
    for ex in catalogue:
        tags = set(ex.cautions)
        if ex.position == "supine":
            assert "supine-long" in tags, f"{ex.id}: lying on the back for minutes"
        if ex.position == "prone":
            assert "prone" in tags, ex.id
        if ex.position == "quadruped":
            assert {"wrist-load", "knee-load"} <= tags, f"{ex.id}: hands and knees"
        if ex.position == "kneeling":
            assert "knee-load" in tags, ex.id
        if ex.position in ("seated", "standing", "side-lying"):
            assert not {"supine-long", "prone"} & tags, ex.id


# Each condition alone, pregnancy after the first trimester.
SINGLE_CONDITIONS = [
    Condition(id="pregnancy", weeks=24),
    *(
        Condition.model_validate({"id": c})
        for c in get_args(ConditionId)
        if c not in ("pregnancy", "recent-spinal-surgery")
    ),
]


@pytest.mark.parametrize("condition", SINGLE_CONDITIONS, ids=lambda c: c.id)
def test_no_exercise_is_lost_for_want_of_a_modification(
    catalogue: Catalogue, condition: Condition
) -> None:
    """A "modify" rule with no modification text excludes the exercise. Every exclusion must
    come from an "exclude" rule: each modify rule that fires finds the exercise's own text."""
    exclude_rules = {r.id for r in RULES if r.action == "exclude"}
    for ex in builtins(catalogue):
        verdict = assess(ex, [condition])
        if verdict.status == "excluded":
            assert exclude_rules & set(verdict.rules), (
                f"{ex.id} is left out for {condition.id} only because "
                f"modifications['{condition.id}'] is missing"
            )
        if verdict.status == "modified":
            assert verdict.modifications == (ex.modifications[condition.id].text,)


@pytest.mark.parametrize("condition", SINGLE_CONDITIONS, ids=lambda c: c.id)
def test_every_condition_keeps_a_full_session(catalogue: Catalogue, condition: Condition) -> None:
    """Whatever the single condition, a warm-up, mobility work and strength work remain."""
    kept = {ex.category for ex in catalogue if assess(ex, [condition]).allowed}
    assert {"warm-up", "mobility", "strength"} <= kept, condition.id


def test_later_pregnancy_keeps_side_lying_seated_and_standing_options(
    catalogue: Catalogue,
) -> None:
    later = Condition(id="pregnancy", weeks=20)
    kept = [ex for ex in catalogue if assess(ex, [later]).allowed]
    positions = {ex.position for ex in kept}
    assert {"side-lying", "seated", "standing"} <= positions
    assert {"rotation", "flexion", "extension"} <= {ex.direction for ex in kept}


# --- dose ---------------------------------------------------------------------------------

STRETCH_HOLD_S = (10, 30)
"""ACSM Guidelines, 11th ed.: hold a stretch 10-30 s (30-60 s for older adults)."""
STRETCH_REPS_MAX = 4
"""ACSM: 2-4 repetitions, to about 60 s of stretching in all."""
STRETCH_TOTAL_S = (40, 90)
"""About 60 s in all per stretch and side (ACSM), with some room either way."""
STRENGTH_REPS = (8, 12)
"""Garber 2011 (ACSM position stand): 8-12 repetitions, 10-15 for beginners."""
STRENGTH_REPS_MAX = 15
STRENGTH_SETS_MAX = 3
SLOW_MOVEMENT_S = 8
"""An exercise this slow (a Pilates roll-up) is dosed by control, not by the ACSM rep range."""


def test_stretches_follow_the_acsm_dose(catalogue: Catalogue) -> None:
    stretches = [e for e in catalogue if e.category == "stretch"]
    assert len(stretches) >= 3
    for ex in stretches:
        hold, reps = ex.dose.hold_seconds, ex.dose.reps
        assert hold is not None and reps is not None, ex.id
        assert STRETCH_HOLD_S[0] <= hold.min and hold.default <= STRETCH_HOLD_S[1], ex.id
        assert hold.max <= 2 * STRETCH_HOLD_S[1], ex.id
        assert reps.max <= STRETCH_REPS_MAX, ex.id
        total = hold.default * reps.default
        assert STRETCH_TOTAL_S[0] <= total <= STRETCH_TOTAL_S[1], (ex.id, total)


def test_strength_exercises_follow_the_acsm_dose(catalogue: Catalogue) -> None:
    strength = [e for e in catalogue if e.category == "strength"]
    assert len(strength) >= 4
    for ex in strength:
        reps = ex.dose.reps
        assert reps is not None, ex.id
        assert reps.max <= STRENGTH_REPS_MAX and ex.dose.sets.max <= STRENGTH_SETS_MAX, ex.id
        if ex.dose.movement_seconds < SLOW_MOVEMENT_S:
            assert STRENGTH_REPS[0] <= reps.default <= STRENGTH_REPS[1], ex.id
            assert reps.min >= STRENGTH_REPS[0], ex.id


ONE_SIDE = re.compile(r"\bother (side|leg|arm)\b", re.IGNORECASE)


def test_one_side_at_a_time_exercises_are_dosed_per_side(catalogue: Catalogue) -> None:
    """An exercise whose steps switch to the other side counts its reps per side, and one
    counted per side tells the person when to switch."""
    for ex in catalogue:
        switches = any(ONE_SIDE.search(s.text) for s in ex.steps)
        assert switches == ex.dose.per_side, ex.id


def test_continuous_and_breathing_led_exercises(catalogue: Catalogue) -> None:
    breathing = catalogue.get("diaphragmatic-breathing").dose
    assert breathing.duration_seconds is not None and breathing.pace is not None
    assert breathing.pace.exhale_seconds > breathing.pace.inhale_seconds  # calming out-breath
    walk = catalogue.get("walking-warm-up").dose.duration_seconds
    assert walk is not None and (walk.min, walk.max) == (180, 300)  # 3-5 minutes
    cat_cow = catalogue.get("cat-cow").dose.tempo
    assert cat_cow is not None and "breath" in cat_cow
    for ex in catalogue:
        if ex.category == "breathing-relaxation":
            assert ex.dose.pace is not None, ex.id


# --- words the person reads and hears -----------------------------------------------------


def test_every_exercise_names_the_warning_feelings(catalogue: Catalogue) -> None:
    for ex in catalogue:
        text = " ".join(ex.feel.should_not).lower()
        assert "sharp" in text, ex.id
        assert "leg" in text and ("spread" in text or "down" in text), ex.id
        assert "numb" in text or "tingl" in text, ex.id


def test_steps_are_short_and_mostly_spoken(catalogue: Catalogue) -> None:
    for ex in catalogue:
        assert 2 <= len(ex.steps) <= 6, ex.id
        silent = [s for s in ex.steps if s.cue is None]
        assert len(silent) <= 1, ex.id
        for step in ex.steps:
            assert len(step.text) <= 200, (ex.id, step.text)


def test_purpose_is_one_plain_sentence(catalogue: Catalogue) -> None:
    for ex in catalogue:
        assert ex.purpose.endswith("."), ex.id
        assert ". " not in ex.purpose.rstrip("."), ex.id


KNOWN_SOURCES = (
    "McKenzie",
    "Long 2004",
    "ACSM",
    "Garber 2011",
    "Hayden 2021",
    "NICE NG59",
    "AAOS",
    "ACOG",
    "Giangregorio 2014",
    "Sinaki 1984",
)


def test_every_exercise_cites_a_clinical_source(catalogue: Catalogue) -> None:
    for ex in catalogue:
        assert any(k in s for s in ex.sources for k in KNOWN_SOURCES), ex.id
