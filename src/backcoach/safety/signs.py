"""The warning-sign questions and the rules that turn answers into an urgency tier.

Both are data. ``SIGNS`` holds one plain question per warning sign from CLINICAL.md section 1,
most urgent first. ``TIER_RULES`` holds every rule of that section's table, each with its
source: a rule fires when all of ``all_of`` and (if given) at least one of ``any_of`` were
answered yes (or "not sure"), and the screen's tier is the highest tier of any rule that fired.
One small function (``backcoach.safety.screen.fired_rules``) evaluates them; nothing here
is special-cased in code.

Red flags are weak on their own (Finucane 2020, JOSPT 50:350): the screen refers people onward
and never reassures beyond "no warning signs reported".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tier = Literal["clear", "soon", "urgent", "emergency"]
TIER_ORDER: tuple[Tier, ...] = ("clear", "soon", "urgent", "emergency")
"""Least to most urgent; a screen's tier is the maximum in this order."""


def tier_rank(tier: Tier) -> int:
    return TIER_ORDER.index(tier)


@dataclass(frozen=True)
class Sign:
    """One warning sign: the question asked, a short label for advice, and why it is asked."""

    id: str
    question: str
    label: str
    why: str


@dataclass(frozen=True)
class TierRule:
    """Answers that together call for a tier. ``note`` is added to the advice when it fires."""

    id: str
    all_of: frozenset[str]
    tier: Tier
    source: str
    any_of: frozenset[str] = frozenset()
    note: str | None = None


def _rule(
    rule_id: str,
    all_of: list[str],
    tier: Tier,
    source: str,
    any_of: list[str] | None = None,
    note: str | None = None,
) -> TierRule:
    return TierRule(rule_id, frozenset(all_of), tier, source, frozenset(any_of or ()), note)


SIGNS: tuple[Sign, ...] = (
    Sign(
        "bladder_change",
        "Since the back pain began, have you had new trouble passing urine: a weak stream, "
        "not being able to go at all, or leaking?",
        "new trouble passing urine",
        "New bladder trouble with back pain can mean the nerves at the base of the spine are "
        "squeezed, which needs treatment within hours.",
    ),
    Sign(
        "bowel_incontinence",
        "Have you lost control of your bowels, or had accidents you could not hold back, "
        "since the back pain began?",
        "new loss of bowel control",
        "Like bladder changes, this can come from pressure on the nerves at the base of the spine.",
    ),
    Sign(
        "saddle_numbness",
        "Is there numbness or an odd feeling around your genitals, your back passage or the "
        "inside of your buttocks (the parts that would touch a saddle)?",
        "numbness in the saddle area",
        "Numbness there is one of the earliest signs of pressure on the nerves that run the "
        "bladder and bowel.",
    ),
    Sign(
        "sexual_dysfunction",
        "Have you noticed a new loss of sexual function, such as less feeling or being unable "
        "to get an erection, since the back pain began?",
        "new loss of sexual function",
        "The same nerves serve sexual function, the bladder and the bowel, so a new change "
        "matters.",
    ),
    Sign(
        "major_trauma",
        "Did the pain start with a serious injury, such as a fall from a height or a road "
        "accident?",
        "a serious injury at the start",
        "A hard impact can break a bone in the spine, which must be checked before any exercise.",
    ),
    Sign(
        "abdominal_pulsing_pain",
        "Have you had sudden, severe pain in your back, side or belly together with feeling "
        "faint, or can you feel a throbbing lump in your belly?",
        "sudden severe pain with faintness, or a throbbing lump in the belly",
        "Rarely, this comes from the main blood vessel in the belly rather than from the back, "
        "and that is an emergency.",
    ),
    Sign(
        "both_legs",
        "Do you have pain, numbness or weakness in both legs?",
        "symptoms in both legs",
        "When both legs are affected, more than one nerve may be pressed on, so a clinician "
        "should see you the same day.",
    ),
    Sign(
        "progressive_weakness",
        "Is a leg or foot getting weaker (for example your foot catches or slaps down), is "
        "numbness spreading, or is your walking becoming unsteady?",
        "weakness or numbness that is getting worse",
        "Weakness that keeps getting worse means a nerve is under growing pressure.",
    ),
    Sign(
        "fever_unwell",
        "Do you have a fever or chills, or do you feel generally unwell, along with the back pain?",
        "fever, chills or feeling unwell",
        "Fever with back pain can be a sign of an infection in or near the spine.",
    ),
    Sign(
        "cancer_history",
        "Have you ever had cancer, even if it was treated long ago?",
        "a past cancer",
        "A past cancer is the most useful single reason to make sure back pain is not linked "
        "to it.",
    ),
    Sign(
        "minor_trauma_fragile_bone",
        "Did the pain begin after a small fall, lift or strain, and do you have thin bones "
        "(osteoporosis) or take steroid tablets long-term?",
        "pain after a small fall or strain with fragile bones",
        "When bones are fragile, even a small knock can crack a bone in the spine.",
    ),
    Sign(
        "long_term_steroids",
        "Do you take steroid tablets (such as prednisolone) and have done so for months?",
        "long-term steroid tablets",
        "Long courses of steroid tablets thin the bones and make infections more likely.",
    ),
    Sign(
        "weight_loss",
        "Have you lost weight recently without trying to?",
        "weight loss you cannot explain",
        "Losing weight for no clear reason can be a sign of an illness worth looking into.",
    ),
    Sign(
        "night_pain",
        "At night, is the pain bad even when you lie still, whatever position you try?",
        "night pain that no position eases",
        "Pain from muscles and joints usually eases with rest or a change of position; pain "
        "that does not should be checked.",
    ),
    Sign(
        "infection_risk",
        "Do any of these apply to you: you inject drugs, your immune system is weakened by an "
        "illness or a medicine, or you recently had a bacterial infection or an open wound?",
        "a higher risk of infection",
        "Each of these makes an infection in the spine more likely.",
    ),
    Sign(
        "no_improvement",
        "Have you been looking after your back yourself for about 4 weeks or more with no "
        "improvement at all?",
        "no improvement after about 4 weeks",
        "Most back pain eases within weeks; no change at all is a reason to be checked.",
    ),
    Sign(
        "inflammatory_pattern",
        "Did your back pain begin before the age of 45 and has it lasted more than 3 months, "
        "with stiffness in the morning that eases as you move, or pain that wakes you in the "
        "second half of the night?",
        "a pattern that suggests inflammation in the spine",
        "This pattern can point to an inflammatory condition of the spine that a doctor can "
        "diagnose and treat.",
    ),
    Sign(
        "age_over_50_new",
        "Is this your first episode of back pain, and did it start after you turned 50?",
        "a first episode of back pain after 50",
        "On its own this is not a worry, but it makes other signs, such as weight loss or "
        "night pain, count for more.",
    ),
)
"""Every warning sign of CLINICAL.md section 1, most urgent first; the ids are fixed."""

SIGN_IDS: tuple[str, ...] = tuple(sign.id for sign in SIGNS)
SIGNS_BY_ID: dict[str, Sign] = {sign.id: sign for sign in SIGNS}

CAUDA_EQUINA = ["bladder_change", "bowel_incontinence", "saddle_numbness", "sexual_dysfunction"]
"""The first four signs: the nerves at the base of the spine (cauda equina)."""

_CES_SOURCE = "cauda equina: BMJ Best Practice; Todd 2011, Eur Spine J"

TIER_RULES: tuple[TierRule, ...] = (
    # --- each sign alone ------------------------------------------------------------------
    _rule("bladder_change", ["bladder_change"], "emergency", _CES_SOURCE),
    _rule("bowel_incontinence", ["bowel_incontinence"], "emergency", _CES_SOURCE),
    _rule("saddle_numbness", ["saddle_numbness"], "emergency", _CES_SOURCE),
    _rule("sexual_dysfunction", ["sexual_dysfunction"], "emergency", _CES_SOURCE),
    _rule("major_trauma", ["major_trauma"], "emergency", "fracture: Downie 2013, BMJ 347:f7095"),
    _rule(
        "abdominal_pulsing_pain",
        ["abdominal_pulsing_pain"],
        "emergency",
        "aortic aneurysm: BMJ Best Practice (not in the back-pain guidelines)",
    ),
    _rule("both_legs", ["both_legs"], "urgent", "bilateral leg symptoms: BMJ Best Practice (CES)"),
    _rule(
        "progressive_weakness",
        ["progressive_weakness"],
        "urgent",
        "progressive neurological deficit: Chou 2011, Ann Intern Med 154:181",
    ),
    _rule(
        "fever_unwell",
        ["fever_unwell"],
        "urgent",
        "possible spinal infection: NHS pathways on NICE CKS (uncertain)",
    ),
    _rule("cancer_history", ["cancer_history"], "soon", "Downie 2013, BMJ 347:f7095"),
    _rule(
        "minor_trauma_fragile_bone",
        ["minor_trauma_fragile_bone"],
        "soon",
        "fracture flags: Downie 2013, BMJ 347:f7095",
    ),
    _rule("long_term_steroids", ["long_term_steroids"], "soon", "Downie 2013, BMJ 347:f7095"),
    _rule("weight_loss", ["weight_loss"], "soon", "NICE CKS red flags (uncertain)"),
    _rule("night_pain", ["night_pain"], "soon", "NICE CKS red flags (uncertain)"),
    _rule("infection_risk", ["infection_risk"], "soon", "NICE CKS red flags (uncertain)"),
    _rule("no_improvement", ["no_improvement"], "soon", "NICE NG59 (re-assess); NICE CKS"),
    _rule("inflammatory_pattern", ["inflammatory_pattern"], "soon", "NICE NG65"),
    # age_over_50_new has no tier alone: it is noted (see NOTED_SIGNS) and sharpens the rule
    # below.
    # --- combinations ---------------------------------------------------------------------
    _rule(
        "both_legs_with_cauda_equina",
        ["both_legs"],
        "emergency",
        _CES_SOURCE,
        any_of=CAUDA_EQUINA,
        note=(
            "Symptoms in both legs together with changes in the bladder, bowel, saddle area or "
            "sexual function can mean the nerves at the base of the spine are badly squeezed."
        ),
    ),
    _rule(
        "cancer_with_nerve_signs",
        ["cancer_history"],
        "emergency",
        "metastatic spinal cord compression: NICE NG234",
        any_of=["both_legs", "progressive_weakness", *CAUDA_EQUINA],
        note=(
            "After a cancer, new nerve symptoms must be checked at once for pressure on the "
            "spinal cord; tell the staff about your cancer."
        ),
    ),
    _rule(
        "infection_risk_with_fever",
        ["infection_risk"],
        "urgent",
        "spinal infection: NICE CKS; CLINICAL.md section 1 (uncertain)",
        any_of=["fever_unwell"],
        note="Fever when infections are more likely for you should be checked today.",
    ),
    # CLINICAL.md says a first episode after 50 "raises concern" with weight loss or night
    # pain but gives no tier. We keep it at soon, as each sign alone already is, and say it
    # more firmly: an older first episode with these signs is a weak cancer flag (Downie
    # 2013), and raising it to urgent would send people to same-day care on weak evidence.
    _rule(
        "age_over_50_with_weight_loss_or_night_pain",
        ["age_over_50_new"],
        "soon",
        "Downie 2013, BMJ 347:f7095; CLINICAL.md section 1 (raises concern)",
        any_of=["weight_loss", "night_pain"],
        note=(
            "A first episode of back pain after 50 together with weight loss or night pain is "
            "worth checking promptly: please book within days, not weeks."
        ),
    ),
)
"""Every rule of CLINICAL.md section 1, each sign alone first, then the combinations."""

NOTED_SIGNS: frozenset[str] = frozenset({"age_over_50_new"})
"""Signs with no tier alone: a yes is recorded in ``noted`` and passed on to the clinician."""
