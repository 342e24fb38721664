"""The server-rendered pages through FastAPI's TestClient, on real SQLite (and PostgreSQL where
storage matters): forms post with the CSRF token the page carries, bad input gets a clear
message and saves nothing, and every page keeps to the strict Content-Security-Policy."""

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
from backcoach.safety.signs import SIGN_IDS, SIGNS
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import has_profile, load_profile, update_profile
from backcoach.services.progress import progress_summary
from backcoach.services.screening import gate, take_screen
from backcoach.services.sessions import AutoAnswers, ExerciseAnswer, begin, run_auto
from backcoach.services.suits import suits_you
from backcoach.web.app import create_app
from tests.web.conftest import ALL_NO, BASE_URL, make_settings, person_of, ready_to_exercise

PAGES = ["/welcome", "/screen", "/today", "/library", "/library/bridge", "/progress", "/profile",
         "/settings", "/session"]  # fmt: skip


def client_for(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL)


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def post_form(
    client: TestClient, page: str, action: str, data: Mapping[str, Any]
) -> httpx.Response:
    """Post a form the way a browser does: with the token the page put in it."""
    token = form_token(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return client_for(app)


@pytest.fixture
def person(app: FastAPI) -> PersonContext:
    result: PersonContext = person_of(app)
    return result


def test_first_visit_welcomes_then_goes_to_today(client: TestClient, person: PersonContext) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/welcome"
    welcome = client.get("/welcome").text
    assert "It is not a diagnosis" in welcome and 'href="/screen"' in welcome
    take_screen(person.store, person.today(), ALL_NO)
    assert client.get("/", follow_redirects=False).headers["location"] == "/today"


def test_screen_form_asks_every_question_and_saves_a_clear_screen(
    client: TestClient, person: PersonContext
) -> None:
    html = client.get("/screen").text
    for sign in SIGNS:
        assert sign.question.replace("'", "&#39;") in html
        for value in ("yes", "no", "unsure"):
            assert f'name="{sign.id}" value="{value}"' in html
    response = post_form(client, "/screen", "/screen", {s: "no" for s in SIGN_IDS})
    assert response.status_code == 303
    assert response.headers["location"] == "/screen/result"
    row = person.store.current_screen()
    assert row is not None and row.tier == "clear"
    result = client.get("/screen/result").text
    assert "No warning signs reported" in result
    assert 'href="/profile"' in result  # no profile yet: that is the next step


def test_a_form_post_without_its_token_is_refused_and_saves_nothing(
    client: TestClient, person: PersonContext
) -> None:
    client.get("/screen")
    response = client.post("/screen", data=dict.fromkeys(SIGN_IDS, "no"))
    assert response.status_code == 403
    assert person.store.current_screen() is None


def test_an_emergency_screen_says_what_to_do_and_blocks_today(
    client: TestClient, person: PersonContext
) -> None:
    answers = {**dict.fromkeys(SIGN_IDS, "no"), "bladder_change": "unsure"}
    post_form(client, "/screen", "/screen", answers)
    result = client.get("/screen/result").text
    assert "Please get help now" in result
    assert "Go to an emergency department now" in result
    assert "/today" not in result.split("<main", 1)[1]  # no way on to a plan from here
    today = client.get("/today").text
    assert "Go to an emergency department now" in today
    assert 'class="plan-item' not in today and 'href="/session"' not in today
    assert client.get("/session", follow_redirects=False).headers["location"] == "/today"


def test_unanswered_questions_need_a_clearance_recorded_on_the_result_page(
    client: TestClient, person: PersonContext
) -> None:
    answers = {s: "no" for s in SIGN_IDS[:-3]}  # three left unanswered: never read as no
    post_form(client, "/screen", "/screen", answers)
    result = client.get("/screen/result").text
    assert "Not answered yet" in result and 'action="/screen/clearance"' in result
    assert "Record a clinician" in client.get("/today").text

    bad = post_form(client, "/screen/result", "/screen/clearance", {"cleared_on": "14/03"})
    assert bad.status_code == 400
    assert "&#39;14/03&#39; is not a date" in bad.text
    assert gate(person.store, person.today()).code == "needs-clearance"

    ok = post_form(client, "/screen/result", "/screen/clearance", {"cleared_on": "2026-11-02"})
    assert ok.status_code == 303
    assert gate(person.store, person.today()).allowed
    assert "You have been cleared" in client.get("/screen/result").text


def test_profile_form_saves_every_field(db_url: str, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "home", db_url))
    client, person = client_for(app), person_of(app)
    data = {
        "minutes": "20",
        "days": ["tue", "thu"],
        "reminder_time": "07:30",
        "goals": ["relief", "strength"],
        "equipment": ["mat", "chair"],
        "experience": "some",
        "conditions": ["pregnancy", "recent-spinal-surgery"],
        "pregnancy_weeks": "20",
        "surgery_cleared_on": "2026-10-01",
        "directional_preference": "extension",
    }
    response = post_form(client, "/profile", "/profile", data)
    assert response.headers["location"] == "/today"
    saved = load_profile(person.store)
    assert (saved.minutes, saved.days, saved.reminder_time) == (20, ["tue", "thu"], "07:30")
    assert saved.goals == ["relief", "strength"] and saved.equipment == ["mat", "chair"]
    assert saved.experience == "some" and saved.directional_preference == "extension"
    pregnancy, surgery = saved.conditions
    assert pregnancy.weeks == 20 and str(surgery.cleared_on) == "2026-10-01"
    # The form shows what was saved; a second save goes back to the profile page.
    html = client.get("/profile").text
    assert re.search(r'value="tue"\s+checked', html) and 'value="20"' in html
    again = post_form(client, "/profile", "/profile", {**data, "conditions": []})
    assert again.headers["location"] == "/profile?saved=true"
    assert load_profile(person.store).conditions == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "abc", "&#39;abc&#39; is not a whole number"),
        ("minutes", "99", "must be at most 45 (got 99)"),
        ("reminder_time", "25:00", "is not a time of day (got &#39;25:00&#39;)"),
        ("pregnancy_weeks", "soon", "&#39;soon&#39; is not a whole number"),
    ],
)
def test_a_bad_profile_field_is_named_and_nothing_is_saved(
    client: TestClient, person: PersonContext, field: str, value: str, message: str
) -> None:
    update_profile(person.store, minutes=12)
    data = {
        "minutes": "15",
        "reminder_time": "18:00",
        "days": ["mon"],
        "conditions": ["pregnancy"],
        field: value,
    }
    response = post_form(client, "/profile", "/profile", data)
    assert response.status_code == 400
    html = response.text
    assert "Nothing was saved yet" in html and message in html
    # Said next to the field too, which points to it for screen readers.
    next_to = re.search(rf'<p class="field-problem" id="{field}-problem">([^<]*)</p>', html)
    assert next_to and message in next_to.group(1)
    assert f'aria-describedby="{field}-problem"' in html
    assert f'value="{value}"' in html  # what the person typed is still there to fix
    assert load_profile(person.store).minutes == 12 and load_profile(person.store).conditions == []


def test_today_shows_each_exercise_with_picture_dose_and_reason(
    client: TestClient, person: PersonContext
) -> None:
    ready_to_exercise(person, minutes=10)
    plan = todays_plan(person.store, person.catalogue, person.today())
    html = client.get("/today").text
    assert html.count('class="plan-item card"') == len(plan.items)
    for item in plan.items:
        exercise = person.catalogue.get(item.exercise_id)
        assert exercise.name.replace("'", "&#39;") in html
        # the picture without words, its pose labels as page text beneath it
        assert f'src="/figures/{exercise.id}.svg?text=no"' in html
    assert "Start the session" in html and 'href="/session"' in html
    assert "Why:" in html
    # What the planner leaves out is listed with its reasons, not as a terminal command.
    assert "`backcoach" not in html and "not offered to you, and why" in html
    chair = next(ex for ex in person.catalogue if "chair" in ex.equipment)
    assert f"{chair.name}: It needs a sturdy chair".replace("'", "&#39;") in html


def test_today_without_a_screen_sends_the_person_to_the_questions(client: TestClient) -> None:
    html = client.get("/today").text
    assert "Please answer the warning-sign questions first" in html
    assert 'href="/screen"' in html


def test_library_filters_and_search(client: TestClient, person: PersonContext) -> None:
    update_profile(person.store, conditions=["osteoporosis"])
    everything = client.get("/library").text.count('class="card library-item"')
    assert everything == len(person.catalogue.exercises)
    supine = client.get("/library", params={"position": "supine"}).text
    expected = sum(1 for ex in person.catalogue if ex.position == "supine")
    assert supine.count('class="card library-item"') == expected
    judged = suits_you(person.store, person.catalogue, person.today())
    left_out = client.get("/library", params={"suits": "not"}).text
    excluded = [ex for ex in person.catalogue if not judged[ex.id].allowed]
    assert excluded and left_out.count('class="card library-item"') == len(excluded)
    assert left_out.count("badge-excluded") == len(excluded)
    found = client.get("/library", params={"q": "bridge"}).text
    assert 'href="/library/bridge"' in found and 'href="/library/cat-cow"' not in found
    # An unknown filter value from a hand-edited address is simply ignored.
    assert client.get("/library", params={"category": "nonsense"}).status_code == 200


def test_exercise_page_says_whether_it_suits_the_person(
    client: TestClient, person: PersonContext
) -> None:
    update_profile(person.store, conditions=["osteoporosis"])
    excluded = next(
        ex
        for ex in person.catalogue
        if not suits_you(person.store, person.catalogue, person.today())[ex.id].allowed
    )
    html = client.get(f"/library/{excluded.id}").text
    assert "Not for you now" in html
    for reason in suits_you(person.store, person.catalogue, person.today())[excluded.id].reasons:
        assert reason.replace("'", "&#39;") in html
    bridge = client.get("/library/bridge").text
    assert 'src="/figures/bridge/moving.svg"' in bridge
    assert "lying on your back" in bridge and "supine" not in bridge  # everyday words
    for step in person.catalogue.get("bridge").steps:
        assert step.text.replace("'", "&#39;") in bridge
    missing = client.get("/library/no-such-thing")
    assert missing.status_code == 404


def test_figures_are_svg_and_unknown_ones_are_404(client: TestClient) -> None:
    still = client.get("/figures/bridge.svg")
    moving = client.get("/figures/bridge/moving.svg")
    for response in (still, moving):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.text.startswith("<svg")
    assert "<animate" in moving.text and "<animate" not in still.text
    assert client.get("/figures/nothing.svg").status_code == 404


def test_progress_shows_a_session_with_its_stop(client: TestClient, person: PersonContext) -> None:
    assert "No sessions yet" in client.get("/progress").text
    ready_to_exercise(person, minutes=10)
    live = begin(person.store, person.catalogue, person.today, "auto", now=0.0)
    stopped = live.plan.items[1].exercise_id
    answers = AutoAnswers(
        pain_before=2, exercises={stopped: ExerciseAnswer(pain=2, sharp=True, rating="too-hard")}
    )
    run_auto(live, answers, speed=0, start_clock=0.0)
    html = client.get("/progress").text
    assert "Finished" in html and "2 before" in html
    assert f"Stopped to look after your back: {person.catalogue.get(stopped).name}" in html
    assert "1</span>" in html  # one session in all


def test_progress_counts_a_session_on_an_unplanned_day_kindly(tmp_path: Path) -> None:
    saturday = "2026-11-07"  # the profile's only day, Monday, has gone by this week
    app = create_app(make_settings(tmp_path, today=saturday))
    person = person_of(app)
    ready_to_exercise(person, minutes=5, days=["mon"])
    run_auto(
        begin(person.store, person.catalogue, person.today, "auto", now=0.0),
        AutoAnswers(pain_before=2),
        speed=0,
        start_clock=0.0,
    )
    assert (
        progress_summary(person.store, person.catalogue, person.today())["adherence"]["weeks"][-1][
            "planned"
        ]
        == 0
    )
    html = client_for(app).get("/progress").text
    stat = re.search(
        r'<span class="stat-value">([^<]*)</span>\s*<span class="stat-label">this week', html
    )
    assert stat is not None and stat[1] == "1"  # not "1 of 0"
    assert "Saturday 07 November 2026" in html  # the session's day in words


def test_forget_needs_the_word_and_then_deletes_everything(
    client: TestClient, person: PersonContext
) -> None:
    ready_to_exercise(person, minutes=12)
    wrong = post_form(client, "/settings", "/settings/forget", {"confirm": "yes"})
    assert wrong.status_code == 400
    assert "Nothing was deleted" in wrong.text
    assert has_profile(person.store) and person.store.current_screen() is not None
    right = post_form(client, "/settings", "/settings/forget", {"confirm": "Forget"})
    assert right.headers["location"].startswith("/settings?forgotten=")
    assert not has_profile(person.store) and person.store.current_screen() is None
    assert "Everything was deleted" in client.get(right.headers["location"]).text


@pytest.mark.parametrize("path", PAGES)
def test_pages_keep_to_the_content_security_policy(
    client: TestClient, person: PersonContext, path: str
) -> None:
    ready_to_exercise(person)
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    token = client.cookies["backcoach_csrf"]
    assert f'<meta name="csrf-token" content="{token}">' in html
    assert re.findall(r'name="csrf_token" value="([^"]*)"', html) == [token] * html.count(
        '<form method="post"'
    )
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "a resource from another origin"


def test_every_problem_in_the_profile_form_is_shown_at_once(
    client: TestClient, person: PersonContext
) -> None:
    """Issue 15: one error at a time, not next to its field, and no day ticked saved silently."""
    update_profile(person.store, minutes=12)
    data = {"minutes": "abc", "reminder_time": "25:00"}  # and no day ticked
    response = post_form(client, "/profile", "/profile", data)
    assert response.status_code == 400
    html = response.text
    assert "Please check these 3 things" in html
    for field in ("minutes", "days", "reminder_time"):
        assert f'id="{field}-problem"' in html, field
    assert "tick at least one day" in html
    assert load_profile(person.store).minutes == 12


def test_no_day_ticked_is_not_saved(client: TestClient, person: PersonContext) -> None:
    update_profile(person.store, days=["mon", "thu"])
    response = post_form(
        client, "/profile", "/profile", {"minutes": "15", "reminder_time": "18:00"}
    )
    assert response.status_code == 400 and "tick at least one day" in response.text
    assert load_profile(person.store).days == ["mon", "thu"]


@pytest.mark.parametrize("page", ["/welcome", "/screen"])
def test_pages_outside_the_menu_mark_no_menu_entry(client: TestClient, page: str) -> None:
    html = client.get(page).text
    assert 'aria-current="page"' not in html.split("</nav>", 1)[0]


def test_the_library_lists_exercises_by_name_and_loads_pictures_as_they_come(
    client: TestClient,
) -> None:
    html = client.get("/library").text
    names = re.findall(r'<span class="library-name">([^<]+)</span>', html)
    assert len(names) == 30
    assert names == sorted(names, key=str.casefold)
    images = re.findall(r'<img class="figure"[^>]*>', html)
    assert len(images) == 30
    assert all('loading="lazy"' not in image for image in images[:2])
    assert all('loading="lazy"' in image for image in images[2:])
