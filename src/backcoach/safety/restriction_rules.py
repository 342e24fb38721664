"""The restriction rules: CLINICAL.md section 5 as a table, each rule with its source.

A rule matches an exercise when ANY of its criteria holds: one of its caution ``tags`` is on
the exercise, the exercise's ``position`` is listed, its difficulty is at least
``min_difficulty``, or (``all_but_gentle``) it is not one of the gentle exercises allowed
before a surgeon's clearance, or (``every_exercise``) always. The caution tags are defined and
explained in ``backcoach.catalogue.model.CautionTag``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backcoach.catalogue.model import Exercise
from backcoach.catalogue.vocabulary import Category, CautionTag, ConditionId, Position

Action = Literal["exclude", "modify", "note"]
Applies = Literal["always", "after-first-trimester", "not-cleared", "cleared"]
"""When a rule is in force for its condition: ``after-first-trimester`` uses
``Condition.after_first_trimester`` (week 13 on, or weeks unknown); ``not-cleared``/``cleared``
use ``Condition.cleared_on``."""

CONDITION_LABELS: dict[ConditionId, str] = {
    "osteoporosis": "osteoporosis",
    "spinal-stenosis": "spinal stenosis",
    "spondylolisthesis": "spondylolisthesis",
    "pregnancy": "pregnancy",
    "wrist": "wrist problems",
    "knee": "knee problems",
    "recent-spinal-surgery": "recent spinal surgery",
    "acute-flare": "a flare-up",
}

GENTLE_CATEGORIES: frozenset[Category] = frozenset({"breathing-relaxation"})
"""Exercises of these categories count as gentle before a surgeon's clearance."""

GENTLE_WARM_UP_POSITION: Position = "standing"
"""Warm-ups count as gentle (walking-like) only when done standing with a neutral spine."""

GENTLE_TOLERATED_TAGS: frozenset[CautionTag] = frozenset({"supine-long"})
"""The only caution a gentle exercise may carry: resting on the back for minutes is a
pregnancy concern (handled by the pregnancy rules), not a strain on a healing spine."""


def is_gentle(exercise: Exercise) -> bool:
    """Breathing and relaxation, or a walking-like warm-up, with no caution that loads the
    spine. After spinal surgery, before clearance, only these are offered (CLINICAL.md
    section 5: exercise only with the surgeon's or physiotherapist's clearance)."""
    kind_ok = exercise.category in GENTLE_CATEGORIES or (
        exercise.category == "warm-up"
        and exercise.position == GENTLE_WARM_UP_POSITION
        and exercise.direction == "neutral"
    )
    return kind_ok and set(exercise.cautions) <= GENTLE_TOLERATED_TAGS


@dataclass(frozen=True)
class Rule:
    """One restriction: for ``condition`` (when ``applies``), do ``action`` to matching
    exercises, saying ``reason``; ``source`` is where the rule comes from."""

    id: str
    condition: ConditionId
    action: Action
    reason: str
    source: str
    tags: frozenset[CautionTag] = frozenset()
    positions: frozenset[Position] = frozenset()
    min_difficulty: int | None = None
    all_but_gentle: bool = False
    every_exercise: bool = False
    applies: Applies = "always"

    def matches(self, exercise: Exercise) -> bool:
        return (
            self.every_exercise
            or bool(self.tags.intersection(exercise.cautions))
            or exercise.position in self.positions
            or (self.min_difficulty is not None and exercise.difficulty >= self.min_difficulty)
            or (self.all_but_gentle and not is_gentle(exercise))
        )


def _tags(*tags: CautionTag) -> frozenset[CautionTag]:
    return frozenset(tags)


_SINAKI_1984 = "Sinaki 1984, Arch Phys Med Rehabil 65:593; Too Fit To Fracture (Giangregorio 2014)"
_SINAKI_1989 = "Sinaki 1989 (extension worsens symptoms); CLINICAL.md section 5"
_ACOG = "ACOG Committee Opinion 804 (2020)"
_DAHM = "Dahm 2010, Cochrane (stay active; gentle movements during a flare)"
_PRACTICE = "practice-based advice (CLINICAL.md section 5)"

RULES: tuple[Rule, ...] = (
    # --- osteoporosis ---------------------------------------------------------------------
    Rule(
        "osteoporosis-loaded-flexion",
        "osteoporosis",
        "exclude",
        "bending the spine forward against load or gravity (sit-ups, roll-ups) raises the "
        "risk of a fracture in the spine",
        _SINAKI_1984,
        tags=_tags("loaded-flexion"),
    ),
    Rule(
        "osteoporosis-spinal-pressure",
        "osteoporosis",
        "exclude",
        "pressing directly on the spine, as when rolling on a foam roller, can harm fragile bones",
        "Too Fit To Fracture (Giangregorio 2014), extended to direct pressure (uncertain)",
        tags=_tags("direct-spinal-pressure"),
    ),
    Rule(
        "osteoporosis-end-range-flexion",
        "osteoporosis",
        "modify",
        "bending the spine as far as it goes is kept to a smaller, comfortable range",
        _SINAKI_1984,
        tags=_tags("end-range-flexion"),
    ),
    Rule(
        "osteoporosis-end-range-rotation",
        "osteoporosis",
        "modify",
        "twisting the spine as far as it goes is kept to a smaller, comfortable range",
        "Too Fit To Fracture (Giangregorio 2014)",
        tags=_tags("end-range-rotation"),
    ),
    # --- spinal stenosis and spondylolisthesis --------------------------------------------
    Rule(
        "stenosis-sustained-extension",
        "spinal-stenosis",
        "exclude",
        "holding or repeating back-bends (press-ups, lying propped on the elbows) tends to "
        "bring symptoms on",
        _SINAKI_1989,
        tags=_tags("sustained-extension"),
    ),
    Rule(
        "stenosis-end-range-extension",
        "spinal-stenosis",
        "modify",
        "bending backwards toward the limit is kept small",
        _SINAKI_1989,
        tags=_tags("end-range-extension"),
    ),
    Rule(
        "spondylolisthesis-sustained-extension",
        "spondylolisthesis",
        "exclude",
        "holding or repeating back-bends (press-ups, lying propped on the elbows) tends to "
        "bring symptoms on",
        _SINAKI_1989,
        tags=_tags("sustained-extension"),
    ),
    Rule(
        "spondylolisthesis-end-range-extension",
        "spondylolisthesis",
        "modify",
        "bending backwards toward the limit is kept small",
        _SINAKI_1989,
        tags=_tags("end-range-extension"),
    ),
    # --- pregnancy, from week 13 (FIRST_TRIMESTER_END_WEEK) or weeks unknown --------------
    Rule(
        "pregnancy-supine-long",
        "pregnancy",
        "exclude",
        "after the first trimester, lying on your back for long is avoided",
        _ACOG,
        tags=_tags("supine-long"),
        applies="after-first-trimester",
    ),
    Rule(
        "pregnancy-prone",
        "pregnancy",
        "exclude",
        "after the first trimester, lying on your front is avoided",
        _ACOG,
        tags=_tags("prone"),
        positions=frozenset({"prone"}),
        applies="after-first-trimester",
    ),
    Rule(
        "pregnancy-loaded-flexion",
        "pregnancy",
        "exclude",
        "after the first trimester, curl-ups and other loaded forward bends are left out",
        f"{_ACOG} (supine work); loaded flexion is practice-based (uncertain)",
        tags=_tags("loaded-flexion"),
        applies="after-first-trimester",
    ),
    Rule(
        "pregnancy-deep-hip-flexion",
        "pregnancy",
        "modify",
        "after the first trimester, deep hip bending is adapted to make room for the bump",
        f"{_ACOG}; comfort, practice-based",
        tags=_tags("deep-hip-flexion"),
        applies="after-first-trimester",
    ),
    # --- wrists and knees -----------------------------------------------------------------
    Rule(
        "wrist-load",
        "wrist",
        "modify",
        "weight through bent-back wrists is taken on fists or forearms, or done standing",
        _PRACTICE,
        tags=_tags("wrist-load"),
    ),
    Rule(
        "knee-load",
        "knee",
        "modify",
        "weight through the knees is padded or done without kneeling",
        _PRACTICE,
        tags=_tags("knee-load"),
    ),
    # --- acute flare ----------------------------------------------------------------------
    Rule(
        "flare-loaded-flexion",
        "acute-flare",
        "exclude",
        "during a flare-up, keep moving gently; loaded forward bending waits until it settles",
        _DAHM,
        tags=_tags("loaded-flexion"),
    ),
    Rule(
        "flare-lifting-load",
        "acute-flare",
        "exclude",
        "during a flare-up, keep moving gently; practising lifts waits until it settles",
        _DAHM,
        tags=_tags("lifting-load"),
    ),
    Rule(
        "flare-spinal-pressure",
        "acute-flare",
        "exclude",
        "during a flare-up, keep moving gently; pressure on the spine waits until it settles",
        _DAHM,
        tags=_tags("direct-spinal-pressure"),
    ),
    Rule(
        "flare-hardest",
        "acute-flare",
        "exclude",
        "during a flare-up, keep moving gently; the hardest exercises wait until it settles",
        _DAHM,
        min_difficulty=3,
    ),
    # --- recent spinal surgery ------------------------------------------------------------
    Rule(
        "surgery-not-cleared",
        "recent-spinal-surgery",
        "exclude",
        "until your surgeon or physiotherapist has cleared you to exercise, only gentle "
        "breathing and walking-style warm-ups are offered",
        "CLINICAL.md section 5: only with the surgeon's or physiotherapist's clearance",
        all_but_gentle=True,
        applies="not-cleared",
    ),
    Rule(
        "surgery-cleared-note",
        "recent-spinal-surgery",
        "note",
        "your clinician has cleared you to exercise; keep to any limits they gave you",
        "CLINICAL.md section 5: only with the surgeon's or physiotherapist's clearance",
        every_exercise=True,
        applies="cleared",
    ),
)
"""Every restriction rule. Rule ids are stable: plans and reports quote them."""
