"""Issue 14's journey, clicked through in two Chromium contexts on the real deployment: Caddy
with TLS in front of two ``serve --clinic`` workers on PostgreSQL (tests/clinic/proxied.py).

The clinician (a desktop browser) signs in, adds a patient on the patients page, prints the
invite sheet, builds a programme from backcoach's plan with one dose changed and a note. The
patient (a 390x844 phone) opens the invite link, gives their birth year, answers the warning
signs and the profile, and in a session reports pain of 7. The clinician sees the flag, lowers
that exercise's dose; the patient's next session shows the new dose. Every page either of them
sees is screenshotted (full page), and no patient page scrolls sideways.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.clinic.conftest import PASSWORD
from tests.clinic.proxied import (
    NEEDS,
    Deployment,
    ProxiedPages,
    Shots,
    builder_said,
    chromium,
    deployed,
)
from tests.dbfixtures import pg_schema_url
from tests.web.browser.conftest import PHONE, answer_screen

pytestmark = NEEDS

EMAIL = "ana@example.org"
PATIENT = "Bo Chen"
BIRTH_YEAR = "1980"
NOTE = "Slowly, and breathe out as you lift."
RECORD_PRINT = "window.__printed = 0; window.print = () => { window.__printed += 1; };"
"""Headless Chromium has no printer: record that the page asked to print instead."""


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    for url in pg_schema_url():
        with deployed(tmp_path, url) as running:
            running.add_clinician(EMAIL, "Ana Silva")
            yield running


@pytest.fixture
def pages(playwright: Any, deployment: Deployment) -> Iterator[ProxiedPages]:
    with chromium(playwright, deployment.authority) as browser:
        opened = ProxiedPages(browser, deployment.url)
        try:
            yield opened
        finally:
            opened.close()
        opened.check()


def reachable(page: Any, selector: str) -> None:
    """The control is on the phone's screen width, not cut off at either side."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)


def builder_ready(page: Any) -> None:
    page.get_by_role("button", name="Start from backcoach's plan").wait_for()


def item_row(page: Any, name: str) -> Any:
    return page.locator("#builder ol.items > li").filter(
        has=page.locator("strong", has_text=re.compile(f"^{re.escape(name)}$"))
    )


def saved(page: Any, version: int) -> str:
    """What the builder says it saved (the page loads again after a save)."""
    said = builder_said(page)
    assert said.startswith(f"Saved version {version}:"), said
    builder_ready(page)
    return said


def first_live_exercise(page: Any, shot: Shots | None = None, asked: str = "") -> tuple[str, str]:
    """Answer what the player asks first: after a stopped exercise, whether the pain settled
    (yes; screenshotted as ``asked``), then the pain before the session (2). The first
    exercise's name and where the session is (``Exercise 1 of 4 · Set 1 of 3``)."""
    page.locator("#p-before, #p-question, #p-problem, #p-finished").locator(
        "visible=true"
    ).wait_for()
    for unexpected in ("#p-problem", "#p-finished"):
        shown = page.locator(unexpected)
        assert not shown.is_visible(), f"{unexpected}: {shown.inner_text()}"
    if page.locator("#p-before").is_visible():
        assert page.locator("#b-title").inner_text() == "About last time"
        if shot:
            shot(page, asked)
        reachable(page, "#b-yes")
        page.locator("#b-yes").click()
    page.locator("#p-question").wait_for()
    page.locator(".q-score[data-score='2']").click()
    page.locator("#p-live").wait_for()
    page.wait_for_function("() => document.getElementById('p-where').textContent.trim() !== ''")
    return page.locator("#p-name").inner_text(), page.locator("#p-where").inner_text()


def end_session(page: Any) -> None:
    """End the session early (two taps), answering what it asks on the way out (pain now: 3;
    how it felt: about right)."""
    page.locator("#p-end").click()
    page.locator("#p-end", has_text="Tap again to end").wait_for()
    page.locator("#p-end").click()
    deadline = time.monotonic() + 20
    while not page.locator("#p-finished").is_visible():
        assert time.monotonic() < deadline, "the session did not finish"
        if page.locator("#p-question").is_visible():
            prompt = page.locator("#q-prompt").inner_text()
            if page.locator("#q-rating").is_visible():
                page.get_by_role("button", name="About right").click()
            else:
                page.locator(".q-score[data-score='3']").click()
                if page.locator("#q-send").is_visible():
                    page.locator("#q-send").click()
            page.wait_for_function(
                "prompt => document.getElementById('p-question').hidden || "
                "document.getElementById('q-prompt').textContent !== prompt",
                arg=prompt,
            )
        page.wait_for_timeout(50)


def test_the_clinic_journey_in_two_browsers(
    deployment: Deployment, pages: ProxiedPages, tmp_path: Path
) -> None:
    shot = Shots(tmp_path / "screenshots")
    clinician = pages.desktop()
    clinician.add_init_script(RECORD_PRINT)

    # --- the clinician signs in ---------------------------------------------------------------
    clinician.goto("/clinician")
    assert clinician.url.startswith(deployment.url + "/signin")
    shot(clinician, "01-clinician-signin")
    clinician.get_by_label("E-mail").fill(EMAIL)
    clinician.get_by_label("Password").fill(PASSWORD)
    clinician.get_by_role("button", name="Sign in").click()
    clinician.wait_for_url("**/clinician")
    assert "Signed in as Ana Silva" in clinician.locator(".lead").inner_text()
    shot(clinician, "02-clinician-no-patients")

    # --- adds a patient on the patients page and prints the invite sheet ------------------------
    clinician.get_by_label("Name", exact=True).fill(PATIENT)
    clinician.get_by_label("Year of birth").fill(BIRTH_YEAR)
    clinician.get_by_role("button", name="Add and make the invite").click()
    clinician.get_by_role("heading", name=f"Invite for {PATIENT}").wait_for()
    code = clinician.locator("#invite-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code), code
    sheet = clinician.locator(".invite-sheet")
    assert "Riverside Physio" in sheet.inner_text()
    assert f"{deployment.url}/invite" in sheet.inner_text()
    assert sheet.locator("svg").count() == 1  # the link as a QR code
    shot(clinician, "03-clinician-invite-sheet")
    clinician.get_by_role("button", name="Print the invite").click()
    assert clinician.evaluate("window.__printed") == 1
    clinician.emulate_media(media="print")
    assert not clinician.locator(".topbar").is_visible()  # only the sheet is printed
    assert not clinician.get_by_role("button", name="Print the invite").is_visible()
    assert clinician.locator("#invite-code").is_visible()
    shot(clinician, "04-clinician-invite-printed")
    clinician.emulate_media(media="screen")

    # --- builds the programme from backcoach's plan: one dose changed, one note ---------------
    clinician.get_by_role("link", name="Build their programme").click()
    builder_ready(clinician)
    clinician.get_by_role("button", name="Start from backcoach's plan").click()
    first = clinician.locator("#builder ol.items > li").first
    exercise = first.locator("strong").first.inner_text()
    sets = first.get_by_label("Sets")
    changed = max(int(sets.input_value()) + 1, 3)  # shown as "Set 1 of N" from 2 sets on
    sets.fill(str(changed))
    sets.dispatch_event("change")
    note = first.get_by_label("Note for the patient")
    note.fill(NOTE)
    note.dispatch_event("change")
    shot(clinician, "05-clinician-builder-draft")
    clinician.get_by_role("button", name="Save and assign").click()
    assert saved(clinician, 1).startswith("Saved version 1: first version: ")
    summary = clinician.locator(".programme-summary").inner_text()
    assert "Version 1, saved" in summary and NOTE in summary, summary
    shot(clinician, "06-clinician-builder-saved")

    # --- the patient opens the invite link on their phone and gives their birth year -----------
    phone = pages.open(PHONE)
    phone_context = phone.context
    phone.goto(f"/invite#code={code}")
    assert phone.get_by_label("Invite code").input_value() == code
    assert "#" not in phone.url  # the code left the address bar
    shot(phone, "10-patient-invite")
    phone.get_by_label("Your year of birth").fill(BIRTH_YEAR)
    reachable(phone, "button[type=submit]")
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_url(re.compile(r"/(welcome)?$"))
    shot(phone, "11-patient-welcome")

    # the warning-sign questions and the profile, as in personal mode
    phone.get_by_role("link", name="Start with a few safety questions").click()
    shot(phone, "12-patient-screen")
    answer_screen(phone)
    phone.get_by_role("button", name="See what this means").click()
    shot(phone, "13-patient-screen-result")
    phone.get_by_role("link", name="Next: a little about you").click()
    shot(phone, "14-patient-profile")
    phone.fill("#minutes", "10")
    phone.get_by_role("button", name="Save and see my plan").click()
    phone.wait_for_url("**/today")
    today = phone.locator("ol.plan").inner_text()
    assert exercise in today and NOTE in today and "programme (version 1)" in today, today
    shot(phone, "15-patient-today")
    reachable(phone, "#start")

    # --- a session: pain of 7 during the first exercise ----------------------------------------
    phone.locator("#start").click()
    name, where = first_live_exercise(phone)
    assert name == exercise
    assert where.startswith("Exercise 1 of ") and f"Set 1 of {changed}" in where, where
    shot(phone, "16-patient-session")
    for control in ("#p-pause", "#p-pain", "#p-end"):
        reachable(phone, control)
    phone.locator("#p-pain").click()
    phone.locator("#q-cancel").wait_for()
    phone.locator(".q-score[data-score='7']").click()
    shot(phone, "17-patient-pain-7")
    phone.locator("#q-send").click()
    phone.locator("#p-notice").wait_for()
    assert exercise in phone.locator("#n-title").inner_text()
    shot(phone, "18-patient-stopped")
    phone.locator("#n-ok").click()
    phone.locator("#p-live").wait_for()
    end_session(phone)
    assert exercise in phone.locator("#f-stopped").inner_text()
    shot(phone, "19-patient-finished")

    # --- the clinician sees the flag and lowers that dose ----------------------------------------
    clinician.goto("/clinician")
    line = clinician.locator("table.patients tbody tr", has_text=PATIENT)
    assert int(line.locator(".flag-count").inner_text()) >= 1
    shot(clinician, "20-clinician-patients-flagged")
    clinician.get_by_role("link", name=PATIENT).click()
    flags = clinician.locator("#flags").inner_text()
    assert "Pain 7 or more" in flags, flags
    shot(clinician, "21-clinician-patient")
    pain = clinician.locator("#flags li", has_text="Pain 7 or more")
    pain.get_by_role("button", name="Mark seen").click()
    clinician.locator("#flags li", has_text="Pain 7 or more").filter(has_text="seen ").wait_for()
    clinician.get_by_role("link", name="Change the programme").click()
    builder_ready(clinician)
    # backcoach proposes a lighter dose after the stop; the clinician sets the dose instead
    proposal = clinician.locator("#builder .proposal")
    assert proposal.inner_text().startswith(f"{exercise}: lighter ("), proposal.inner_text()
    assert proposal.get_by_role("button", name="Approve").is_visible()
    assert not clinician.locator("#proposals").is_visible()  # the no-script list, hidden
    shot(clinician, "22-clinician-builder-proposal")
    row = item_row(clinician, exercise)
    lowered = row.get_by_label("Sets")
    assert int(lowered.input_value()) == changed
    lowered.fill(str(changed - 1))
    lowered.dispatch_event("change")
    clinician.get_by_role("button", name="Save and assign a new version").click()
    assert f"sets {changed} -> {changed - 1}" in saved(clinician, 2)
    shot(clinician, "23-clinician-builder-lowered")
    clinician.goto("/clinician/digest")
    assert PATIENT in clinician.locator("main").inner_text()
    shot(clinician, "24-clinician-digest")

    # --- the patient's next session shows the new dose ------------------------------------------
    # The patient opens the app again (a new tab; the one that finished the session keeps
    # showing it on /session, player/main.js).
    phone.close()
    phone = pages.open_in(phone_context)
    phone.goto("/today")
    today = phone.locator("ol.plan").inner_text()
    assert NOTE in today and "programme (version 2)" in today, today
    shot(phone, "30-patient-today-lowered")
    phone.locator("#start").click()
    # Today's session is done already: the player says so, and starts another when asked.
    phone.locator("#f-another").wait_for()
    shot(phone, "31-patient-session-over")
    reachable(phone, "#f-another")
    phone.locator("#f-another").click()
    name, where = first_live_exercise(phone, shot, "32-patient-about-last-time")
    assert name == exercise
    assert f"Set 1 of {changed - 1}" in where, where
    shot(phone, "33-patient-next-session")
