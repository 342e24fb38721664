"""The patient's note after a session, in a real browser on a phone (clinic mode, PostgreSQL, a
real uvicorn server, Debian's Chromium): the invite redeemed on the phone, a short session
ended, the note box with its length shown, a refusal of an empty note, the note written while
offline kept and sent once the connection is back with "Sent - your physiotherapist will see
it", and the clinician reading it on the patient's page. Personal mode has no note box."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Error as PlaywrightError

from backcoach.clinic import AddedPatient, Clinic
from backcoach.clinic.settings import PUBLIC_URL_VARIABLE
from backcoach.records.tables import SessionRow
from backcoach.safety.signs import SIGN_IDS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.web.api_clinician import COMMENT_MAX
from backcoach.web.app import create_app
from tests.clinic.conftest import PASSWORD
from tests.web.browser.conftest import (  # noqa: F401 (fixtures)
    DESKTOP,
    PHONE,
    Pages,
    browser,
    pages,
    screenshot,
)
from tests.web.conftest import ALL_NO, csrf_client, free_port, make_settings

pytestmark = pytest.mark.postgres
ANA = "ana@example.org"
CLOCK_SPEED = 40
"""Session seconds per real second."""
NOTE = "The bridge hurt a little on the left side, the rest was fine."


@dataclass
class Server:
    url: str
    app: FastAPI


@pytest.fixture
def server(
    tmp_path: Path, pg_url: str, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Server]:
    """``serve --clinic`` in this process: a real uvicorn on 127.0.0.1 whose public address is
    itself (a browser keeps Secure cookies from http://127.0.0.1, a secure context), the
    test's clinic on it, jobs in-process."""
    import uvicorn

    port = free_port()
    monkeypatch.setenv(PUBLIC_URL_VARIABLE, f"http://127.0.0.1:{port}")
    monkeypatch.setenv("BACKCOACH_JOBS", "in-process")
    settings = make_settings(tmp_path / "home", pg_url)
    app = create_app(settings, clock_speed=CLOCK_SPEED, port=port, clinic=True)
    app.state.clinic = clinic
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    yield Server(f"http://127.0.0.1:{port}", app)
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def bo(clinic: Clinic, server: Server) -> AddedPatient:
    """Bo, in Ana's care, screened clear with a 5-minute plan every day."""
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    added = clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email=ANA)
    store = server.app.state.app_context.person(added.patient_id).store
    take_screen(store, dt_today(server), {sign: "no" for sign in SIGN_IDS})
    update_profile(store, minutes=5, days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    return added


def dt_today(server: Server) -> Any:
    return server.app.state.app_context.settings.today()


def visible(page: Any, panel: str) -> bool:
    return bool(page.locator(f"#{panel}").is_visible())


def until_finished(page: Any, seconds: float = 30) -> None:
    """Answer what the session asks (pain 1, "About right") and end it at the first exercise;
    back when the finish screen shows."""
    deadline = time.monotonic() + seconds
    ended = False
    while not visible(page, "p-finished"):
        assert time.monotonic() < deadline, "the session did not reach its finish screen"
        if visible(page, "p-notice"):
            page.locator("#n-ok").click()
        elif visible(page, "p-question"):
            # Each question draws new buttons: wait for the one used to go (or be hidden). The
            # player may redraw the question between finding a button and clicking it: then
            # the button found is gone, and the loop finds the new one.
            rating = page.locator("#q-rating").is_visible()
            if rating:
                used = page.get_by_role("button", name="About right").element_handle()
            else:
                used = page.locator(".q-score[data-score='1']").element_handle()
            try:
                used.click(timeout=2_000)
            except PlaywrightError:
                continue
            send = page.locator("#q-send")
            if not rating and send.is_visible() and send.is_enabled():  # a question with flags
                # The score may already have been taken and the next question drawn, its Send
                # not yet enabled: then the loop answers that one.
                try:
                    send.click(timeout=2_000)
                except PlaywrightError:
                    continue
            page.wait_for_function(
                "button => !button.isConnected || button.closest('[hidden]') !== null", arg=used
            )
        elif visible(page, "p-live") and not ended:
            page.locator("#p-end").click()
            page.locator("#p-end").click()
            ended = True
        page.wait_for_timeout(30)


def signed_in_staff(pages: Pages, server: Server) -> Any:  # noqa: F811
    """A desktop browser page with Ana signed in through the sign-in page."""
    desk = pages.open(DESKTOP)
    desk.goto(f"{server.url}/signin")
    desk.fill("#email", ANA)
    desk.fill("#password", PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.wait_for_url(f"{server.url}/clinician**")
    return desk


def test_the_note_after_a_session_reaches_the_clinician(
    server: Server,
    bo: AddedPatient,
    pages: Pages,  # noqa: F811 (the fixture imported above)
) -> None:
    phone = pages.open(PHONE)
    phone.goto(f"{server.url}/invite#code={bo.invite_code}")
    phone.fill("#birth_year", "1980")
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_url(f"{server.url}/**")
    phone.goto(f"{server.url}/session")
    until_finished(phone)

    box = phone.locator("#f-comment-text")
    assert box.is_visible()
    assert box.get_attribute("maxlength") == str(COMMENT_MAX)
    count = phone.locator("#f-comment-count")
    assert count.inner_text() == f"0 of {COMMENT_MAX} characters"
    status = phone.locator("#f-comment-status")

    # nothing written: said plainly, nothing sent
    phone.get_by_role("button", name="Send the note").click()
    assert "Write a few words first" in status.inner_text()

    # written and sent without a connection: kept, then sent once the connection is back
    box.fill(NOTE)
    assert count.inner_text() == f"{len(NOTE)} of {COMMENT_MAX} characters"
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Send the note").click()
    phone.wait_for_function(
        "() => document.getElementById('f-comment-status').textContent.includes('No connection')",
        timeout=10_000,
    )
    screenshot(phone, "clinic-comment-offline")
    phone.context.set_offline(False)
    phone.wait_for_function(
        "() => document.getElementById('f-comment-status').textContent.startsWith('Sent')",
        timeout=15_000,
    )
    assert status.inner_text() == "Sent \u2014 your physiotherapist will see it."
    screenshot(phone, "clinic-comment-sent")

    # saved once, on Bo's own finished session
    store = server.app.state.app_context.person(bo.patient_id).store
    with store.reading() as db:
        rows = db.query(SessionRow).all()
        assert [(r.status != "in-progress", r.comment) for r in rows] == [(True, NOTE)]

    # Ana reads it on Bo's page
    desk = signed_in_staff(pages, server)
    desk.goto(f"{server.url}/clinician/patients/{bo.patient_id}")
    assert desk.locator("blockquote.comment").inner_text() == NOTE
    assert f"Comment: \u201c{NOTE}\u201d" in desk.locator("#flags").inner_text()
    screenshot(desk, "clinic-comment-clinician")


def test_personal_mode_has_no_note_box(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "home"), test_client=True)
    client = csrf_client(app)
    assert client.post("/api/screen", json={"answers": ALL_NO}).status_code == 200
    assert client.put("/api/profile", json={"minutes": 5}).status_code == 200
    page = client.get("/session")
    assert page.status_code == 200 and 'id="p-finished"' in page.text
    assert "f-comment" not in page.text and "A note for your physiotherapist" not in page.text


def test_the_builder_sets_a_review_date(
    server: Server,
    bo: AddedPatient,
    pages: Pages,  # noqa: F811 (the fixture imported above)
) -> None:
    """Not the note, but the same clinic in a browser: the programme builder's review date
    (builder.js) is sent, refused plainly when in the past, and shown once saved."""
    desk = signed_in_staff(pages, server)
    page = f"{server.url}/clinician/patients/{bo.patient_id}/programme"
    desk.goto(page)
    review = desk.locator("input[name='review_date']")
    assert review.get_attribute("min") == "2026-11-02"
    assert review.get_attribute("max") == "2027-11-03"
    status = desk.locator(".builder-status")
    pages.expect_failure("POST", f"/api/clinic/patients/{bo.patient_id}/programme", 422)
    review.fill("2026-10-01")
    desk.get_by_role("button", name="Save and assign").click()
    desk.wait_for_function(
        "() => document.querySelector('.builder-status').textContent.startsWith('Not saved')"
    )
    assert "review_date: 2026-10-01 is in the past" in status.inner_text()
    review.fill("2026-12-14")
    desk.get_by_role("button", name="Save and assign").click()
    desk.wait_for_function(
        "() => document.querySelector('.builder-status').textContent.startsWith('Saved')"
    )
    assert status.inner_text().endswith("review on 2026-12-14")
    assert desk.locator("input[name='review_date']").input_value() == "2026-12-14"
    desk.goto(page)
    assert desk.locator(".review-date").inner_text() == "Review date: 14 December 2026"
