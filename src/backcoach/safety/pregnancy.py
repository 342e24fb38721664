"""Warning signs in pregnancy that mean: do not exercise today, contact your maternity care.

ACOG Committee Opinion 804 (2020), "Physical activity and exercise during pregnancy and the
postpartum period": stop exercising and seek care for any of these. backcoach asks about them
before every session of a person whose profile records a pregnancy.
"""

from __future__ import annotations

from collections.abc import Sequence

from backcoach.safety.conditions import Condition

PREGNANCY_WARNING_SIGNS: tuple[str, ...] = (
    "bleeding from the vagina",
    "fluid leaking from the vagina",
    "regular painful contractions",
    "chest pain",
    "dizziness or feeling faint",
    "a headache",
    "pain or swelling in a calf",
    "being short of breath before you start",
    "muscle weakness that affects your balance",
    "the baby moving less than usual",
)
"""ACOG Committee Opinion 804 (2020): warning signs to stop exercise during pregnancy."""

QUESTION = "Today, have you had any of these: " + "; ".join(PREGNANCY_WARNING_SIGNS) + "?"

ADVICE = (
    "Please do not exercise today. Contact your midwife, doctor or maternity unit today and "
    "tell them what you noticed; if it is severe or you are worried, call emergency services. "
    "Answer again before your next session."
)


def check_needed(conditions: Sequence[Condition]) -> bool:
    """The question is asked whenever the profile records a pregnancy, whatever the week."""
    return any(c.id == "pregnancy" for c in conditions)
