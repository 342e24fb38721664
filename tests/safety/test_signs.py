"""The warning-sign table against CLINICAL.md section 1, written out here independently."""

from __future__ import annotations

import pytest

from backcoach.safety.signs import (
    NOTED_SIGNS,
    SIGN_IDS,
    SIGNS,
    TIER_ORDER,
    TIER_RULES,
    Sign,
    Tier,
    tier_rank,
)

# CLINICAL.md section 1, in its order, with each sign's tier alone (None: no tier, noted).
CLINICAL_TABLE: list[tuple[str, Tier | None]] = [
    ("bladder_change", "emergency"),
    ("bowel_incontinence", "emergency"),
    ("saddle_numbness", "emergency"),
    ("sexual_dysfunction", "emergency"),
    ("major_trauma", "emergency"),
    ("abdominal_pulsing_pain", "emergency"),
    ("both_legs", "urgent"),
    ("progressive_weakness", "urgent"),
    ("fever_unwell", "urgent"),
    ("cancer_history", "soon"),
    ("minor_trauma_fragile_bone", "soon"),
    ("long_term_steroids", "soon"),
    ("weight_loss", "soon"),
    ("night_pain", "soon"),
    ("infection_risk", "soon"),
    ("no_improvement", "soon"),
    ("inflammatory_pattern", "soon"),
    ("age_over_50_new", None),
]


def test_sign_ids_are_exactly_those_of_clinical_md_in_order() -> None:
    assert [sign_id for sign_id, _ in CLINICAL_TABLE] == list(SIGN_IDS)


def test_questions_run_from_most_to_least_urgent() -> None:
    ranks = [tier_rank(tier) if tier else -1 for _, tier in CLINICAL_TABLE]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize("sign", SIGNS, ids=lambda s: s.id)
def test_each_sign_has_a_question_a_label_and_a_reason(sign: Sign) -> None:
    assert sign.question.endswith("?")
    assert sign.label and sign.label == sign.label.strip()
    assert sign.why.endswith(".")
    # The question is in plain words: no id or underscore shows through.
    assert "_" not in sign.question + sign.label + sign.why


def test_tier_order() -> None:
    assert TIER_ORDER == ("clear", "soon", "urgent", "emergency")


def test_rule_ids_are_unique_and_sourced() -> None:
    ids = [rule.id for rule in TIER_RULES]
    assert len(ids) == len(set(ids))
    assert all(rule.source.strip() for rule in TIER_RULES)


def test_rules_name_only_known_signs() -> None:
    for rule in TIER_RULES:
        assert rule.all_of, rule.id
        assert rule.all_of <= set(SIGN_IDS), rule.id
        assert rule.any_of <= set(SIGN_IDS), rule.id
        assert not rule.all_of & rule.any_of, rule.id


@pytest.mark.parametrize(("sign_id", "tier"), CLINICAL_TABLE)
def test_each_sign_alone_has_one_rule_with_its_clinical_tier(
    sign_id: str, tier: str | None
) -> None:
    alone = [r for r in TIER_RULES if r.all_of == {sign_id} and not r.any_of]
    if tier is None:
        assert alone == []
        assert sign_id in NOTED_SIGNS
    else:
        assert [r.tier for r in alone] == [tier]
        assert sign_id not in NOTED_SIGNS


def test_combination_rules_are_those_of_clinical_md() -> None:
    first_four = {"bladder_change", "bowel_incontinence", "saddle_numbness", "sexual_dysfunction"}
    combos = {(frozenset(r.all_of), frozenset(r.any_of), r.tier) for r in TIER_RULES if r.any_of}
    assert combos == {
        (frozenset({"both_legs"}), frozenset(first_four), "emergency"),
        (
            frozenset({"cancer_history"}),
            frozenset({"both_legs", "progressive_weakness"} | first_four),
            "emergency",
        ),
        (frozenset({"infection_risk"}), frozenset({"fever_unwell"}), "urgent"),
        (frozenset({"age_over_50_new"}), frozenset({"weight_loss", "night_pain"}), "soon"),
    }
    assert all(r.note for r in TIER_RULES if r.any_of)
