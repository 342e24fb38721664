"""Conditions -> restrictions: which exercises a person's conditions exclude or modify.

Rules are data (``RULES``). Each names a condition, when it applies (e.g. pregnancy after the
first trimester), what it matches on an exercise (caution tags, position, difficulty) and what
it does. They never name exercise ids, so they apply to a user's own exercises as well.

A ``modify`` rule uses the exercise's own ``modifications[<condition>]`` text; when the exercise
has none, it is excluded instead, because no safe way to do it has been described. When several
rules fire, the most restrictive outcome wins: excluded > modified > allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from backcoach.catalogue.model import Exercise
from backcoach.catalogue.vocabulary import ConditionId
from backcoach.safety.conditions import Condition
from backcoach.safety.restriction_rules import (
    CONDITION_LABELS,
    RULES,
    Applies,
    Rule,
    is_gentle,
)

Status = Literal["allowed", "modified", "excluded"]
_RANK: dict[Status, int] = {"allowed": 0, "modified": 1, "excluded": 2}

__all__ = ["RULES", "Rule", "Status", "Verdict", "assess", "assess_all", "is_gentle"]


@dataclass(frozen=True)
class Verdict:
    """What a person's conditions mean for one exercise."""

    status: Status
    reasons: tuple[str, ...]
    """Plain words, one per rule that fired."""
    modifications: tuple[str, ...]
    """The exercise's own modification texts that apply (empty unless ``modified``)."""
    rules: tuple[str, ...]
    """Ids of the rules that fired."""

    @property
    def allowed(self) -> bool:
        """True when the exercise may be planned (as it is, or modified)."""
        return self.status != "excluded"


def _cleared(condition: Condition, today: dt.date | None) -> bool:
    """A clearance counts when recorded and not dated in the future."""
    if condition.cleared_on is None:
        return False
    return today is None or condition.cleared_on <= today


def rule_applies(rule: Rule, condition: Condition, today: dt.date | None) -> bool:
    """Whether ``rule`` is in force for this recorded condition."""
    if rule.condition != condition.id:
        return False
    checks: dict[Applies, bool] = {
        "always": True,
        "after-first-trimester": condition.after_first_trimester,
        "not-cleared": not _cleared(condition, today),
        "cleared": _cleared(condition, today),
    }
    return checks[rule.applies]


def _label(condition_id: ConditionId) -> str:
    return CONDITION_LABELS[condition_id]


def assess(
    exercise: Exercise, conditions: Sequence[Condition], today: dt.date | None = None
) -> Verdict:
    """The verdict for one exercise under all of the person's conditions.

    ``today`` lets a clearance dated in the future be ignored; without it the recorded
    clearance date is taken as given.
    """
    status: Status = "allowed"
    reasons: list[str] = []
    modifications: list[str] = []
    fired: list[str] = []
    for condition in conditions:
        for rule in RULES:
            if not (rule_applies(rule, condition, today) and rule.matches(exercise)):
                continue
            outcome: Status = "allowed"
            reason = f"{_label(rule.condition).capitalize()}: {rule.reason}"
            if rule.action == "exclude":
                outcome = "excluded"
            elif rule.action == "modify":
                version = exercise.modifications.get(rule.condition)
                text = None if version is None else version.text
                if text is None:
                    outcome = "excluded"
                    reason += (
                        f"; no safe modification is described for {_label(rule.condition)}, "
                        "so it is left out"
                    )
                else:
                    outcome = "modified"
                    if text not in modifications:
                        modifications.append(text)
            if rule.id not in fired:
                fired.append(rule.id)
                reasons.append(reason)
            if _RANK[outcome] > _RANK[status]:
                status = outcome
    return Verdict(
        status=status,
        reasons=tuple(reasons),
        modifications=tuple(modifications) if status == "modified" else (),
        rules=tuple(fired),
    )


def assess_all(
    catalogue_exercises: Iterable[Exercise],
    conditions: Sequence[Condition],
    today: dt.date | None = None,
) -> dict[str, Verdict]:
    """Verdicts keyed by exercise id, in the order the exercises were given."""
    return {ex.id: assess(ex, conditions, today) for ex in catalogue_exercises}
