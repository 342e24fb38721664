"""The person's version, drawn from its own poses, is the picture they see: in the plan (which
condition's version), the player's live view, Today, the exercise page and the handout; a
person without the condition sees the usual pictures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.body.cache import version_of
from backcoach.body.figure import plain_svg
from backcoach.reports.pdf import data_uri
from backcoach.services.documents import handout_context, handout_html
from backcoach.web.app import create_app
from tests.web.conftest import csrf_client, make_settings, person_of, ready_to_exercise

PRESS_UP = "prone-press-up"
# A profile whose plan holds the press-up (extension preference, some experience).
PROFILE: dict[str, Any] = {
    "directional_preference": "extension",
    "experience": "some",
    "goals": ["relief", "mobility"],
    "minutes": 30,
}


def _app(home: Path, conditions: list[dict[str, str]]) -> FastAPI:
    home.mkdir()
    app = create_app(make_settings(home))
    ready_to_exercise(person_of(app), conditions=conditions, **PROFILE)
    return app


@pytest.fixture
def wrist(tmp_path: Path) -> FastAPI:
    return _app(tmp_path / "wrist", [{"id": "wrist"}])


@pytest.fixture
def usual(tmp_path: Path) -> FastAPI:
    return _app(tmp_path / "usual", [])


def _press_up_item(api: TestClient) -> dict[str, Any]:
    plan = api.get("/api/plan")
    assert plan.status_code == 200, plan.text
    items = {item["exercise_id"]: item for item in plan.json()["items"]}
    assert PRESS_UP in items, list(items)
    return items[PRESS_UP]


def _view_at_press_up(api: TestClient) -> dict[str, Any]:
    """Start a session and skip ahead until the press-up is the exercise shown."""
    started = api.post("/api/sessions", json={})
    assert started.status_code in (200, 201), started.text
    view: dict[str, Any] = started.json()["view"]
    sid = view["session_id"]
    for _ in range(40):
        shown = view.get("exercise")
        if shown and shown["id"] == PRESS_UP and view["stage"] == "exercise":
            return view
        step = api.post(f"/api/sessions/{sid}/events", json={"type": "skip"})
        assert step.status_code == 200, step.text
        view = step.json()["view"]
    raise AssertionError("the press-up never came up")


def test_the_plan_carries_the_wrist_version(wrist: FastAPI) -> None:
    item = _press_up_item(csrf_client(wrist))
    assert item["version"] == "wrist"
    assert "forearms" in item["modification"]


def test_the_player_shows_the_forearm_picture_without_the_usual_version_note(
    wrist: FastAPI,
) -> None:
    view = _view_at_press_up(csrf_client(wrist))
    assert view["exercise"]["animation_url"] == (
        f"/api/exercises/{PRESS_UP}/animation.svg?version=wrist"
    )
    assert view["exercise"]["figure_url"] == f"/api/exercises/{PRESS_UP}/figure.svg?version=wrist"
    assert view["version"] and "forearms" in view["version"]
    assert view["picture_note"] is None


def test_without_the_condition_the_usual_pictures(usual: FastAPI) -> None:
    api = csrf_client(usual)
    assert _press_up_item(api)["version"] is None
    view = _view_at_press_up(api)
    assert view["exercise"]["animation_url"] == f"/api/exercises/{PRESS_UP}/animation.svg"
    today = api.get("/today").text
    assert f'src="/figures/{PRESS_UP}.svg?text=no"' in today
    page = api.get(f"/library/{PRESS_UP}").text
    assert f'src="/figures/{PRESS_UP}/moving.svg"' in page
    # The page lists the other drawn versions, each with its picture.
    assert f"/figures/{PRESS_UP}.svg?text=no&amp;version=wrist" in page


def test_today_and_the_exercise_page_show_the_persons_version(wrist: FastAPI) -> None:
    api = csrf_client(wrist)
    today = api.get("/today").text
    assert f'src="/figures/{PRESS_UP}.svg?text=no&amp;version=wrist"' in today
    page = api.get(f"/library/{PRESS_UP}").text
    assert f'src="/figures/{PRESS_UP}/moving.svg?version=wrist"' in page
    assert "Up on your forearms, hips down" in page  # the version's own pose labels


def test_the_handout_pictures_the_persons_version(wrist: FastAPI, usual: FastAPI) -> None:
    for app, drawn in ((wrist, True), (usual, False)):
        person = person_of(app)
        exercise = person.catalogue.get(PRESS_UP)
        shown = version_of(exercise, "wrist") if drawn else exercise
        context = handout_context(person.store, person.catalogue, person.today())
        card = next(c for c in context["cards"] if c["name"] == exercise.name)
        assert card["picture"] == data_uri(plain_svg(shown), "image/svg+xml")
        html = handout_html(person.store, person.catalogue, person.today())
        assert ("(as pictured)" in html) is drawn
        assert ("Up on your forearms, hips down" in html) is drawn


@pytest.mark.parametrize(
    "path",
    [
        f"/figures/{PRESS_UP}.svg",
        f"/figures/{PRESS_UP}.svg?text=no",
        f"/figures/{PRESS_UP}/moving.svg",
        f"/api/exercises/{PRESS_UP}/figure.svg",
        f"/api/exercises/{PRESS_UP}/animation.svg",
    ],
)
def test_version_pictures_are_their_own_and_unknown_ones_404(wrist: FastAPI, path: str) -> None:
    api = csrf_client(wrist)
    joiner = "&" if "?" in path else "?"
    base = api.get(path)
    version = api.get(f"{path}{joiner}version=wrist")
    assert base.status_code == version.status_code == 200
    assert version.headers["content-type"].startswith("image/svg+xml")
    assert version.text != base.text and version.headers["etag"] != base.headers["etag"]
    again = api.get(
        f"{path}{joiner}version=wrist", headers={"If-None-Match": version.headers["etag"]}
    )
    assert again.status_code == 304
    unknown = api.get(f"{path}{joiner}version=knee")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("text/plain")
    assert "no drawn version 'knee'" in unknown.text and "wrist" in unknown.text
