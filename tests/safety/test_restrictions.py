"""Conditions -> restrictions, on exercises built here (independent of the built-in YAML)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.catalogue.model import (
    Category,
    CautionTag,
    ConditionId,
    Direction,
    Exercise,
    Position,
)
from backcoach.safety.conditions import FIRST_TRIMESTER_END_WEEK, Condition
from backcoach.safety.restriction_rules import CONDITION_LABELS, RULES, Rule, is_gentle
from backcoach.safety.restrictions import Verdict, assess, assess_all

from .factories import make_exercise

TODAY = dt.date(2024, 6, 1)
TAGS: tuple[CautionTag, ...] = get_args(CautionTag)
POSITIONS: tuple[Position, ...] = get_args(Position)
CATEGORIES: tuple[Category, ...] = get_args(Category)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
CONDITION_IDS: tuple[ConditionId, ...] = get_args(ConditionId)
RANK = {"allowed": 0, "modified": 1, "excluded": 2}


def mod(condition_id: str) -> str:
    return f"A safer way for {condition_id}."


def ex(*tags: str, with_mods: tuple[str, ...] = (), **fields: Any) -> Exercise:
    return make_exercise(
        cautions=list(tags), modifications={c: mod(c) for c in with_mods}, **fields
    )


OSTEO = Condition(id="osteoporosis")
STENOSIS = Condition(id="spinal-stenosis")
SPONDY = Condition(id="spondylolisthesis")
PREG_24 = Condition(id="pregnancy", weeks=24)
PREG_12 = Condition(id="pregnancy", weeks=12)
PREG_13 = Condition(id="pregnancy", weeks=FIRST_TRIMESTER_END_WEEK)
PREG_UNKNOWN = Condition(id="pregnancy")
WRIST = Condition(id="wrist")
KNEE = Condition(id="knee")
FLARE = Condition(id="acute-flare")
SURGERY = Condition(id="recent-spinal-surgery")
SURGERY_CLEARED = Condition(id="recent-spinal-surgery", cleared_on=TODAY - dt.timedelta(days=3))
SURGERY_CLEARED_LATER = Condition(
    id="recent-spinal-surgery", cleared_on=TODAY + dt.timedelta(days=3)
)

# (case, condition, exercise, expected status, expected rule ids) -- written from CLINICAL.md
# section 5 and the brief, not from the rules table.
CASES: list[tuple[str, Condition, Exercise, str, tuple[str, ...]]] = [
    # osteoporosis
    ("osteo loaded flexion", OSTEO, ex("loaded-flexion", with_mods=("osteoporosis",)), "excluded",
     ("osteoporosis-loaded-flexion",)),
    ("osteo spinal pressure", OSTEO, ex("direct-spinal-pressure"), "excluded",
     ("osteoporosis-spinal-pressure",)),
    ("osteo end flexion, modified", OSTEO, ex("end-range-flexion", with_mods=("osteoporosis",)),
     "modified", ("osteoporosis-end-range-flexion",)),
    ("osteo end flexion, no text", OSTEO, ex("end-range-flexion", with_mods=("wrist",)),
     "excluded", ("osteoporosis-end-range-flexion",)),
    ("osteo end rotation", OSTEO, ex("end-range-rotation", with_mods=("osteoporosis",)),
     "modified", ("osteoporosis-end-range-rotation",)),
    ("osteo extension is fine", OSTEO, ex("sustained-extension", "prone", position="prone"),
     "allowed", ()),
    # stenosis and spondylolisthesis
    ("stenosis sustained ext", STENOSIS, ex("sustained-extension"), "excluded",
     ("stenosis-sustained-extension",)),
    ("stenosis end ext", STENOSIS, ex("end-range-extension", with_mods=("spinal-stenosis",)),
     "modified", ("stenosis-end-range-extension",)),
    ("stenosis end ext, no text", STENOSIS,
     ex("end-range-extension", with_mods=("spondylolisthesis",)), "excluded",
     ("stenosis-end-range-extension",)),
    ("stenosis flexion is fine", STENOSIS, ex("loaded-flexion", "end-range-flexion"), "allowed",
     ()),
    ("spondy sustained ext", SPONDY, ex("sustained-extension"), "excluded",
     ("spondylolisthesis-sustained-extension",)),
    ("spondy end ext", SPONDY, ex("end-range-extension", with_mods=("spondylolisthesis",)),
     "modified", ("spondylolisthesis-end-range-extension",)),
    ("spondy end ext, no text", SPONDY, ex("end-range-extension"), "excluded",
     ("spondylolisthesis-end-range-extension",)),
    # pregnancy after the first trimester
    ("preg 24 supine long", PREG_24, ex("supine-long", position="supine"), "excluded",
     ("pregnancy-supine-long",)),
    ("preg 24 prone tag", PREG_24, ex("prone", position="quadruped"), "excluded",
     ("pregnancy-prone",)),
    ("preg 24 prone position, untagged", PREG_24, ex(position="prone"), "excluded",
     ("pregnancy-prone",)),
    ("preg 24 loaded flexion", PREG_24, ex("loaded-flexion", with_mods=("pregnancy",)),
     "excluded", ("pregnancy-loaded-flexion",)),
    ("preg 24 deep hip flexion", PREG_24, ex("deep-hip-flexion", with_mods=("pregnancy",)),
     "modified", ("pregnancy-deep-hip-flexion",)),
    ("preg 24 deep hip flexion, no text", PREG_24, ex("deep-hip-flexion"), "excluded",
     ("pregnancy-deep-hip-flexion",)),
    ("preg 24 short supine is fine", PREG_24, ex(position="supine"), "allowed", ()),
    ("preg 24 seated", PREG_24, ex(position="seated"), "allowed", ()),
    ("preg 24 side-lying", PREG_24, ex(position="side-lying"), "allowed", ()),
    ("preg 13 boundary", PREG_13, ex("supine-long", position="supine"), "excluded",
     ("pregnancy-supine-long",)),
    ("preg weeks unknown", PREG_UNKNOWN, ex(position="prone"), "excluded", ("pregnancy-prone",)),
    # first trimester: none of the pregnancy rules
    ("preg 12 supine long", PREG_12, ex("supine-long", position="supine"), "allowed", ()),
    ("preg 12 prone", PREG_12, ex("prone", position="prone"), "allowed", ()),
    ("preg 12 loaded flexion", PREG_12, ex("loaded-flexion"), "allowed", ()),
    ("preg 12 deep hip flexion", PREG_12, ex("deep-hip-flexion"), "allowed", ()),
    # wrists and knees
    ("wrist load", WRIST, ex("wrist-load", with_mods=("wrist",)), "modified", ("wrist-load",)),
    ("wrist load, no text", WRIST, ex("wrist-load", with_mods=("knee",)), "excluded",
     ("wrist-load",)),
    ("wrist, knee load is fine", WRIST, ex("knee-load"), "allowed", ()),
    ("knee load", KNEE, ex("knee-load", with_mods=("knee",)), "modified", ("knee-load",)),
    ("knee load, no text", KNEE, ex("knee-load"), "excluded", ("knee-load",)),
    ("knee, wrist load is fine", KNEE, ex("wrist-load"), "allowed", ()),
    # acute flare
    ("flare loaded flexion", FLARE, ex("loaded-flexion"), "excluded", ("flare-loaded-flexion",)),
    ("flare lifting", FLARE, ex("lifting-load"), "excluded", ("flare-lifting-load",)),
    ("flare spinal pressure", FLARE, ex("direct-spinal-pressure"), "excluded",
     ("flare-spinal-pressure",)),
    ("flare hardest", FLARE, ex(difficulty=3), "excluded", ("flare-hardest",)),
    ("flare difficulty 2", FLARE, ex(difficulty=2), "allowed", ()),
    ("flare extension", FLARE, ex("sustained-extension", position="prone"), "allowed", ()),
    # recent spinal surgery, not cleared
    ("surgery mobility", SURGERY, ex(), "excluded", ("surgery-not-cleared",)),
    ("surgery breathing", SURGERY, ex(category="breathing-relaxation", position="supine"),
     "allowed", ()),
    ("surgery breathing lying long", SURGERY,
     ex("supine-long", category="breathing-relaxation", position="supine"), "allowed", ()),
    ("surgery breathing with loading", SURGERY,
     ex("loaded-flexion", category="breathing-relaxation"), "excluded",
     ("surgery-not-cleared",)),
    ("surgery walking warm-up", SURGERY, ex(category="warm-up"), "allowed", ()),
    ("surgery bending warm-up", SURGERY, ex(category="warm-up", direction="flexion"),
     "excluded", ("surgery-not-cleared",)),
    ("surgery seated warm-up", SURGERY, ex(category="warm-up", position="seated"), "excluded",
     ("surgery-not-cleared",)),
    ("surgery balance warm-up", SURGERY, ex("balance", category="warm-up"), "excluded",
     ("surgery-not-cleared",)),
    ("surgery clearance dated later", SURGERY_CLEARED_LATER, ex(), "excluded",
     ("surgery-not-cleared",)),
    # cleared: a note only
    ("surgery cleared", SURGERY_CLEARED, ex("loaded-flexion", difficulty=3), "allowed",
     ("surgery-cleared-note",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("condition", "exercise", "status", "rules"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_condition_alone(
    condition: Condition, exercise: Exercise, status: str, rules: tuple[str, ...]
) -> None:
    verdict = assess(exercise, [condition], today=TODAY)
    assert verdict.status == status
    assert verdict.rules == rules
    assert len(verdict.reasons) == len(rules)
    label = CONDITION_LABELS[condition.id].capitalize()
    assert all(reason.startswith(f"{label}: ") for reason in verdict.reasons)
    if status == "modified":
        assert verdict.modifications == (mod(condition.id),)
    else:
        assert verdict.modifications == ()
    if status == "excluded" and mod(condition.id) not in [
        m.text for m in exercise.modifications.values()
    ]:
        # a modify rule without the exercise's own text is the conservative exclusion
        modify_ids = {r.id for r in RULES if r.action == "modify"}
        if set(rules) & modify_ids:
            assert any("no safe modification is described for" in r for r in verdict.reasons)


def test_every_rule_is_exercised_by_the_cases() -> None:
    covered = {rule_id for case in CASES for rule_id in case[4]}
    assert covered == {rule.id for rule in RULES}


def _activating(rule: Rule) -> Condition:
    if rule.applies == "after-first-trimester":
        return PREG_24
    if rule.applies == "cleared":
        return SURGERY_CLEARED
    return Condition(id=rule.condition)


def _matching(rule: Rule, with_text: bool) -> Exercise:
    fields: dict[str, Any] = {}
    if rule.tags:
        fields["cautions"] = [sorted(rule.tags)[0]]
    elif rule.positions:
        fields["position"] = sorted(rule.positions)[0]
    elif rule.min_difficulty is not None:
        fields["difficulty"] = rule.min_difficulty
    if with_text:
        fields["modifications"] = {rule.condition: mod(rule.condition)}
    return make_exercise(**fields)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
@pytest.mark.parametrize("with_text", [True, False])
def test_every_rule_fires_with_its_action(rule: Rule, with_text: bool) -> None:
    verdict = assess(_matching(rule, with_text), [_activating(rule)], today=TODAY)
    assert rule.id in verdict.rules
    expected = {
        "exclude": "excluded",
        "modify": "modified" if with_text else "excluded",
        "note": "allowed",
    }[rule.action]
    assert verdict.status == expected
    assert any(rule.reason in reason for reason in verdict.reasons)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_is_sourced_and_plain(rule: Rule) -> None:
    assert rule.source.strip()
    assert rule.reason[0].islower() and not rule.reason.endswith(".")
    assert rule.condition in CONDITION_LABELS


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))


def test_no_conditions_allows_everything() -> None:
    assert assess(ex(*TAGS, position="prone", difficulty=3), []) == Verdict("allowed", (), (), ())


def test_several_rules_of_one_condition_share_one_modification_text() -> None:
    verdict = assess(ex("end-range-flexion", "end-range-rotation", with_mods=("osteoporosis",)),
                     [OSTEO])  # fmt: skip
    assert verdict.status == "modified"
    assert verdict.rules == ("osteoporosis-end-range-flexion", "osteoporosis-end-range-rotation")
    assert verdict.modifications == (mod("osteoporosis"),)
    assert len(verdict.reasons) == 2


def test_modify_plus_exclude_is_excluded_without_modification_texts() -> None:
    exercise = ex("wrist-load", "prone", position="prone", with_mods=("wrist", "pregnancy"))
    verdict = assess(exercise, [WRIST, PREG_24])
    assert verdict.status == "excluded"
    assert verdict.modifications == ()
    assert verdict.rules == ("wrist-load", "pregnancy-prone")


def test_two_modifications_are_both_given() -> None:
    exercise = ex("wrist-load", "knee-load", position="quadruped", with_mods=("wrist", "knee"))
    verdict = assess(exercise, [WRIST, KNEE])
    assert verdict.status == "modified"
    assert verdict.modifications == (mod("wrist"), mod("knee"))


def test_clearance_date_is_taken_as_given_without_today() -> None:
    assert assess(ex(), [SURGERY_CLEARED_LATER]).status == "allowed"
    assert assess(ex(), [SURGERY_CLEARED_LATER], today=TODAY).status == "excluded"


def test_gentle_exercises() -> None:
    assert is_gentle(ex(category="breathing-relaxation", position="prone"))
    assert is_gentle(ex(category="warm-up"))
    assert not is_gentle(ex(category="warm-up", direction="extension"))
    assert not is_gentle(ex(category="stretch"))


# --- each condition alone and in pairs, over a battery of exercises -------------------------

BATTERY: list[Exercise] = [
    *[ex(tag, with_mods=CONDITION_IDS) for tag in TAGS],
    *[ex(tag) for tag in TAGS],
    *[ex(position=p) for p in POSITIONS],
    *[ex(category=c) for c in CATEGORIES],
    *[ex(category="warm-up", direction=d) for d in DIRECTIONS],
    *[ex(difficulty=d) for d in (1, 2, 3)],
]
ALL_CONDITIONS: list[Condition] = [
    OSTEO, STENOSIS, SPONDY, PREG_12, PREG_24, PREG_UNKNOWN, WRIST, KNEE, FLARE, SURGERY,
    SURGERY_CLEARED,
]  # fmt: skip


@pytest.mark.parametrize(
    ("first", "second"),
    list(itertools.combinations(ALL_CONDITIONS, 2)),
    ids=lambda c: f"{c.id}{c.weeks or ''}{'+' if c.cleared_on else ''}",
)
def test_pairs_take_the_most_restrictive_outcome(first: Condition, second: Condition) -> None:
    for exercise in BATTERY:
        one = assess(exercise, [first], TODAY)
        two = assess(exercise, [second], TODAY)
        both = assess(exercise, [first, second], TODAY)
        assert RANK[both.status] == max(RANK[one.status], RANK[two.status])
        assert both.rules == one.rules + tuple(r for r in two.rules if r not in one.rules)
        assert set(both.reasons) == set(one.reasons) | set(two.reasons)
        if both.status == "modified":
            assert set(both.modifications) == set(one.modifications) | set(two.modifications)
        # The order the conditions are given in does not change the outcome.
        assert assess(exercise, [second, first], TODAY).status == both.status


exercises = st.builds(
    lambda tags, position, category, direction, difficulty, mods: make_exercise(
        cautions=tags,
        position=position,
        category=category,
        direction=direction,
        difficulty=difficulty,
        modifications={c: mod(c) for c in mods},
    ),
    st.lists(st.sampled_from(TAGS), unique=True),
    st.sampled_from(POSITIONS),
    st.sampled_from(CATEGORIES),
    st.sampled_from(DIRECTIONS),
    st.integers(1, 3),
    st.lists(st.sampled_from(CONDITION_IDS), unique=True),
)


@given(
    exercises,
    st.lists(st.sampled_from(ALL_CONDITIONS), max_size=4),
    st.sampled_from(ALL_CONDITIONS),
)
def test_another_condition_never_loosens_a_verdict(
    exercise: Exercise, conditions: list[Condition], extra: Condition
) -> None:
    before = assess(exercise, conditions, TODAY)
    after = assess(exercise, [*conditions, extra], TODAY)
    assert RANK[after.status] >= RANK[before.status]
    assert set(before.rules) <= set(after.rules)


@given(exercises, st.lists(st.sampled_from(ALL_CONDITIONS), max_size=4))
def test_rules_act_on_what_an_exercise_does_not_on_its_id(
    exercise: Exercise, conditions: list[Condition]
) -> None:
    renamed = exercise.model_copy(update={"id": "my-own-exercise"})
    assert assess(renamed, conditions, TODAY) == assess(exercise, conditions, TODAY)


@given(exercises, st.lists(st.sampled_from(ALL_CONDITIONS), max_size=4))
def test_verdict_shape(exercise: Exercise, conditions: list[Condition]) -> None:
    verdict = assess(exercise, conditions, TODAY)
    assert len(verdict.reasons) == len(verdict.rules) == len(set(verdict.rules))
    assert (verdict.modifications != ()) == (verdict.status == "modified")
    assert set(verdict.modifications) <= {m.text for m in exercise.modifications.values()}
    assert verdict.allowed == (verdict.status != "excluded")


def test_assess_all_keys_by_id_in_order() -> None:
    first = make_exercise("first-one", cautions=["prone"], position="prone")
    second = make_exercise("second-one", position="seated")
    verdicts = assess_all([first, second], [PREG_24], today=TODAY)
    assert list(verdicts) == ["first-one", "second-one"]
    assert verdicts["first-one"].status == "excluded"
    assert verdicts["second-one"].status == "allowed"
