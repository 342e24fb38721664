"""Pose checks for each condition's drawn version of an exercise (``modifications`` with
their own ``key_poses``): the same checks as the exercise's own poses
(:func:`backcoach.body.checks.check_exercise`), each finding located under
``modifications.<condition>`` so the message names the version's own line."""

from __future__ import annotations

from backcoach.body.checks import Finding, check_exercise
from backcoach.catalogue.model import Exercise


def check_versions(exercise: Exercise) -> list[Finding]:
    """Every drawn version's pose findings, as (location, what is wrong, how to fix it)."""
    findings: list[Finding] = []
    for condition in exercise.drawn_versions:
        version = exercise.version(condition)
        if version is None:  # drawn_versions lists only versions with poses
            continue
        own = f"'modifications.{condition}.equipment'"
        for where, message, fix in check_exercise(version):
            findings.append(
                (["modifications", condition, *where], message, fix.replace("'equipment'", own))
            )
    return findings
