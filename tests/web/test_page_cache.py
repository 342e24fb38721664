"""Today's page kept under the person's revision tag (web.page_cache, records.revision): a
reload answers with the page already made, and anything written to the person's records, by
this process or another one on the same database, shows on the next view. A warning sign
reported from elsewhere stops the plan at once; each client gets its own CSRF token."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backcoach.app import AppContext, PersonContext
from backcoach.safety.signs import SIGN_IDS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.services.sessions import begin
from backcoach.web.app import create_app
from tests.web.conftest import ALL_NO, BASE_URL, make_settings, ready_to_exercise


def another_process(app: FastAPI) -> PersonContext:
    """The same person through another application context (its own engine), as a second
    server process or the terminal would reach them."""
    context: AppContext = app.state.app_context
    return AppContext(context.settings).person()


def meta_token(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', html)
    assert match
    return match.group(1)


def test_a_reload_is_answered_from_the_kept_page_with_its_own_token(
    db_url: str, tmp_path: Path
) -> None:
    app = create_app(make_settings(tmp_path, db_url))
    ready_to_exercise(another_process(app))
    first, second = TestClient(app, base_url=BASE_URL), TestClient(app, base_url=BASE_URL)
    page = first.get("/today").text
    assert 'class="plan-item' in page
    assert len(app.state.page_cache) == 1
    again = second.get("/today").text
    assert len(app.state.page_cache) == 1  # the same page, not another
    mine, theirs = first.cookies["backcoach_csrf"], second.cookies["backcoach_csrf"]
    assert mine != theirs
    assert meta_token(page) == mine and meta_token(again) == theirs
    assert again.replace(theirs, mine) == page


def test_writes_from_another_process_show_on_the_next_view(db_url: str, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, db_url))
    other = another_process(app)
    ready_to_exercise(other, minutes=10)
    client = TestClient(app, base_url=BASE_URL)
    before = client.get("/today").text
    assert "Start the session" in before

    update_profile(other.store, minutes=25)
    longer = client.get("/today").text
    assert longer != before

    begin(other.store, other.catalogue, other.today, mode="guided", now=0.0)
    assert "Carry on" in client.get("/today").text


def test_a_warning_sign_reported_elsewhere_stops_the_kept_plan(db_url: str, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, db_url))
    other = another_process(app)
    ready_to_exercise(other)
    client = TestClient(app, base_url=BASE_URL)
    assert 'class="plan-item' in client.get("/today").text

    answers = {**dict.fromkeys(SIGN_IDS, "no"), "bladder_change": "yes"}
    take_screen(other.store, other.today(), answers)
    today = client.get("/today").text
    assert 'class="plan-item' not in today and 'href="/session"' not in today
    assert "emergency" in today.lower()

    take_screen(other.store, other.today(), ALL_NO)
    assert 'class="plan-item' in client.get("/today").text
