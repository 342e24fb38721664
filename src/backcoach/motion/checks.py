"""A catalogue check for coach sections that needs the body model, in the loader's
``extra_checks`` form (as :func:`backcoach.body.checks.check_exercise`)."""

from __future__ import annotations

from backcoach.catalogue.model import Exercise
from backcoach.motion.reference import NotCoachable, reference

Finding = tuple[list[str | int], str, str]


def check_coach(exercise: Exercise) -> list[Finding]:
    """The tracked and hold features move enough between the key poses, and reach rules can be
    broken; each finding names the field at fault."""
    if exercise.coach is None or exercise.key_poses is None:
        return []
    try:
        reference(exercise)
    except NotCoachable as exc:
        what, _, fix = str(exc).partition("; ")
        return [(list(exc.where), what.split(": ", 1)[-1], fix)]
    return []
