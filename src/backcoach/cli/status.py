"""`backcoach` with no command: where the person stands and what to do next."""

from __future__ import annotations

from backcoach.cli.common import console, get_coach, warn_problems


def show_status() -> None:
    coach = get_coach()
    warn_problems(coach)
    console.print("[bold]backcoach[/] — an offline exercise coach for lower back pain.")
    console.print(
        f"Your data lives in {coach.settings.home}. "
        f"{len(coach.catalogue)} exercises are ready to browse."
    )
    console.print("\nNext: see the exercises with [bold]backcoach exercises list[/].")
