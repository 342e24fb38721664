"""Person contexts for tests, and the one temporary bridge to the old Coach adapter."""

from __future__ import annotations

from typing import Any

from backcoach.app import PersonContext


def legacy_coach(person: PersonContext) -> Any:
    """Temporary: ``services.sessions.begin`` / ``resume_unfinished`` still take the Coach
    adapter (until services/sessions.py is moved off it); this one shares ``person``'s
    application context. Removed with coach.py."""
    from backcoach.coach import Coach

    return Coach(person.settings, person.app)
