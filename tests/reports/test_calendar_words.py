"""Issue 15: the calendar file a web user downloads tells them nothing to type in a terminal;
it says what today's session is and where to open it (a link to the app's Today page when
the app has a public address, a clinic's; plain words otherwise)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from icalendar import Calendar

from backcoach.clinic.settings import PUBLIC_URL_VARIABLE
from backcoach.services import sharing
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from tests.reports.test_calendar import ALL_NO, make_person

COMMANDS = (
    "figures|screen|clearance|plan|check-direction|flare-up|start|history|progress|report|"
    "handout|checkin|remind|export|import|forget|serve|worker|coach|article|exercises|"
    "catalogue|profile|activities|clinic|learn"
)
COMMAND = re.compile(rf"`|\bbackcoach (?:{COMMANDS})\b|--[a-z]|\brun\b", re.IGNORECASE)
"""Terminal text: a backcoach command, an option, backticks, "run"."""


def event_of(data: bytes) -> object:
    return Calendar.from_ical(data).walk("VEVENT")[0]


@pytest.mark.parametrize("screened", [True, False])
def test_no_command_to_type_and_says_where_to_go(
    home: Path, screened: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PUBLIC_URL_VARIABLE, raising=False)
    person = make_person(home)
    if screened:
        take_screen(person.store, person.today(), ALL_NO)
    data = sharing.reminders_ics(person.store, person.catalogue, person.today())
    text = str(event_of(data)["DESCRIPTION"])  # type: ignore[index]
    assert not COMMAND.search(text), text
    assert "Open backcoach where you usually use it and choose Today" in text
    assert b"http" not in data  # no address to point at: none is made up
    if screened:
        plan = todays_plan(person.store, person.catalogue, person.today())
        first = person.catalogue.get(plan.items[0].exercise_id)
        assert f"- {first.name}: {plan.items[0].dose_words(first)}" in text
    else:
        assert "cannot offer a plan" in text and "warning-sign questions" in text


def test_links_the_clinics_today_page(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PUBLIC_URL_VARIABLE, "https://physio.example.org/")
    person = make_person(home)
    take_screen(person.store, person.today(), ALL_NO)
    event = event_of(sharing.reminders_ics(person.store, person.catalogue, person.today()))
    text = str(event["DESCRIPTION"])  # type: ignore[index]
    assert "Open today's session: https://physio.example.org/today" in text
    assert str(event["URL"]) == "https://physio.example.org/today"  # type: ignore[index]
    assert not COMMAND.search(text), text


def test_a_bad_public_address_gives_no_link(home: Path) -> None:
    assert sharing.public_app_url({PUBLIC_URL_VARIABLE: "physio dot org"}) is None
    assert sharing.public_app_url({}) is None
    assert sharing.public_app_url({PUBLIC_URL_VARIABLE: "https://a.example"}) == "https://a.example"


def test_no_days_error_names_no_command(home: Path) -> None:
    person = make_person(home)
    update_profile(person.store, days=[])
    with pytest.raises(Exception, match="no exercise days") as caught:
        sharing.reminders_ics(person.store, person.catalogue, person.today())
    assert not COMMAND.search(str(caught.value))
