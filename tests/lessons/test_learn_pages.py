"""The Learn pages and today's card, through the app's own middleware on a real SQLite file:
the day's lesson on the today page (after the session's start), read and skip by form, the
kept today page made again once a lesson is read, and the person's JSON API."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.web.app import create_app
from tests.web.conftest import csrf_client, make_settings, person_of, ready_to_exercise


def _app(home: Path) -> FastAPI:
    return create_app(make_settings(home))


def _form_token(client: TestClient) -> str:
    return str(client.cookies["backcoach_csrf"])


def test_today_card_read_and_skip(web_home: Path) -> None:
    app = _app(web_home)
    ready_to_exercise(person_of(app))
    client = csrf_client(app)
    today = client.get("/today")
    assert today.status_code == 200
    page = today.text
    assert "Today’s short read" in page and "Why moving helps your back" in page
    # the session's start comes first: the lesson sits beside it, never in its place
    assert page.index('id="start"') < page.index("lesson-card")
    again = client.get("/today")
    assert again.text == page  # kept under the person's revision tag
    lesson = client.get("/learn/why-movement-helps")
    assert lesson.status_code == 200
    assert "Source: NICE guideline NG59" in lesson.text
    assert 'id="lesson-words"' in lesson.text and "/static/learn/read_aloud.js" in lesson.text
    done = client.post(
        "/learn/why-movement-helps/read",
        data={"csrf_token": _form_token(client), "back": "today"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/today"
    after = client.get("/today").text
    assert after != page, "marking a lesson read must change the person's revision"
    assert "You read this today" in after and "Not today" not in after
    learn = client.get("/learn").text
    assert learn.count('href="/learn/') >= 15 + 1
    assert re.search(
        r"Why moving helps your back</a>\s*<span class=\"small\">· 2 min · read", learn
    )
    # a form from elsewhere cannot send the person anywhere but our pages
    odd = client.post(
        "/learn/scans/skip",
        data={"csrf_token": _form_token(client), "back": "https://example.org"},
        follow_redirects=False,
    )
    assert odd.headers["location"] == "/learn/scans"


def test_skipping_today_leaves_the_day_without_another(web_home: Path) -> None:
    app = _app(web_home)
    ready_to_exercise(person_of(app))
    client = csrf_client(app)
    skipped = client.post(
        "/learn/why-movement-helps/skip",
        data={"csrf_token": _form_token(client), "back": "today"},
        follow_redirects=False,
    )
    assert skipped.status_code == 303
    today = client.get("/today").text
    assert "You skipped today" in today and "Another one comes tomorrow" in today
    api = client.get("/api/lessons/today").json()
    assert api["why"] == "skipped" and api["lesson"]["id"] == "why-movement-helps"


def test_unknown_lesson_and_the_json_api(web_home: Path) -> None:
    app = _app(web_home)
    client = csrf_client(app)
    assert client.get("/learn/no-such-thing").status_code == 404
    listed = client.get("/api/lessons").json()
    assert len(listed) == 15
    assert set(listed[0]) == {"id", "title", "topics", "minutes", "sources", "text"}
    bad = client.post("/api/lessons/no-such-thing/read")
    assert bad.status_code == 404 and bad.json()["detail"]["code"] == "no-such-lesson"
    assert client.post("/api/lessons/scans/read").json() == {
        "id": "scans",
        "read_on": "2026-11-02",
    }
    assert client.get("/api/lessons/today").json()["lesson"]["id"] == "scans"


def test_html_in_an_own_lesson_is_shown_as_text(web_home: Path) -> None:
    folder = web_home / "lessons"
    folder.mkdir()
    (folder / "mine.md").write_text(
        "---\nid: mine\ntitle: Mine\ntopics: [x]\nminutes: 1\nsources:\n"
        "  - key: me\n    cite: My notes\n---\n"
        "Hello <script>alert(1)</script> there.\n[sources: me]\n"
    )
    client = csrf_client(_app(web_home))
    page = client.get("/learn/mine").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
