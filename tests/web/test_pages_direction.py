"""The direction check as a flow of web forms, through the TestClient on real SQLite: the same
questions, tests and holds as `backcoach check-direction`, the result in plain words (never an
id), every problem with an answer said at once next to its field, and nothing saved until the
check ends: not on a bad answer, a changed page, a missing CSRF token or without a clear
warning-sign screen."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.app import PersonContext
from backcoach.safety.signs import SIGN_IDS
from backcoach.services.profiles import load_profile
from backcoach.services.screening import take_screen
from tests.web.conftest import BASE_URL, person_of, ready_to_exercise
from tests.web.test_pages_checkin import CLI_TEXT, form_token, problem_of

RAW_IDS = re.compile(
    r"\b(no-change|worse-pain|centralised|peripheralised|below-knee|extension|flexion|"
    r"prone-press-up|prone-on-elbows|knee-to-chest-double|knee-to-chest-single)\b"
)
"""Ids a person should never read on these pages."""


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL)


@pytest.fixture
def person(app: FastAPI) -> PersonContext:
    result: PersonContext = person_of(app)
    return result


def answer(client: TestClient, page: str, **fields: str) -> httpx.Response:
    """Answer the form on ``page`` (a /direction address) as a browser would: with the page's
    own token and its hidden progress."""
    html = client.get(page).text
    progress = re.search(r'name="progress" value="([^"]*)"', html)
    assert progress, html
    data = {"csrf_token": form_token(html), "progress": progress.group(1), **fields}
    return client.post("/direction", data=data, follow_redirects=False)


def walk(client: TestClient, *answers: dict[str, str]) -> httpx.Response:
    """Give each answer on the page the previous one led to; the last response."""
    page = "/direction"
    response: httpx.Response | None = None
    for fields in answers:
        response = answer(client, page, **fields)
        assert response.status_code == 303, response.text
        page = response.headers["location"]
    assert response is not None
    return response


def visible(html: str) -> str:
    """The page's text as read, without tags and attributes."""
    main = html.split('<main id="main"', 1)[1].split("</main>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_without_a_clear_screen_the_check_is_not_offered(
    client: TestClient, person: PersonContext
) -> None:
    page = client.get("/direction").text
    assert "Please answer the warning-sign questions first." in page
    assert 'href="/screen"' in page and 'name="progress"' not in page
    token = client.cookies["backcoach_csrf"]
    data = {"csrf_token": token, "progress": "", "location": "back", "pain": "4"}
    refused = client.post("/direction", data=data, follow_redirects=False)
    assert refused.status_code == 400 and person.store.latest_direction_check() is None
    answers = {**dict.fromkeys(SIGN_IDS, "no"), "bladder_change": "yes"}
    take_screen(person.store, person.today(), answers)
    assert 'name="progress"' not in client.get("/direction").text


def test_pain_moving_toward_the_spine_finds_bending_backwards(
    client: TestClient, person: PersonContext
) -> None:
    ready_to_exercise(person)
    intro = client.get("/direction").text
    assert "Stop straight away if pain spreads further down your" in intro
    first = answer(client, "/direction", location="buttock", pain="5")
    assert first.headers["location"] == "/direction?progress=2-5"
    trial = visible(client.get(first.headers["location"]).text)
    assert "Press-up lying on your front" in trial and "Do 10 slow repetitions." in trial
    assert "Before this one: reaching my buttock, 5 out of 10." in trial
    assert person.store.latest_direction_check() is None  # nothing saved mid-way
    done = answer(client, first.headers["location"], location="back", pain="2")
    assert done.headers["location"] == "/direction/result"
    result = visible(client.get("/direction/result").text)
    assert "Bending backwards eases it" in result
    assert "(from the buttock to the back)" in result
    assert not RAW_IDS.search(result) and not CLI_TEXT.search(result)
    profile = load_profile(person.store)
    assert profile.directional_preference == "extension" and profile.avoid_directions == []


def test_a_sustained_position_is_held_not_repeated(
    client: TestClient, person: PersonContext
) -> None:
    """With a wrist problem the extension test is propped on the elbows: one long hold."""
    ready_to_exercise(person, conditions=[{"id": "wrist"}])
    first = answer(client, "/direction", location="back", pain="4")
    trial = visible(client.get(first.headers["location"]).text)
    assert "Propped" in trial or "elbows" in trial
    assert re.search(r"hold it once for about \d+ seconds", trial)
    assert "10 slow repetitions" not in trial and "After the hold" in trial


def test_too_much_then_no_change_both_ways_ends_without_a_preference(
    client: TestClient, person: PersonContext
) -> None:
    ready_to_exercise(person)
    walk(client, {"location": "back", "pain": "4"})
    too_much = answer(client, "/direction?progress=1-4", choice="too-much")
    assert too_much.headers["location"] == "/direction?progress=1-4.x"
    gentler = visible(client.get(too_much.headers["location"]).text)
    assert "Press-up lying on your front" not in gentler
    same = answer(client, "/direction?progress=1-4.x", location="back", pain="4")
    flexion = visible(client.get(same.headers["location"]).text)
    assert "Trying: bending forwards." in flexion
    assert "Last movement: No clear change in your pain." in flexion
    done = answer(client, same.headers["location"], location="back", pain="4")
    assert done.headers["location"] == "/direction/result"
    result = visible(client.get("/direction/result").text)
    assert "No clear preference" in result and "no-change" not in result
    assert not RAW_IDS.search(result)
    assert load_profile(person.store).directional_preference == "none"


def test_pain_spreading_down_the_leg_ends_the_check_and_is_avoided(
    client: TestClient, person: PersonContext
) -> None:
    ready_to_exercise(person)
    walk(client, {"location": "back", "pain": "3"}, {"location": "thigh", "pain": "4"})
    result = visible(client.get("/direction/result").text)
    assert "To avoid for now: bending backwards." in result
    assert "(from the back to the thigh)" in result and not RAW_IDS.search(result)
    profile = load_profile(person.store)
    assert profile.avoid_directions == ["extension"]
    assert profile.directional_preference == "none"


def test_every_problem_with_an_answer_is_said_at_once_and_nothing_moves_on(
    client: TestClient, person: PersonContext
) -> None:
    ready_to_exercise(person)
    empty = answer(client, "/direction", location="", pain="")
    assert empty.status_code == 400
    assert problem_of(empty.text, "location").startswith("not chosen yet; choose where")
    assert problem_of(empty.text, "pain").startswith("not chosen yet; choose a number from 1")
    assert "Please check these 2 things" in empty.text
    wrong = answer(client, "/direction?progress=1-4", location="elbow", pain="12")
    assert wrong.status_code == 400
    assert (
        problem_of(wrong.text, "location")
        == "“elbow” is not one of the choices; choose one of them."
    )
    assert problem_of(wrong.text, "pain").startswith("“12” is not a number from 1 to 10")
    assert 'name="progress" value="1-4"' in wrong.text  # still on the same test
    no_pain = answer(client, "/direction", location="none", pain="")
    assert no_pain.headers["location"] == "/direction?progress=0-0"
    assert person.store.latest_direction_check() is None


@pytest.mark.parametrize(
    "progress",
    ["9-9", "1-0", "abc", "1-4." + ".".join(["x"] * 8), "1-3.3-4", "1-4.x.x.x.x"],
)
def test_a_changed_or_finished_page_saves_nothing(
    client: TestClient, person: PersonContext, progress: str
) -> None:
    ready_to_exercise(person)
    page = client.get(f"/direction?progress={progress}")
    assert page.status_code == 400 and "could not be continued" in page.text
    token = client.cookies["backcoach_csrf"]
    data = {"csrf_token": token, "progress": progress, "location": "thigh", "pain": "6"}
    posted = client.post("/direction", data=data, follow_redirects=False)
    assert posted.status_code == 400 and "Nothing was saved" in posted.text
    assert person.store.latest_direction_check() is None
    assert load_profile(person.store).avoid_directions == []


def test_an_answer_without_its_token_is_refused(client: TestClient, person: PersonContext) -> None:
    ready_to_exercise(person)
    client.get("/direction")
    data = {"progress": "1-3", "location": "thigh", "pain": "4"}
    assert client.post("/direction", data=data).status_code == 403
    assert person.store.latest_direction_check() is None
