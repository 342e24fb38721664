"""The warning-sign screen: tiers, "not sure", unanswered questions, errors and advice."""

from __future__ import annotations

import json
from typing import Any

import pytest

from backcoach.safety.screen import (
    InvalidAnswer,
    ScreenError,
    UnknownSign,
    parse_answer,
    screen,
)
from backcoach.safety.signs import SIGN_IDS, SIGNS_BY_ID, TIER_RULES, TierRule

from .test_signs import CLINICAL_TABLE


def answers(default: Any = "no", **overrides: Any) -> dict[str, Any]:
    """Every question answered ``default``, except ``overrides``."""
    return {sign_id: overrides.get(sign_id, default) for sign_id in SIGN_IDS}


def test_all_no_is_clear_and_says_no_more_than_that() -> None:
    result = screen(answers())
    assert result.tier == "clear"
    assert result.flags == result.unanswered == result.unsure == result.noted == ()
    assert "none of the warning signs" in result.advice
    assert "not a diagnosis" in result.advice
    assert "whenever your symptoms change" in result.advice
    for overclaim in ("safe", "nothing serious", "all clear", "healthy"):
        assert overclaim not in result.advice.lower()


@pytest.mark.parametrize(("sign_id", "tier"), CLINICAL_TABLE)
@pytest.mark.parametrize("positive", ["yes", "unsure", True])
def test_each_sign_alone_gives_its_documented_tier(
    sign_id: str, tier: str | None, positive: Any
) -> None:
    result = screen(answers(**{sign_id: positive}))
    if tier is None:
        assert result.tier == "clear"
        assert result.noted == (sign_id,)
        assert result.flags == ()
    else:
        assert result.tier == tier
        assert result.flags == (sign_id,)
        assert SIGNS_BY_ID[sign_id].label in result.advice


FIRST_FOUR = ["bladder_change", "bowel_incontinence", "saddle_numbness", "sexual_dysfunction"]

COMBINATIONS: list[tuple[list[str], str]] = [
    *[(["both_legs", s], "emergency") for s in FIRST_FOUR],
    *[
        (["cancer_history", s], "emergency")
        for s in ["both_legs", "progressive_weakness", *FIRST_FOUR]
    ],
    (["infection_risk", "fever_unwell"], "urgent"),
    (["age_over_50_new", "weight_loss"], "soon"),
    (["age_over_50_new", "night_pain"], "soon"),
    # Pairs the table does not combine keep the higher tier of the two, no more.
    (["cancer_history", "fever_unwell"], "urgent"),
    (["cancer_history", "weight_loss"], "soon"),
    (["both_legs", "progressive_weakness"], "urgent"),
    (["infection_risk", "long_term_steroids"], "soon"),
    (["age_over_50_new", "cancer_history"], "soon"),
]


@pytest.mark.parametrize(("signs", "tier"), COMBINATIONS, ids=lambda v: str(v))
def test_combinations_give_the_clinical_tier(signs: list[str], tier: str) -> None:
    result = screen(answers(**dict.fromkeys(signs, "yes")))
    assert result.tier == tier


@pytest.mark.parametrize("rule", [r for r in TIER_RULES if r.any_of], ids=lambda r: r.id)
def test_every_combination_rule_fires_for_each_partner(rule: TierRule) -> None:
    for partner in sorted(rule.any_of):
        result = screen(answers(**dict.fromkeys([*rule.all_of, partner], "yes")))
        assert rule.id in result.rules
        assert result.tier == rule.tier
        assert rule.note is not None and rule.note in result.advice
        assert set(result.flags) == {*rule.all_of, partner}


def test_flags_are_in_question_order_and_only_those_that_led_there() -> None:
    result = screen(answers(weight_loss="yes", cancer_history="yes", both_legs="yes"))
    assert result.tier == "emergency"
    assert result.flags == ("both_legs", "cancer_history")
    assert result.other_signs == ("weight_loss",)
    assert "Also tell the clinician about: weight loss you cannot explain." in result.advice


def test_combination_that_only_confirms_its_tier_shows_all_of_its_signs() -> None:
    result = screen(answers(age_over_50_new="yes", night_pain="yes"))
    assert result.tier == "soon"
    assert result.flags == ("night_pain", "age_over_50_new")
    assert result.noted == ("age_over_50_new",)
    assert "within days, not weeks" in result.advice


def test_unsure_counts_as_yes_and_says_so() -> None:
    result = screen(answers(saddle_numbness="unsure"))
    assert result.tier == "emergency"
    assert result.unsure == ("saddle_numbness",)
    assert result.flags == ("saddle_numbness",)
    assert (
        "You weren't sure about numbness in the saddle area, so we treated it as yes."
        in result.advice
    )


def test_unsure_in_a_combination() -> None:
    result = screen(answers(infection_risk="unsure", fever_unwell="yes"))
    assert result.tier == "urgent"
    assert result.unsure == ("infection_risk",)


def test_nothing_answered_is_not_clear() -> None:
    result = screen({})
    assert result.tier == "soon"
    assert result.unanswered == SIGN_IDS
    assert result.flags == ()
    assert "were not answered" in result.advice
    assert not result.complete


@pytest.mark.parametrize(("sign_id", "tier"), [(s, t) for s, t in CLINICAL_TABLE if t])
def test_one_unanswered_question_with_a_tier_keeps_the_screen_from_clear(
    sign_id: str, tier: str
) -> None:
    given = answers()
    del given[sign_id]
    result = screen(given)
    assert result.tier == "soon"
    assert result.unanswered == (sign_id,)
    assert f"Not answered yet: {SIGNS_BY_ID[sign_id].label}." in result.advice


def test_none_means_unanswered() -> None:
    assert screen(answers(bladder_change=None)).unanswered == ("bladder_change",)


def test_unanswered_age_question_alone_does_not_block() -> None:
    # It has no tier of its own: answering it yes gives "clear", so leaving it out may not
    # give more than that (answering yes must never lower the tier).
    given = answers()
    del given["age_over_50_new"]
    result = screen(given)
    assert result.tier == "clear"
    assert result.unanswered == ("age_over_50_new",)
    assert "Not answered yet" in result.advice


def test_unanswered_does_not_lower_a_higher_tier() -> None:
    result = screen({"bladder_change": "yes"})
    assert result.tier == "emergency"
    assert len(result.unanswered) == len(SIGN_IDS) - 1


def test_unanswered_with_a_reported_soon_sign_keeps_the_soon_advice() -> None:
    given = answers(weight_loss="yes")
    del given["bladder_change"]
    result = screen(given)
    assert result.tier == "soon"
    assert result.flags == ("weight_loss",)
    assert "within the next few days" in result.advice
    assert "new trouble passing urine" in result.advice


def test_unknown_id_raises_naming_it_and_the_valid_ids() -> None:
    with pytest.raises(UnknownSign) as caught:
        screen({"bladder": "yes", "both_legs": "no"})
    message = str(caught.value)
    assert "'bladder'" in message
    assert all(sign_id in message for sign_id in SIGN_IDS)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, ScreenError)


@pytest.mark.parametrize("bad", ["maybe", 1, 0, "", [], "yess"])
def test_invalid_answer_raises_naming_the_question_and_the_choices(bad: Any) -> None:
    with pytest.raises(InvalidAnswer, match=r"both_legs.*yes, no or unsure"):
        screen({"both_legs": bad})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (True, "yes"),
        (False, "no"),
        ("yes", "yes"),
        ("Y", "yes"),
        (" no ", "no"),
        ("unsure", "unsure"),
        ("Not sure", "unsure"),
        ("?", "unsure"),
        (None, None),
    ],
)
def test_parse_answer(given: Any, expected: str | None) -> None:
    assert parse_answer("both_legs", given) == expected


def test_bool_answers_are_the_same_as_words() -> None:
    as_words = screen(answers(both_legs="yes"))
    as_bools = screen({s: s == "both_legs" for s in SIGN_IDS})
    assert as_bools.tier == as_words.tier
    assert as_bools.flags == as_words.flags
    assert as_bools.answers == as_words.answers


@pytest.mark.parametrize(
    ("sign_id", "wording"),
    [
        ("bladder_change", "emergency department now"),
        ("both_legs", "see a doctor today"),
        ("weight_loss", "within the next few days"),
    ],
)
def test_advice_says_where_to_go_and_how_fast(sign_id: str, wording: str) -> None:
    assert wording in screen(answers(**{sign_id: "yes"})).advice.lower()


def test_soon_advice_explains_how_to_unlock_a_plan() -> None:
    advice = screen(answers(long_term_steroids="yes")).advice
    assert "record that with the date" in advice
    assert "plan becomes available" in advice


@pytest.mark.parametrize("sign_id", ["bladder_change", "fever_unwell"])
def test_urgent_tiers_say_no_exercise(sign_id: str) -> None:
    advice = screen(answers(**{sign_id: "yes"})).advice
    assert "exercise" in advice
    assert "plan becomes available" not in advice
    assert "answer these questions again before you exercise" in advice


def test_to_json_round_trips_through_json() -> None:
    result = screen(answers(bladder_change="unsure", age_over_50_new="yes", night_pain=None))
    data = json.loads(json.dumps(result.to_json()))
    assert data["tier"] == "emergency"
    assert data["flags"] == ["bladder_change"]
    assert data["unanswered"] == ["night_pain"]
    assert data["unsure"] == ["bladder_change"]
    assert data["noted"] == ["age_over_50_new"]
    assert data["advice"] == result.advice
    assert data["answers"]["bladder_change"] == "unsure"
    assert "night_pain" not in data["answers"]
    assert {"tier", "flags", "unanswered", "advice"} <= set(data)
