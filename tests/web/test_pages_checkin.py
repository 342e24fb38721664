"""The check-in, activities and flare-up pages through the TestClient on real SQLite: a check-in
saves pain and ratings; every problem is said at once, next to its field, in plain words, and
saves nothing; a form without its CSRF token is refused; flare-up starts only when confirmed
and says when it ends."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.app import PersonContext
from backcoach.records.outcomes_store import OutcomeStore
from backcoach.services import outcomes
from backcoach.services.progression import program_state
from tests.web.conftest import BASE_URL, person_of, ready_to_exercise

PAIN_MOMENTS = ("daily", "worst-24h")
CLI_TEXT = re.compile(
    r"`|backcoach (checkin|activities|flare-up|check-direction|import|export|plan)\b"
)
"""A terminal command shown on a page: web pages never show one."""


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def post_form(
    client: TestClient, page: str, action: str, data: Mapping[str, Any]
) -> httpx.Response:
    """Post a form as a browser does: with the token the page put in it."""
    token = form_token(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def problem_of(html: str, field: str) -> str:
    """The plain-words problem shown next to ``field`` (empty if none)."""
    match = re.search(rf'<p class="field-problem" id="{field}-problem">([^<]*)</p>', html)
    return match.group(1) if match else ""


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL)


@pytest.fixture
def person(app: FastAPI) -> PersonContext:
    result: PersonContext = person_of(app)
    return result


def scores(person: PersonContext) -> list[tuple[str, int]]:
    return [(r.moment, r.score) for r in OutcomeStore(person.store).pain_readings(PAIN_MOMENTS)]


def test_the_menu_and_the_progress_promise_lead_to_the_check_in(client: TestClient) -> None:
    progress = client.get("/progress").text
    assert "after a week or two of check-ins" in progress
    assert 'href="/checkin"' in progress.split('id="changes-title"')[1]
    page = client.get("/checkin")
    assert page.status_code == 200
    assert '<a href="/checkin" aria-current="page">Check in</a>' in page.text


def test_a_check_in_saves_pain_and_activity_ratings(
    client: TestClient, person: PersonContext
) -> None:
    socks = outcomes.add_activity(person.store, person.today(), "putting on socks")
    driving = outcomes.add_activity(person.store, person.today(), "driving")
    data = {"pain_now": "4", "worst": "6", f"rate_{socks.id}": "3", f"rate_{driving.id}": ""}
    response = post_form(client, "/checkin", "/checkin", data)
    assert response.status_code == 303 and response.headers["location"] == "/checkin?done=saved"
    assert scores(person) == [("daily", 4), ("worst-24h", 6)]
    ratings = OutcomeStore(person.store).activity_ratings()
    assert [(r.activity_id, r.score) for r in ratings] == [(socks.id, 3)]  # the empty one skipped
    page = client.get(response.headers["location"]).text
    assert "Thank you, saved." in page
    # Worst pain was given today: asked again only as an option.
    assert "You told us\n      earlier today" in page


def test_every_problem_is_said_at_once_next_to_its_field_and_nothing_is_saved(
    client: TestClient, person: PersonContext
) -> None:
    socks = outcomes.add_activity(person.store, person.today(), "putting on socks")
    data = {"pain_now": "", "worst": "11", f"rate_{socks.id}": "lots"}
    response = post_form(client, "/checkin", "/checkin", data)
    assert response.status_code == 400
    html = response.text
    assert problem_of(html, "pain_now").startswith("not chosen yet; choose a number from 0")
    assert (
        problem_of(html, "worst") == "“11” is not a score from 0 to 10; choose one of the numbers."
    )
    assert problem_of(html, f"rate_{socks.id}").startswith("“lots” is not a score from 0 to 10")
    assert "Please check these 3 things" in html
    assert 'id="worst" aria-invalid="true"' in html
    assert scores(person) == [] and OutcomeStore(person.store).activity_ratings() == []
    assert "Traceback" not in html and not CLI_TEXT.search(html)


def test_a_good_pain_score_is_not_saved_beside_a_bad_one(
    client: TestClient, person: PersonContext
) -> None:
    """Fails closed: pain feeds flare-up detection, so half a check-in is never kept."""
    response = post_form(client, "/checkin", "/checkin", {"pain_now": "3", "worst": "-1"})
    assert response.status_code == 400 and problem_of(response.text, "worst")
    assert scores(person) == []
    assert 'value="3"\n    checked' in response.text  # the good answer is shown again


def test_a_rating_for_an_activity_no_longer_followed_saves_nothing(
    client: TestClient, person: PersonContext
) -> None:
    socks = outcomes.add_activity(person.store, person.today(), "putting on socks")
    token = form_token(client.get("/checkin").text)
    outcomes.retire_activity(person.store, person.today(), socks.id)  # in another window
    data = {"pain_now": "2", "worst": "3", f"rate_{socks.id}": "5", "csrf_token": token}
    response = client.post("/checkin", data=data)
    assert response.status_code == 400
    assert "no longer on your list" in response.text
    assert scores(person) == []


def test_activities_are_added_and_stopped_with_plain_errors(
    client: TestClient, person: PersonContext
) -> None:
    response = post_form(client, "/checkin", "/checkin/activities", {"activity_name": "  "})
    assert response.status_code == 400
    assert problem_of(response.text, "activity_name").startswith("this is empty; write what")
    added = post_form(client, "/checkin", "/checkin/activities", {"activity_name": "Driving"})
    assert added.status_code == 303
    again = post_form(client, "/checkin", "/checkin/activities", {"activity_name": "driving"})
    assert problem_of(again.text, "activity_name") == "“driving” is already on your list."
    for name in ("socks", "lifting", "stairs", "gardening"):
        post_form(client, "/checkin", "/checkin/activities", {"activity_name": name})
    full = post_form(client, "/checkin", "/checkin/activities", {"activity_name": "walking"})
    text = problem_of(full.text, "activity_name")
    assert text.startswith("you already follow 5 activities") and "`" not in text
    assert [a.name for a in outcomes.activities(person.store)] == [
        "Driving", "socks", "lifting", "stairs", "gardening",
    ]  # fmt: skip
    first = outcomes.activities(person.store)[0]
    stopped = post_form(client, "/checkin", "/checkin/activities/retire", {"activity_id": first.id})
    assert stopped.status_code == 303
    assert "Its ratings stay in your history" in client.get(stopped.headers["location"]).text
    assert first.id not in {a.id for a in outcomes.activities(person.store)}
    unknown = post_form(client, "/checkin", "/checkin/activities/retire", {"activity_id": "99"})
    assert unknown.status_code == 400 and "not on your list any more" in unknown.text


def test_check_in_forms_without_their_token_are_refused(
    client: TestClient, person: PersonContext
) -> None:
    client.get("/checkin")
    assert client.post("/checkin", data={"pain_now": "3", "worst": "3"}).status_code == 403
    assert client.post("/checkin/activities", data={"activity_name": "x"}).status_code == 403
    assert client.post("/flare-up", data={"confirm": "yes"}).status_code == 403
    assert scores(person) == [] and outcomes.activities(person.store) == []
    assert program_state(person.store, person.today()).flare_up_until is None


def test_a_flare_up_starts_only_when_confirmed_and_says_how_it_ends(
    client: TestClient, person: PersonContext
) -> None:
    ready_to_exercise(person)
    page = client.get("/flare-up").text
    assert "usually settles within days" in page and "Start gentle days" in page
    refused = post_form(client, "/flare-up", "/flare-up", {"confirm": "maybe"})
    assert refused.status_code == 400
    assert problem_of(refused.text, "confirm").startswith("nothing was changed. Tick")
    assert program_state(person.store, person.today()).flare_up_until is None

    started = post_form(client, "/flare-up", "/flare-up", {"confirm": "yes"})
    assert started.status_code == 303
    state = program_state(person.store, person.today())
    assert state.in_flare_up(person.today()) and str(state.flare_up_until) == "2026-11-04"
    shown = client.get(started.headers["location"]).text
    assert "Gentle days until Wednesday 04 November 2026" in shown
    assert "one step lighter for up to\n    7 days" in shown and "Start gentle days" not in shown
    # Saying it again while it runs changes nothing.
    token = client.cookies["backcoach_csrf"]
    again = client.post(
        "/flare-up", data={"confirm": "yes", "csrf_token": token}, follow_redirects=False
    )
    assert again.status_code == 303
    assert len(person.store.flare_ups()) == 1
    assert "Gentle days for a flare-up" in client.get("/checkin").text
    assert "flare-up" in client.get("/today").text.lower()


def test_the_terminal_check_in_saves_no_pain_beside_a_bad_rating(home: Path) -> None:
    """The CLI goes through the same service: before, it saved pain now and then refused the
    rating, so half a check-in was kept."""
    from backcoach.app import AppContext
    from backcoach.config import Settings
    from tests.conftest import run_cli

    run_cli("activities", "add", "putting on socks", home=home, BACKCOACH_TODAY="2026-11-02")
    result = run_cli(
        "checkin", "--pain-now", "3", "--rate", "putting on socks=11",
        home=home, BACKCOACH_TODAY="2026-11-02",
    )  # fmt: skip
    assert result.returncode == 2 and "11" in result.stderr
    person = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person()
    assert scores(person) == []
