"""Calendar reminders: the planned exercise days as one repeating event (an .ics file).

Choices, and why:
- ONE event repeating weekly on the profile's days (``RRULE:FREQ=WEEKLY;BYDAY=...``), not one
  event per day: a calendar app shows it as a routine, and a new file replaces it whole.
- Floating local time (no TZID, no trailing Z): RFC 5545 section 3.3.5 defines it for events
  "at the same local time regardless of time zone". 18:00 stays 18:00 across daylight-saving
  changes and when the person travels, every calendar app reads it in the device's own zone,
  and the file needs no time-zone database (nothing to go stale or fetch).
- A stable UID (the same for every file backcoach makes) and a SEQUENCE that only grows, so
  importing a newer file updates the routine instead of adding a second one.
- At most one alarm, a display alert at the start time, with no repeats: one nudge on an
  exercise day is the point of a reminder (CLINICAL.md section 6: reminders help adherence,
  Lambert 2017); anything more is nagging. ``alert=False`` leaves it out.
- No ATTACH, ORGANIZER or ATTENDEE, and a URL only to the app's own Today page when it has a
  public address (a clinic's): nothing else in the file points anywhere.
- Words for a phone's calendar, never a command to type (issue 15): the event is read by
  people who use the browser app and may never open a terminal.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from backcoach.planning.profile import WEEKDAYS, Profile

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.planning.plan import Plan

PRODID = "-//backcoach//backcoach offline exercise coach//EN"
UID = "routine-reminder@backcoach"
"""Stable on purpose: every file backcoach writes describes the same routine."""

BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
"""SEQUENCE counts minutes from here, so a file made later always has a higher one."""


class NoExerciseDays(ValueError):
    """The profile names no exercise days, so there is nothing to repeat."""


def first_occurrence(profile: Profile, today: dt.date) -> dt.datetime:
    """The first planned day on or after ``today``, at the reminder time (floating)."""
    if not profile.days:
        raise NoExerciseDays(
            "your profile has no exercise days: choose at least one day you mean to exercise "
            "in your profile first"
        )
    hour, minute = (int(part) for part in profile.reminder_time.split(":"))
    wanted = {WEEKDAYS.index(day) for day in profile.days}
    day = next(
        today + dt.timedelta(days=n) for n in range(7) if (today.weekday() + n) % 7 in wanted
    )
    return dt.datetime.combine(day, dt.time(hour, minute))


def description(
    today: dt.date,
    catalogue: Catalogue,
    plan: Plan | None,
    refused: str | None = None,
    problem: str | None = None,
    app_url: str | None = None,
) -> str:
    """What the event says, read on a phone's calendar: today's exercises (``plan``), or what
    to do while no plan may be offered (``refused``: why not) or none could be made
    (``problem``), and where to open the session: ``app_url``'s Today page when the app has a
    public address (a clinic's), otherwise in words. Never a command to type: the person
    reading it may never have opened a terminal."""
    today_page = f"{app_url.rstrip('/')}/today" if app_url else None
    where = (
        f"Open today's session: {today_page}"
        if today_page
        else "Open backcoach where you usually use it and choose Today."
    )
    lines = ["Your back exercise session with backcoach."]
    if refused is not None:
        lines += [
            "",
            "backcoach cannot offer a plan just now: " + plain(refused),
            where.replace("today's session", "backcoach") + " It shows what to do next.",
        ]
        return "\n".join(lines)
    if problem is not None or plan is None:
        lines += ["", f"backcoach could not make a plan: {plain(problem or 'no plan')}"]
    else:
        lines += ["", f"Your plan as of {today:%A %d %B %Y}:"]
        for item in plan.items:
            try:
                exercise = catalogue.get(item.exercise_id)
            except LookupError:
                lines.append(f"- {item.exercise_id}")
                continue
            lines.append(f"- {exercise.name}: {item.dose_words(exercise)}")
        if plan.flare_up:
            lines.append("(Gentle flare-up days: take it easy.)")
    lines += [
        "",
        "The plan adapts as you go, so the day's own may differ a little from this list.",
        where + " It guides you through each exercise.",
    ]
    return "\n".join(lines)


def plain(text: str) -> str:
    """A reason from elsewhere in backcoach without any command to type in it."""
    from backcoach.reports.handout import without_commands

    return without_commands(text) or text.split(";")[0].strip()


def reminders_ics(
    profile: Profile,
    today: dt.date,
    catalogue: Catalogue,
    plan: Plan | None,
    refused: str | None = None,
    problem: str | None = None,
    *,
    alert: bool = True,
    now: dt.datetime | None = None,
    app_url: str | None = None,
) -> bytes:
    """The person's routine as an iCalendar file (RFC 5545); the event describes ``plan`` (or
    why there is none: see ``description``). ``app_url``: the app's public address, when it
    has one (a clinic's); its Today page becomes the event's link."""
    from icalendar import Alarm, Calendar, Event, vRecur

    now = now or dt.datetime.now(dt.UTC)
    start = first_occurrence(profile, today)

    event = Event()
    event.add("uid", UID)
    event.add("dtstamp", now)
    event.add("sequence", max(0, int((now - SEQUENCE_EPOCH).total_seconds() // 60)))
    event.add("summary", "Back exercises")
    event.add("description", description(today, catalogue, plan, refused, problem, app_url))
    if app_url:
        event.add("url", f"{app_url.rstrip('/')}/today")
    event.add("dtstart", start)  # naive datetime: written as floating local time
    event.add("duration", dt.timedelta(minutes=profile.minutes))
    byday = [BYDAY[day] for day in WEEKDAYS if day in profile.days]
    event.add("rrule", vRecur(freq="WEEKLY", byday=byday))
    event.add("transp", "OPAQUE")
    if alert:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Time for your back exercises")
        alarm.add("trigger", dt.timedelta(0))
        event.add_component(alarm)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
