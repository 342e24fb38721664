"""`backcoach profile`: conditions, goals, time and equipment the plan fits to."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from backcoach.cli.common import console, fail, person_context, print_json, user_errors

app = typer.Typer(help="Show or change your profile.", no_args_is_help=True)


def _split(values: list[str] | None) -> list[str] | None:
    """Accept both `--days mon,wed` and `--days mon --days wed`."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _days(values: list[str] | None) -> list[str] | None:
    """Days as people write them: ``Mon``, ``monday`` and ``MON`` are all ``mon``; anything
    else is passed on as written, for the profile's check to name."""
    days = _split(values)
    if days is None:
        return None
    named = dict(zip(WEEKDAY_NAMES, WEEKDAYS, strict=True))
    return [named.get(day.lower(), day.lower() if day.lower() in WEEKDAYS else day) for day in days]


@app.command("set")
def set_profile(
    condition: Annotated[
        list[str] | None,
        typer.Option(
            "--condition",
            help="A condition (repeat for several; replaces the list): osteoporosis, "
            "spinal-stenosis, spondylolisthesis, pregnancy, wrist, knee, recent-spinal-surgery, "
            "acute-flare.",
        ),
    ] = None,
    no_conditions: Annotated[
        bool, typer.Option("--no-conditions", help="Clear all conditions.")
    ] = False,
    pregnancy_weeks: Annotated[
        int | None, typer.Option(help="Weeks of pregnancy (with --condition pregnancy).")
    ] = None,
    surgery_cleared_on: Annotated[
        str | None,
        typer.Option(
            help="Date (YYYY-MM-DD) your surgeon or physiotherapist cleared you to exercise "
            "after spinal surgery."
        ),
    ] = None,
    minutes: Annotated[int | None, typer.Option(help="Minutes per session (5-45).")] = None,
    days: Annotated[list[str] | None, typer.Option(help="Exercise days, e.g. mon,wed,fri.")] = None,
    time: Annotated[str | None, typer.Option("--time", help="Reminder time of day, HH:MM.")] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(
            "--goal",
            help="relief, mobility, strength, posture, return-to-activity (repeat or comma-list).",
        ),
    ] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            help="mat, chair, towel, foam-roller, cushion, wall, stick; 'none' for nothing."
        ),
    ] = None,
    experience: Annotated[str | None, typer.Option(help="new, some or regular.")] = None,
    direction: Annotated[
        str | None,
        typer.Option(
            "--direction",
            help="Directional preference: extension, flexion, none or unknown "
            "(`backcoach check-direction` finds it for you).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Change your profile. Only the options you give change; the rest stays as it was."""
    from backcoach.services.profiles import load_profile, update_profile

    store = person_context().store
    changes: dict[str, Any] = {
        "minutes": minutes,
        "days": _days(days),
        "reminder_time": time,
        "goals": _split(goal),
        "experience": experience,
        "directional_preference": direction,
    }
    equipment_list = _split(equipment)
    if equipment_list is not None:
        changes["equipment"] = [] if equipment_list == ["none"] else equipment_list
    current = load_profile(store)
    conditions: list[dict[str, Any]] | None = None
    if no_conditions:
        conditions = []
    elif condition:
        old: dict[str, dict[str, Any]] = {
            c.id: c.model_dump(mode="json") for c in current.conditions
        }
        conditions = [old.get(cid, {"id": cid}) for cid in dict.fromkeys(_split(condition) or [])]
    if pregnancy_weeks is not None or surgery_cleared_on is not None:
        if conditions is None:
            conditions = [c.model_dump(mode="json") for c in current.conditions]
        conditions = _apply_details(conditions, pregnancy_weeks, surgery_cleared_on)
    changes["conditions"] = conditions
    with user_errors():
        profile = update_profile(store, **changes)
    if as_json:
        print_json(profile.model_dump(mode="json"))
        return
    console.print("[green]Profile saved.[/]")
    render_profile(profile)


def _apply_details(
    conditions: list[dict[str, Any]], weeks: int | None, cleared_on: str | None
) -> list[dict[str, Any]]:
    ids = [c["id"] for c in conditions]
    if weeks is not None and "pregnancy" not in ids:
        raise fail("--pregnancy-weeks needs the pregnancy condition: add --condition pregnancy")
    if cleared_on is not None and "recent-spinal-surgery" not in ids:
        raise fail(
            "--surgery-cleared-on needs --condition recent-spinal-surgery; add it to record "
            "the clearance"
        )
    if cleared_on is not None:
        try:
            dt.date.fromisoformat(cleared_on)
        except ValueError:
            raise fail(
                f"--surgery-cleared-on: '{cleared_on}' is not a date; write YYYY-MM-DD"
            ) from None
    out = []
    for c in conditions:
        c = dict(c)
        if c["id"] == "pregnancy" and weeks is not None:
            c["weeks"] = weeks
        if c["id"] == "recent-spinal-surgery" and cleared_on is not None:
            c["cleared_on"] = cleared_on
        out.append(c)
    return out


@app.command("show")
def show(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show your profile."""
    from backcoach.services.profiles import has_profile, load_profile

    store = person_context().store
    profile = load_profile(store)
    saved = has_profile(store)
    if as_json:
        print_json({**profile.model_dump(mode="json"), "saved": saved})
        return
    if not saved:
        console.print("[dim]No profile saved yet; these are the defaults.[/]")
    render_profile(profile)


def render_profile(profile: Any) -> None:
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    conditions = []
    for c in profile.conditions:
        text = c.id
        if c.weeks is not None:
            text += f" ({c.weeks} weeks)"
        if c.cleared_on is not None:
            text += f" (cleared {c.cleared_on})"
        conditions.append(text)
    rows = [
        ("Minutes per session", str(profile.minutes)),
        ("Days", ", ".join(profile.days) + f" at {profile.reminder_time}"),
        ("Goals", ", ".join(profile.goals)),
        ("Equipment", ", ".join(profile.equipment) or "none"),
        ("Experience", profile.experience),
        ("Conditions", ", ".join(conditions) or "none"),
        ("Directional preference", profile.directional_preference),
    ]
    if profile.avoid_directions:
        rows.append(("Directions to avoid", ", ".join(profile.avoid_directions)))
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
