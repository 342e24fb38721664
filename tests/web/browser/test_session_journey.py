"""The whole journey in a real browser on a sped-up clock: onboarding through the pages, then a
session with pain check-ins and ratings as big buttons, a pain report that triggers a stop
rule, a reload that resumes, spoken cues, keyboard use, and the progress page showing the
session afterwards."""

from __future__ import annotations

import time
from typing import Any

import pytest

from backcoach.safety.signs import SIGN_IDS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from tests.web.browser.conftest import PHONE, answer_screen, screenshot

CLOCK_SPEED = 40
"""Session seconds per real second: a 5-minute plan runs in well under 10 s of timers."""

RECORD_SPEECH = """
window.__spoken = [];
if ('speechSynthesis' in window) {
  window.speechSynthesis.speak = (utterance) => window.__spoken.push(utterance.text);
}
"""
"""Headless Chromium has no voices: record what the page asks it to say instead."""


def visible(page: Any, panel: str) -> bool:
    return bool(page.locator(f"#{panel}").is_visible())


def screen_clear_with_short_plan(server: Any) -> None:
    person = server.person()
    take_screen(person.store, person.today(), {sign: "no" for sign in SIGN_IDS})
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    update_profile(person.store, minutes=5, days=days)


def onboard(page: Any, url: str, minutes: int) -> None:
    """A first visit through the pages: welcome, the questions (all clear), the profile."""
    page.goto(url + "/")
    page.get_by_role("link", name="Start with a few safety questions").click()
    answer_screen(page)
    page.get_by_role("button", name="See what this means").click()
    page.get_by_role("link", name="Next: a little about you").click()
    page.fill("#minutes", str(minutes))
    page.get_by_role("button", name="Save and see my plan").click()
    assert page.url.endswith("/today")


@pytest.mark.slow
def test_whole_journey_with_a_stop_rule_reload_and_progress(serve: Any, pages: Any) -> None:
    server = serve(clock_speed=CLOCK_SPEED)
    page = pages.open()
    page.add_init_script(RECORD_SPEECH)
    onboard(page, server.url, minutes=5)
    page.get_by_role("link", name="Start the session").first.click()
    assert page.url.endswith("/session")

    # The first question: pain before the session, asked on screen and aloud.
    page.locator("#p-question").wait_for()
    assert "pain" in page.locator("#q-prompt").inner_text().lower()
    screenshot(page, "10-session-pain-before")
    assert any("pain" in said.lower() for said in page.evaluate("window.__spoken"))
    # By keyboard: the focus is on the question; Tab to the score 2, Enter. The focus then
    # moves to the exercise, and Tab goes on to its buttons, not back to the top of the page.
    page.wait_for_function("() => document.activeElement.id === 'q-prompt'")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.score") == "2"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'p-name'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#p-live button') !== null")

    shots: set[str] = set()
    reported: str | None = None
    reloaded = False
    notices: list[str] = []
    controls_top: set[float] = set()
    deadline = time.monotonic() + 90
    while not visible(page, "p-finished"):
        assert time.monotonic() < deadline, "the session did not finish in time"
        if visible(page, "p-notice"):
            notices.append(page.locator("#n-title").inner_text())
            if "notice" not in shots:
                screenshot(page, "13-session-stopped")
                shots.add("notice")
            page.locator("#n-ok").click()
            if not reloaded:
                # A reload mid-session resumes where it was, paused.
                reloaded = True
                page.reload()
                page.locator("#p-live").wait_for()
                assert page.locator("#p-phase").inner_text() == "Paused"
                assert page.locator("#p-pause").inner_text() == "Resume"
                # The seconds left stand still on screen, ready for Resume.
                assert page.locator("#p-count").inner_text().strip().isdigit()
                screenshot(page, "13b-session-reloaded", full_page=False)
                page.locator("#p-pause").click()
        elif visible(page, "p-question"):
            prompt = page.locator("#q-prompt").inner_text()
            if page.locator("#q-rating").is_visible():
                if "rating" not in shots:
                    screenshot(page, "12-session-rating")
                    shots.add("rating")
                page.get_by_role("button", name="About right").click()
            elif page.locator("#q-send").is_visible():
                # The person's own report (the one with a way back) says 7; check-ins say 1.
                score = "7" if page.locator("#q-cancel").is_visible() else "1"
                page.locator(f".q-score[data-score='{score}']").click()
                if score == "7":
                    screenshot(page, "11-session-pain-report")
                page.locator("#q-send").click()
            else:
                page.locator(".q-score[data-score='1']").click()
            page.wait_for_function(
                "prompt => document.getElementById('p-question').hidden || "
                "document.getElementById('q-prompt').textContent !== prompt",
                arg=prompt,
            )
        elif visible(page, "p-live"):
            name = page.locator("#p-name").inner_text()
            top = page.locator(".p-controls").evaluate(
                "e => e.offsetParent === null ? null : e.getBoundingClientRect().top + scrollY"
            )
            if top is not None:  # null: the panel was hidden meanwhile (a question came)
                controls_top.add(top)
            if "live" not in shots and page.locator("#p-count").inner_text().strip():
                screenshot(page, "10b-session-live", full_page=False)
                shots.add("live")
                # On a phone, everything the person needs mid-exercise is on one screen,
                # "Report pain" and "End session" included.
                bottom = page.locator(".p-more").evaluate("e => e.getBoundingClientRect().bottom")
                assert bottom <= PHONE["height"], bottom
            if reported is None and page.locator("#p-where").inner_text().startswith("Exercise 2"):
                # Pain of 7 mid-exercise is above the acceptable 5: the exercise stops.
                reported = name
                page.locator("#p-pain").click()
                page.locator("#q-cancel").wait_for()
                continue
        page.wait_for_timeout(30)

    screenshot(page, "14-session-finished")
    assert reported is not None
    assert f"{reported} stopped" in notices
    # The figures are the records' (the same as history, progress and the report).
    page.wait_for_function("() => document.getElementById('f-figures').textContent.trim()")
    assert "sets done" in page.locator("#f-figures").inner_text()
    assert reported in page.locator("#f-stopped").inner_text()
    # Nothing below the timer moved while it ran: the controls kept their place (to a pixel).
    assert controls_top and max(controls_top) - min(controls_top) < 1, controls_top

    # The server saved it all: the session, its sets, the stop and the pain report.
    store = server.person().store
    session = store.sessions()[0]
    assert session.status == "finished"
    assert session.pain_before == 2
    assert any(s.complete for s in store.sets(session.id))
    stopped = [o for o in store.outcomes(session.id) if o.outcome == "stopped"]
    assert len(stopped) == 1
    assert any(p.score == 7 for p in store.pain_reports(session.id))

    page.goto(server.url + "/progress")
    row = page.locator(".session-row").first
    assert "Finished" in row.inner_text()
    assert reported in row.inner_text()
    screenshot(page, "15-progress")


@pytest.mark.slow
def test_speech_toggle_is_remembered(serve: Any, pages: Any) -> None:
    server = serve(clock_speed=CLOCK_SPEED)
    screen_clear_with_short_plan(server)
    page = pages.open()
    page.add_init_script(RECORD_SPEECH)
    page.goto(server.url + "/session")
    page.locator("#p-question").wait_for()
    assert page.evaluate("window.__spoken.length") >= 1
    page.locator("#p-speech").uncheck()
    page.reload()
    page.locator("#p-question").wait_for()
    assert not page.locator("#p-speech").is_checked()
    page.locator(".q-score[data-score='0']").click()
    page.locator("#p-live").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__spoken") == []
