"""A question on screen stays as the person left it while they think (a real Chromium): the
player hears from the server every few seconds, and redrawing the question then dropped the
score picked and the answers to the flags before "Send" was tapped."""

from __future__ import annotations

from typing import Any

import pytest

from backcoach.clinic.programmes import ProgrammeItem
from tests.web.browser.test_player_now import PHONE_WITH_BARS, answer, ready

HEARTBEAT_SECONDS = 5
"""The player's heartbeat (main.js, HEARTBEAT_MS)."""


@pytest.mark.slow
def test_a_pain_report_half_answered_survives_the_heartbeat(serve: Any, pages: Any) -> None:
    server = serve(clock_speed=1)
    ready(server, ProgrammeItem(exercise_id="bridge", sets=2, reps=10, hold_seconds=5))
    page = pages.open(PHONE_WITH_BARS)
    page.goto(server.url + "/session")
    page.locator("#p-question").wait_for()
    answer(page)  # the pain before
    page.locator("#p-live").wait_for()
    page.locator("#p-pain").click()  # a pain report of their own: a score and three flags
    page.locator("#p-question").wait_for()
    page.locator(".q-score[data-score='3']").click()
    page.locator("input[name='flag-sharp'][value='yes']").check()
    assert page.locator("#q-send").is_enabled()

    page.wait_for_timeout((HEARTBEAT_SECONDS + 2) * 1000)  # at least one heartbeat answered

    assert page.locator(".q-score[data-score='3']").get_attribute("aria-pressed") == "true"
    assert page.locator("input[name='flag-sharp'][value='yes']").is_checked()
    assert page.locator("#q-send").is_enabled()
    page.locator("#q-send").click()
    page.wait_for_function("() => document.getElementById('p-question').hidden")
    store = server.person().store
    [session] = store.sessions()
    reports = [p for p in store.pain_reports(session.id) if p.score == 3]
    assert reports and reports[0].sharp
