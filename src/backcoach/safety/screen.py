"""The warning-sign screen: answers in, an urgency tier and plain advice out.

"Not sure" counts as yes, because a missed warning sign costs far more than an extra check.
An unanswered question is never read as no: while any question that has a tier of its own is
unanswered, the screen is at least ``soon`` and the advice lists what is missing. The tier
itself comes from the rules table in ``backcoach.safety.signs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, cast, get_args

from backcoach.safety.gate import SCREEN_VALID_DAYS
from backcoach.safety.signs import (
    NOTED_SIGNS,
    SIGN_IDS,
    SIGNS_BY_ID,
    TIER_ORDER,
    TIER_RULES,
    Tier,
    TierRule,
    tier_rank,
)

Answer = Literal["yes", "no", "unsure"]
ANSWERS: tuple[Answer, ...] = get_args(Answer)

UNANSWERED_FLOOR: Tier = "soon"
"""The least tier while a question with a tier of its own is unanswered: an unanswered question
is not a no. Each such question is at least ``soon`` when answered yes, so answering it yes never
lowers the tier."""

_ALIASES: dict[str, Answer] = {
    "yes": "yes",
    "y": "yes",
    "no": "no",
    "n": "no",
    "unsure": "unsure",
    "not sure": "unsure",
    "not-sure": "unsure",
    "?": "unsure",
}


class ScreenError(ValueError):
    """Answers the screen cannot take; the message names the value and what is accepted."""


class UnknownSign(ScreenError):
    """An answer for a question id the screen does not have."""


class InvalidAnswer(ScreenError):
    """An answer that is not yes, no or not sure."""


def _sign_list(ids: Iterable[str]) -> str:
    return ", ".join(ids)


def parse_answer(sign_id: str, value: object) -> Answer | None:
    """One answer as the screen reads it: ``True``/``False``, yes/no/unsure (also y, n,
    "not sure" and "?"), or ``None`` for not answered."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.strip().lower() in _ALIASES:
        return _ALIASES[value.strip().lower()]
    raise InvalidAnswer(
        f"answer to '{sign_id}' must be yes, no or unsure (got {value!r}); "
        "answer 'unsure' if you do not know"
    )


def normalise(answers: Mapping[str, object]) -> dict[str, Answer]:
    """Check ids and answers; return the answered questions in question order."""
    unknown = [key for key in answers if key not in SIGNS_BY_ID]
    if unknown:
        raise UnknownSign(
            f"unknown warning-sign id {_sign_list(repr(u) for u in unknown)}; "
            f"valid ids are: {_sign_list(SIGN_IDS)}"
        )
    parsed = {sign_id: parse_answer(sign_id, answers.get(sign_id)) for sign_id in SIGN_IDS}
    return {sign_id: answer for sign_id, answer in parsed.items() if answer is not None}


def fired_rules(positive: frozenset[str]) -> tuple[TierRule, ...]:
    """The rules whose signs were all answered yes (or not sure)."""
    return tuple(
        rule
        for rule in TIER_RULES
        if rule.all_of <= positive and (not rule.any_of or bool(rule.any_of & positive))
    )


def _highest(rules: Iterable[TierRule]) -> Tier:
    return max((rule.tier for rule in rules), key=tier_rank, default="clear")


def tier_for(positive: frozenset[str]) -> Tier:
    """The highest tier of the rules that fire for these signs ("clear" when none fire)."""
    return _highest(fired_rules(positive))


def _contributors(rule: TierRule, positive: frozenset[str]) -> frozenset[str]:
    return rule.all_of | (rule.any_of & positive)


def _tiered(sign_id: str) -> bool:
    """True when the sign has a tier of its own (a one-sign rule)."""
    return any(rule.all_of == {sign_id} and not rule.any_of for rule in TIER_RULES)


def _in_order(ids: Iterable[str]) -> tuple[str, ...]:
    wanted = set(ids)
    return tuple(sign_id for sign_id in SIGN_IDS if sign_id in wanted)


@dataclass(frozen=True)
class ScreenResult:
    """What a screen found.

    ``flags`` are the signs that led to ``tier``; ``other_signs`` were reported too but led
    only to a lower tier; ``noted`` are signs with no tier of their own that a clinician should
    still hear about; ``rules`` are the ids of the tier rules that fired. All sign lists are in
    question order. ``answers`` holds the answered questions, normalised to yes/no/unsure.
    """

    tier: Tier
    flags: tuple[str, ...]
    unanswered: tuple[str, ...]
    unsure: tuple[str, ...]
    noted: tuple[str, ...]
    other_signs: tuple[str, ...]
    rules: tuple[str, ...]
    advice: str
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.unanswered

    def to_json(self) -> dict[str, object]:
        return {
            "tier": self.tier,
            "flags": list(self.flags),
            "unanswered": list(self.unanswered),
            "unsure": list(self.unsure),
            "noted": list(self.noted),
            "other_signs": list(self.other_signs),
            "rules": list(self.rules),
            "advice": self.advice,
            "answers": dict(self.answers),
        }


def screen(answers: Mapping[str, object]) -> ScreenResult:
    """Judge a set of answers keyed by sign id (see ``backcoach.safety.signs.SIGNS``)."""
    given = normalise(answers)
    positive = frozenset(s for s, a in given.items() if a in ("yes", "unsure"))
    unanswered = tuple(s for s in SIGN_IDS if s not in given)
    fired = fired_rules(positive)
    tier = _highest(fired)
    floored = any(_tiered(s) for s in unanswered) and tier_rank(tier) < tier_rank(UNANSWERED_FLOOR)
    if floored:
        tier = UNANSWERED_FLOOR
    top = [rule for rule in fired if rule.tier == tier]
    flags = _in_order(s for rule in top for s in _contributors(rule, positive))
    reported = _in_order(s for rule in fired for s in _contributors(rule, positive))
    result = ScreenResult(
        tier=tier,
        flags=flags,
        unanswered=unanswered,
        unsure=tuple(s for s in SIGN_IDS if given.get(s) == "unsure"),
        noted=_in_order(positive & NOTED_SIGNS),
        other_signs=tuple(s for s in reported if s not in flags and s not in NOTED_SIGNS),
        rules=tuple(rule.id for rule in fired),
        advice="",
        answers=given,
    )
    notes = [rule.note for rule in top if rule.note]
    return _with_advice(result, notes, only_unanswered=floored and not top)


# --- advice ---------------------------------------------------------------------------------

_HEADLINE: dict[Tier, str] = {
    "emergency": (
        "Go to an emergency department now, or call your local emergency number (for example "
        "999 in the UK, 112 in Europe, 911 in North America). Do not exercise."
    ),
    "urgent": (
        "Please see a doctor today: ask your doctor's practice for a same-day appointment, or "
        "use an urgent care or out-of-hours service if it is closed. Do not start an exercise "
        "plan until you have been checked."
    ),
    "soon": (
        "Please see a doctor or physiotherapist within the next few days, before you start "
        "exercising. This is not an emergency."
    ),
    "clear": (
        "You reported none of the warning signs we ask about. That is all this check can "
        "say: it is not a diagnosis and does not rule anything out."
    ),
}

_ONLY_UNANSWERED = (
    "Some questions that matter for your safety were not answered, so we cannot call this "
    "check clear or offer a plan yet. Please answer them; if you would rather not, see a "
    "doctor or physiotherapist within the next few days before you start exercising."
)

_CLEARANCE = (
    "Once a clinician has checked you and said exercise is fine for you, record that with the "
    "date you saw them; your exercise plan becomes available then."
)

_ASK_AGAIN = (
    "Answer these questions again whenever your symptoms change, and at least every "
    f"{SCREEN_VALID_DAYS // 7} weeks."
)

_AFTER_CARE = "After a clinician has seen you, answer these questions again before you exercise."


def _labels(ids: Iterable[str]) -> str:
    return "; ".join(SIGNS_BY_ID[s].label for s in ids)


def _with_advice(result: ScreenResult, notes: list[str], only_unanswered: bool) -> ScreenResult:
    lines = [_ONLY_UNANSWERED if only_unanswered else _HEADLINE[result.tier]]
    if result.flags:
        lines.append(f"What led to this: {_labels(result.flags)}.")
    lines.extend(notes)
    if result.other_signs:
        lines.append(f"Also tell the clinician about: {_labels(result.other_signs)}.")
    for sign_id in result.unsure:
        lines.append(
            f"You weren't sure about {SIGNS_BY_ID[sign_id].label}, so we treated it as yes."
        )
    if result.unanswered:
        lines.append(
            f"Not answered yet: {_labels(result.unanswered)}. An unanswered question is not "
            "taken as a no."
        )
    if result.noted:
        lines.append(
            f"Noted for your clinician: {_labels(result.noted)}. This is not a warning sign "
            "on its own."
        )
    if result.tier == "soon":
        lines.append(_CLEARANCE)
    urgent = tier_rank(result.tier) >= tier_rank("urgent")
    lines.append(_AFTER_CARE if urgent else _ASK_AGAIN)
    return replace(result, advice="\n".join(lines))


# --- a saved screen, checked again where it is used -----------------------------------------


def saved_screen_problem(
    tier: object, flags: object, unanswered: object, answers: object
) -> str | None:
    """Why a saved screen cannot be trusted, in plain words, or ``None`` when it can.

    A saved screen decides whether a person may exercise, so it is checked again where it is
    used, not only where it was written: the tier must be exactly one this program writes, the
    sign lists and answers must use known ids and answers, and judging the saved answers again
    must give the same tier, flags and unanswered questions. Anything else (a hand-edited or
    damaged record, an import from elsewhere) fails closed.
    """
    if not isinstance(tier, str) or tier not in TIER_ORDER:
        return f"its level {tier!r} is not one of {', '.join(TIER_ORDER)}"
    for name, value in (("flags", flags), ("unanswered questions", unanswered)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"its {name} are not a list of question ids (got {value!r})"
        unknown = [v for v in value if v not in SIGNS_BY_ID]
        if unknown:
            return f"its {name} name questions this app does not ask ({', '.join(unknown)})"
    if not isinstance(answers, dict):
        return f"its answers are not a set of question ids and answers (got {answers!r})"
    for sign_id, answer in answers.items():
        if sign_id not in SIGNS_BY_ID:
            return f"it has an answer to a question this app does not ask ({sign_id!r})"
        if not isinstance(answer, str) or answer not in ANSWERS:
            return f"its answer to {sign_id!r} is {answer!r}, not one of {', '.join(ANSWERS)}"
    again = screen(answers)
    saved = (tier, set(cast(list[str], flags)), set(cast(list[str], unanswered)))
    if (again.tier, set(again.flags), set(again.unanswered)) != saved:
        return (
            f"its level {tier!r} does not match its own answers, which give {again.tier!r}"
            if again.tier != tier
            else "its warning signs do not match its own answers"
        )
    return None
