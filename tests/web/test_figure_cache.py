"""Drawn figures are kept: in memory (``body.cache``, shared by the pages and the API) and by
the browser (a strong ``ETag``, ``Cache-Control``, ``304 Not Modified``); a changed exercise
file is another picture. Today's page builds its plan once for the same inputs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.body import animation, cache, figure
from backcoach.body.cache import FIGURES, FigureCache, Key
from backcoach.catalogue.loader import builtin_dir
from backcoach.services import plans as planning_service
from backcoach.services.plans import todays_plan
from backcoach.web.api_exercises import PICTURE_CACHE
from backcoach.web.app import create_app
from backcoach.web.security import CACHEABLE
from backcoach.web.templating import minutes_text
from tests.web.conftest import csrf_client, make_settings, person_of, ready_to_exercise

STILL = ("/figures/bridge.svg", "/api/exercises/bridge/figure.svg")
MOVING = ("/figures/bridge/moving.svg", "/api/exercises/bridge/animation.svg")


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with no drawing kept (the cache is the process's), and leaves none."""
    FIGURES.clear()
    yield
    FIGURES.clear()


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[object]:
    """Replace ``module.name`` with a wrapper that records each call; the calls list."""
    calls: list[object] = []
    real: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0] if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_a_figure_is_drawn_once_for_the_pages_and_the_api(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    stills = counting(monkeypatch, figure, "exercise_svg")
    movings = counting(monkeypatch, animation, "exercise_animation_svg")
    answers = [api.get(path) for path in STILL * 2]
    assert [r.status_code for r in answers] == [200] * 4
    assert len({r.text for r in answers}) == 1 and answers[0].text.startswith("<svg")
    assert len(stills) == 1  # the page route and the API route share one drawing
    moving = [api.get(path) for path in MOVING * 2]
    assert len({r.text for r in moving}) == 1 and "<animate" in moving[0].text
    assert len(movings) == 1
    assert len(stills) == 1  # bridge has key poses: the moving picture needs no still one
    assert FIGURES.hits == 6 and FIGURES.misses == 2


def test_an_exercise_without_key_poses_falls_back_to_its_still_card_once(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = person_of(api.app)
    # An exercise without key poses, as an own file may be (the built-ins all have them).
    bare = person.catalogue.get("walking-warm-up").model_copy(
        update={"id": "no-poses", "key_poses": None}
    )
    person.catalogue.exercises[bare.id] = bare
    movings = counting(monkeypatch, animation, "exercise_animation_svg")
    stills = counting(monkeypatch, figure, "exercise_svg")
    first = api.get(f"/figures/{bare.id}/moving.svg")
    again = api.get(f"/api/exercises/{bare.id}/animation.svg")
    assert first.status_code == again.status_code == 200
    assert first.text == again.text == api.get(f"/figures/{bare.id}.svg").text
    # "no animation" is remembered too, and the card is drawn once for both routes
    assert len(movings) == 1 and len(stills) == 1


def test_pictures_carry_a_strong_etag_and_answer_304_without_drawing(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    tags = set()
    for path in STILL + MOVING:
        first = api.get(path)
        tag = first.headers["etag"]
        assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")
        assert first.headers["cache-control"] == PICTURE_CACHE
        tags.add(tag)
    # the same drawing under either address has one tag; still and moving differ
    assert len(tags) == 2
    still_tag = api.get(STILL[0]).headers["etag"]

    FIGURES.clear()  # a browser's copy outlives the server's memory: still no drawing
    stills = counting(monkeypatch, figure, "exercise_svg")
    for header in (still_tag, f'"other", {still_tag}', f"W/{still_tag}", "*"):
        again = api.get(STILL[0], headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b""
        assert again.headers["etag"] == still_tag
        assert again.headers["cache-control"] == PICTURE_CACHE
    assert stills == []
    other = api.get(STILL[1], headers={"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200 and other.text.startswith("<svg")
    assert len(stills) == 1
    assert api.get(MOVING[0], headers={"If-None-Match": still_tag}).status_code == 200


def test_an_unknown_picture_is_404_and_not_cacheable(api: TestClient) -> None:
    for path in ("/figures/nothing.svg", "/api/exercises/nothing/animation.svg"):
        r = api.get(path, headers={"If-None-Match": "*"})
        assert r.status_code == 404
        assert r.headers["cache-control"] == "no-store" and "etag" not in r.headers


OWN_FILE = "my-bridge.yaml"


def own_bridge(home: Path, label: str, movement_seconds: int) -> None:
    """An own exercise file: the built-in bridge under another id, with the start pose's
    caption and the movement time given."""
    text = (builtin_dir() / "bridge.yaml").read_text()
    for old, new in (
        ("id: bridge", "id: my-bridge"),
        ("name: Bridge", "name: My bridge"),
        ("label: Knees bent, feet flat", f"label: {label}"),
        ("movement_seconds: 4", f"movement_seconds: {movement_seconds}"),
    ):
        assert old in text
        text = text.replace(old, new)
    folder = home / "exercises"
    folder.mkdir(exist_ok=True)
    (folder / OWN_FILE).write_text(text)


def test_a_changed_own_exercise_file_gets_a_new_etag_and_a_fresh_picture(
    web_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stills = counting(monkeypatch, figure, "exercise_svg")
    own_bridge(web_home, "Knees bent, feet flat", 4)

    def served() -> tuple[dict[str, str], dict[str, str]]:
        # A new app, as `backcoach serve` started again reads the files again; the figure
        # cache is the process's, so it still holds what the first app drew.
        app = create_app(make_settings(web_home))
        assert "my-bridge" in person_of(app).catalogue, person_of(app).catalogue_problems
        client = csrf_client(app)
        answers = {path: client.get(path) for path in ("/figures/my-bridge.svg",
                   "/figures/my-bridge/moving.svg")}  # fmt: skip
        assert all(r.status_code == 200 for r in answers.values())
        return (
            {path: r.headers["etag"] for path, r in answers.items()},
            {path: r.text for path, r in answers.items()},
        )

    tags, pictures = served()
    assert ">Knees bent,<" in pictures["/figures/my-bridge.svg"]  # the caption, on two lines
    assert served() == (tags, pictures) and len(stills) == 1  # unchanged: kept

    own_bridge(web_home, "Knees up, feet flat", 6)
    new_tags, new_pictures = served()
    for path in tags:
        assert new_tags[path] != tags[path], path
        assert new_pictures[path] != pictures[path], path
    assert ">Knees up,<" in new_pictures["/figures/my-bridge.svg"]
    assert "Knees bent" not in new_pictures["/figures/my-bridge.svg"]
    assert len(stills) == 2  # drawn afresh, not found under the old definition

    # A browser holding the old picture asks with its old tag: it gets the new one.
    client = csrf_client(create_app(make_settings(web_home)))
    path = "/figures/my-bridge.svg"
    again = client.get(path, headers={"If-None-Match": tags[path]})
    assert again.status_code == 200 and again.headers["etag"] == new_tags[path]
    assert again.text == new_pictures[path]


def test_pictures_are_cacheable_while_pages_and_json_with_personal_data_are_not(
    app: FastAPI, api: TestClient
) -> None:
    ready_to_exercise(person_of(app))
    for path in STILL + MOVING:
        r = api.get(path)
        assert r.status_code == 200 and r.headers.get_list("cache-control") == [PICTURE_CACHE]
        assert r.headers["cache-control"].startswith("private, max-age=")
        assert CACHEABLE.match(path), path
    # the pages that show the pictures, and JSON about the person, stay out of every cache
    for path in ("/today", "/library", "/library/bridge", "/api/plan", "/api/status",
                 "/api/exercises/bridge", "/api/exercises?for_me=true"):  # fmt: skip
        r = api.get(path)
        assert r.status_code == 200, path
        assert r.headers.get_list("cache-control") == ["no-store"], path
        assert "etag" not in r.headers, path
    # the pages name the pictures by address, so the browser's copy serves them
    today = api.get("/today").text
    assert 'src="/figures/' in today and "<svg" not in today


def test_the_cache_is_bounded_in_entries_and_in_size() -> None:
    drawn: list[int] = []

    def draw(n: int, size: int = 10) -> Callable[[], str]:
        def make() -> str:
            drawn.append(n)
            return "x" * size

        return make

    small = FigureCache(max_entries=3, max_size=100)
    for n in range(5):
        small.get_or_draw(Key("still", str(n), "f"), draw(n))
    assert len(small) == 3 and small.size == 30
    small.get_or_draw(Key("still", "4", "f"), draw(4))  # kept
    small.get_or_draw(Key("still", "0", "f"), draw(0))  # the oldest went: drawn again
    assert drawn == [0, 1, 2, 3, 4, 0]
    small.get_or_draw(Key("still", "big", "f"), draw(9, 90))
    assert small.size == 100 and len(small) == 2  # room made by dropping the two oldest
    small.get_or_draw(Key("still", "huge", "f"), draw(10, 101))
    assert small.size <= 100  # larger than the whole cache: served, not kept
    assert FIGURES.max_entries < 10_000 and FIGURES.max_size <= 64 * 1024 * 1024


def test_the_shared_cache_stays_within_its_bound_through_the_routes(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FIGURES, "max_entries", 4)
    stills = counting(monkeypatch, figure, "exercise_svg")
    ids = [ex.id for ex in person_of(api.app).catalogue][:6]  # type: ignore[attr-defined]
    for exercise_id in ids:
        assert api.get(f"/figures/{exercise_id}.svg").status_code == 200
    assert len(FIGURES) == 4 and len(stills) == 6
    api.get(f"/figures/{ids[-1]}.svg")  # recent: kept
    assert len(stills) == 6
    api.get(f"/figures/{ids[0]}.svg")  # the least recently used went first
    assert len(stills) == 7 and len(FIGURES) == 4


def test_fingerprints_follow_the_definition_not_the_object(api: TestClient) -> None:
    person = person_of(api.app)
    bridge = person.catalogue.get("bridge")
    copy = bridge.model_validate_json(bridge.model_dump_json())
    assert copy is not bridge and cache.fingerprint(copy) == cache.fingerprint(bridge)
    changed = bridge.model_copy(update={"name": "Another bridge"})
    assert cache.fingerprint(changed) != cache.fingerprint(bridge)
    assert cache.still_key(bridge).tag != cache.still_key(bridge, title=True).tag
    assert cache.moving_key(bridge).tag != cache.moving_key(bridge, max_hold=2).tag


# --- today's page: read once, plan built once ----------------------------------------------


def shown(html: str) -> list[str]:
    """The exercises today's page lists, by their pictures' addresses, in order."""
    return re.findall(r'src="/figures/([^"/]+)\.svg(?:\?text=no)?"', html)


def test_todays_plan_is_built_once_for_the_same_inputs_and_again_when_they_change(
    app: FastAPI, api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    planning_service._built.clear()
    person = person_of(app)
    ready_to_exercise(person, minutes=10)
    builds = counting(monkeypatch, planning_service, "build_plan")  # as services.plans calls it
    first, second = api.get("/today"), api.get("/today")
    assert first.status_code == second.status_code == 200
    assert len(builds) == 1
    # the API's plan is the same plan, kept: not built again
    api_plan = api.get("/api/plan")
    assert api_plan.status_code == 200 and len(builds) == 1
    assert [i["exercise_id"] for i in api_plan.json()["items"]] == shown(first.text)
    # built again: what the page shows is exactly the plan services.plans.todays_plan gives
    plan = todays_plan(person.store, person.catalogue, person.today())
    assert len(builds) == 2
    assert shown(first.text) == shown(second.text) == [i.exercise_id for i in plan.items]
    assert minutes_text(plan.total_seconds) in first.text
    # a changed profile is another plan, built afresh and shown at once
    assert api.put("/api/profile", json={"minutes": 30}).status_code == 200
    longer = api.get("/today")
    assert len(builds) == 3
    plan = todays_plan(person.store, person.catalogue, person.today())
    assert shown(longer.text) == [i.exercise_id for i in plan.items] != shown(first.text)
    assert minutes_text(plan.total_seconds) in longer.text
    assert len(planning_service._built) == 2 <= planning_service.MAX_BUILT


def test_the_kept_plans_are_bounded(
    app: FastAPI, api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    planning_service._built.clear()
    monkeypatch.setattr(planning_service, "MAX_BUILT", 2)
    ready_to_exercise(person_of(app))
    for minutes in (10, 15, 20, 25):
        assert api.put("/api/profile", json={"minutes": minutes}).status_code == 200
        assert api.get("/today").status_code == 200
    assert len(planning_service._built) == 2


def test_today_still_refuses_without_a_clear_screen(api: TestClient) -> None:
    planning_service._built.clear()
    r = api.get("/today")
    assert r.status_code == 200 and "Before your plan" in r.text and "plan-item" not in r.text
    assert r.headers["cache-control"] == "no-store"
    assert not planning_service._built  # no plan was built
