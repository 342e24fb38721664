"""`backcoach` with no command: where the person stands and what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcoach.cli.common import console, person_context, warn_problems

if TYPE_CHECKING:
    from backcoach.app import PersonContext


def next_steps(person: PersonContext) -> list[tuple[str, str]]:
    """(what to do, the command) in the order a new person meets them."""
    from backcoach.safety.gate import needs_rescreen
    from backcoach.services.profiles import has_profile
    from backcoach.services.screening import gate as plan_gate

    steps: list[tuple[str, str]] = []
    store = person.store
    screen = store.current_screen()
    gate = plan_gate(store, person.today())
    if screen is None:
        return [("Answer a few questions about warning signs first.", "backcoach screen")]
    rescreen = needs_rescreen(screen.taken_on, person.today())
    if rescreen:
        steps.append((rescreen, "backcoach screen"))
    elif not gate.allowed:
        steps.append(
            (
                gate.reason,
                "backcoach clearance --on YYYY-MM-DD"
                if screen.tier == "soon"
                else "backcoach screen",
            )
        )
        return steps
    if not has_profile(store):
        steps.append(
            (
                "Tell backcoach about your time, equipment and any conditions.",
                "backcoach profile set --minutes 15 --days mon,wed,fri --equipment mat",
            )
        )
    if gate.allowed:
        steps.append(("See today's plan and why each exercise is in it.", "backcoach plan"))
    return steps


def show_status() -> None:
    from backcoach.services.profiles import has_profile, load_profile

    person = person_context()
    warn_problems(person.app)
    console.print("[bold]backcoach[/] — an offline exercise coach for lower back pain.\n")
    store = person.store
    screen = store.current_screen()
    if screen is None:
        console.print("Warning-sign check: [yellow]not done yet[/]")
    else:
        cleared = f", cleared {screen.cleared_on}" if screen.cleared_on else ""
        console.print(f"Warning-sign check: [bold]{screen.tier}[/] on {screen.taken_on}{cleared}")
    profile = load_profile(store)
    if has_profile(store):
        conditions = ", ".join(c.id for c in profile.conditions) or "no conditions"
        console.print(
            f"Profile: {profile.minutes} min on {', '.join(profile.days)}; {conditions}; "
            f"preferred direction {profile.directional_preference}"
        )
    else:
        console.print("Profile: [yellow]not set yet[/] (defaults in use)")
    if screen is not None:
        from backcoach.services.outcomes import due_today

        if due_today(store, person.today())["weekly_checkin"]:
            console.print("Your weekly check-in is due: [bold cyan]backcoach checkin[/]")
    console.print(f"Data folder: {person.settings.home}\n")
    console.print("[bold]Next:[/]")
    for what, command in next_steps(person):
        console.print(f"  {what}\n    [bold cyan]{command}[/]")
