"""`backcoach check-direction`: a short, conservative test of which way your back prefers."""

from __future__ import annotations

from typing import Any

from backcoach.cli.common import console, person_context, user_errors

LOCATION_KEYS = {
    "0": ("none", "no pain"),
    "1": ("back", "in the back only"),
    "2": ("buttock", "reaching the buttock"),
    "3": ("thigh", "reaching the thigh"),
    "4": ("below-knee", "reaching below the knee"),
}


def check_direction() -> None:
    """Find your directional preference: about 10 repetitions one way, then maybe the other.

    Stop at once if pain spreads further down your leg: that direction is then avoided.
    """
    from backcoach.planning.direction import OUTCOME_WORDS, WORDS, interpret
    from backcoach.services.direction_flow import plain_reason
    from backcoach.services.directions import save_direction_result, start_direction_check
    from backcoach.wording import label

    person = person_context()
    with user_errors():
        check = start_direction_check(person.store, person.catalogue, person.today())
    console.print(
        "[bold]Direction check.[/] You will move one way, about 10 slow repetitions or one "
        "long hold, and say where your pain is before and after. If pain spreads further down "
        "your leg at any time, stop straight away.\n"
    )
    for note in check.reasons:
        console.print(f"[dim]{note}[/]")
    before = _reading("Before you start")
    while (trial := check.next_trial) is not None:
        ex = person.catalogue.get(trial.exercise_id)
        console.print(f"\n[bold]{ex.name}[/] — {trial.instruction}.")
        for n, step in enumerate(ex.steps, 1):
            console.print(f"  {n}. {step.text}")
        done = "held it" if trial.hold_seconds is not None else "done them"
        reply = _ask(f"Press Enter when you have {done}, or type x if it is too much")
        if reply == "x":
            check = check.too_much()
            continue
        after = _reading("Now")
        console.print(f"[dim]{OUTCOME_WORDS[interpret(before, after)]}[/]")
        check = check.record(before, after)
        before = after
    result = check.result()
    profile = save_direction_result(person.store, result)
    console.print()
    names = {ex.id: ex.name for ex in person.catalogue}
    for reason in result.reasons:
        console.print(plain_reason(reason, names))
    avoid = [WORDS.get(d, d) for d in profile.avoid_directions]
    console.print(
        "\n[bold]Your directional preference: "
        f"{label(profile.directional_preference, 'direction').lower()}.[/]"
        + (f" To avoid: {' and '.join(avoid)}." if avoid else "")
        + " Your plan now takes this into account: [bold]backcoach plan[/]."
    )


def _ask(prompt: str) -> str:
    from rich.prompt import Prompt

    return Prompt.ask(prompt, default="", show_default=False, console=console).strip().lower()


def _reading(when: str) -> Any:
    from backcoach.planning.direction import Reading

    console.print(f"\n[bold]{when}:[/] where is your pain?")
    for key, (_, words) in LOCATION_KEYS.items():
        console.print(f"  {key} {words}")
    while True:
        key = _ask("Type 0-4")
        if key in LOCATION_KEYS:
            break
        console.print("Please type a number from 0 to 4.")
    if LOCATION_KEYS[key][0] == "none":
        return Reading("none", 0)
    while True:
        raw = _ask("How strong is it now, 1 (slight) to 10 (worst)?")
        if raw.isdigit() and 1 <= int(raw) <= 10:
            break
        console.print("Please type a whole number from 1 to 10.")
    return Reading(LOCATION_KEYS[key][0], int(raw))  # type: ignore[arg-type]


def flare_up() -> None:
    """Tell backcoach your back is flaring up: a few gentle days, then back a step lighter."""
    from backcoach.services.flare_ups import say_flare_up

    person = person_context()
    decision, status = say_flare_up(person.store, person.today())
    if decision is None:
        console.print(f"You are already in flare-up mode until {status.gentle_until}.")
        return
    console.print(decision.reason)
    console.print("See today's gentle plan with [bold]backcoach plan[/].")
