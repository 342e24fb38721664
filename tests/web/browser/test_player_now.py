"""The browser player shows what is happening now (issue 15, "The player"), in a real Chromium
on a phone the height of one with its browser bars (390x664): phase-aware cues, the person's
version in every phase, a tap that ends the phase, the pacer for cat-cow, the controls on
screen, the screen reader told at phase changes and the last three seconds only, and a second
browser after the session told that today's session is done."""

from __future__ import annotations

import time
from typing import Any

import pytest

from backcoach.clinic.programmes import Programme, ProgrammeItem
from backcoach.clinic.programmes import save as save_programme
from backcoach.safety.signs import SIGN_IDS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from tests.web.browser.conftest import screenshot

PHONE_WITH_BARS = {"width": 390, "height": 664}
"""390x844 less the address and tool bars of a real phone browser."""

WATCH = """
window.__seen = [];
window.__said = [];
const snap = () => {
  const live = document.getElementById('p-live');
  if (!live || live.hidden) return;
  const text = (id) => document.getElementById(id).textContent.trim();
  const version = document.getElementById('p-version');
  const row = {
    name: text('p-name'), phase: text('p-phase'), rep: text('p-rep'), cue: text('p-cue'),
    where: text('p-where'), tap: document.getElementById('p-tap').disabled ? '' : text('p-tap'),
    version: version && !version.hidden ? version.textContent : '',
    breath: document.getElementById('p-breath').classList.contains('is-on'),
  };
  const last = window.__seen[window.__seen.length - 1];
  if (!last || JSON.stringify(last) !== JSON.stringify(row)) window.__seen.push(row);
};
new MutationObserver(snap).observe(document, {subtree: true, childList: true,
  characterData: true, attributes: true});
document.addEventListener('DOMContentLoaded', () => {
  const region = document.getElementById('p-announce');
  if (region) new MutationObserver(() => window.__said.push(region.textContent)).observe(
    region, {subtree: true, childList: true, characterData: true});
});
"""


def ready(server: Any, *items: ProgrammeItem, conditions: list[str] | None = None) -> None:
    person = server.person()
    take_screen(person.store, person.today(), {sign: "no" for sign in SIGN_IDS})
    week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    update_profile(person.store, minutes=10, days=week, conditions=conditions or [])
    programme = Programme(items=list(items))
    save_programme(
        person.store, programme, based_on=None, by_id=None, by_name="Test", now=person.clock()
    )


def answer(page: Any) -> None:
    """Answer the question on screen: pain 1, no flags; "about right"."""
    prompt = page.locator("#q-prompt").inner_text()
    if page.locator("#q-rating").is_visible():
        page.get_by_role("button", name="About right").click()
    else:
        page.locator(".q-score[data-score='1']").click()
        if page.locator("#q-send").is_visible():
            page.locator("#q-send").click()
    page.wait_for_function(
        "prompt => document.getElementById('p-question').hidden || "
        "document.getElementById('q-prompt').textContent !== prompt",
        arg=prompt,
    )


def visible(page: Any, panel: str) -> bool:
    return bool(page.locator(f"#{panel}").is_visible())


def in_view(page: Any, selector: str) -> bool:
    """Wholly inside the viewport, without scrolling."""
    box = page.locator(selector).evaluate("e => e.getBoundingClientRect().toJSON()")
    return bool(box["top"] >= 0 and box["bottom"] <= PHONE_WITH_BARS["height"] and box["height"])


@pytest.mark.slow
def test_phases_version_tap_pacer_and_screen_reader_at_390x664(serve: Any, pages: Any) -> None:
    server = serve(clock_speed=6)
    ready(
        server,
        ProgrammeItem(exercise_id="cat-cow", sets=1, reps=2),
        ProgrammeItem(exercise_id="prone-press-up", sets=1, reps=2, hold_seconds=10),
        ProgrammeItem(exercise_id="childs-pose", sets=1, reps=2, hold_seconds=30),
        conditions=["wrist"],
    )
    page = pages.open(PHONE_WITH_BARS)
    page.add_init_script(WATCH)
    page.goto(server.url + "/session")
    page.locator("#p-question").wait_for()
    answer(page)  # the pain before
    page.locator("#p-live").wait_for()
    # On a phone with its bars, the tap target and "End session" are on screen unscrolled.
    assert page.evaluate("scrollY") == 0
    assert in_view(page, "#p-end") and in_view(page, "#p-pain") and in_view(page, "#p-tap")
    screenshot(page, "30-player-390x664", full_page=False)

    tapped = False
    deadline = time.monotonic() + 60
    while not visible(page, "p-finished"):
        assert time.monotonic() < deadline, "the session did not finish in time"
        if visible(page, "p-question"):
            answer(page)
        elif (
            visible(page, "p-live")
            and not tapped
            and page.locator("#p-name").inner_text() == ("Child's pose")
            and page.locator("#p-phase").inner_text() == "Move"
        ):
            # A tap while moving into position starts the 30 s hold; it never skips it.
            tapped = True
            assert page.locator("#p-tap").inner_text() == "Tap when you are in position"
            page.locator("#p-tap").click()
            page.wait_for_function(
                "() => document.getElementById('p-phase').textContent === 'Hold'"
            )
            assert int(page.locator("#p-count").inner_text()) >= 28
            assert page.locator("#p-rep").inner_text() == "Rep 1 of 2"
            assert page.locator("#p-tap").inner_text() == "Tap to end the hold"
            assert in_view(page, "#p-end")
            screenshot(page, "31-player-hold-version", full_page=False)
        page.wait_for_timeout(25)
    assert tapped
    seen: list[dict[str, Any]] = page.evaluate("window.__seen")

    def rows(name: str, phase: str | None = None) -> list[dict[str, Any]]:
        return [r for r in seen if r["name"] == name and (phase is None or r["phase"] == phase)]

    # Phase-aware cues: the push says push, the hold says hold, the way back says lower.
    assert any(
        r["cue"].startswith("1 of 2. Push up slowly")
        for r in rows("Press-up lying on your front", "Move")
    )
    holds = rows("Press-up lying on your front", "Hold")
    assert holds and all("Push up" not in r["cue"] and "relax" not in r["cue"] for r in holds)
    assert any(
        r["cue"] == "Lower slowly." for r in rows("Press-up lying on your front", "Come back")
    )
    # The person's version in every phase of the exercise, not only at "Get ready".
    press_up = rows("Press-up lying on your front")
    assert {r["phase"] for r in press_up} >= {"Get ready", "Move", "Hold", "Come back"}
    assert all("forearms" in r["version"] for r in press_up if r["phase"] != "Paused"), press_up
    # Cat-cow moves with the breath: its pacer runs.
    assert any(r["breath"] for r in rows("Cat and cow", "Move"))
    # A tempo note alone is never the cue.
    assert not any(
        r["cue"].lower().startswith(("move with each breath", "alternate")) for r in seen
    )

    # A screen reader hears phase changes and the last three seconds, never every second.
    assert page.locator("#p-count").get_attribute("aria-live") is None
    said: list[str] = page.evaluate("window.__said")
    numbers = [int(s) for s in said if s.strip().isdigit()]
    assert numbers and set(numbers) <= {1, 2, 3}
    assert any(s.startswith("Hold.") for s in said)

    # Two taps did not finish child's pose 2 x 30 s: its set holds the time actually held.
    store = server.person().store
    [session] = store.sessions()
    sets = {s.exercise_id: s for s in store.sets(session.id)}
    childs = sets["childs-pose"]
    assert childs.reps == 2 and childs.hold_seconds > 15


@pytest.mark.slow
def test_a_second_browser_after_the_session_is_told_it_is_done(serve: Any, pages: Any) -> None:
    server = serve(clock_speed=6)
    ready(
        server,
        ProgrammeItem(exercise_id="bridge", sets=2, reps=3, hold_seconds=3),
        ProgrammeItem(exercise_id="pelvic-tilt", sets=2, reps=3, hold_seconds=3),
    )
    page = pages.open(PHONE_WITH_BARS)
    page.goto(server.url + "/session")
    page.locator("#p-question").wait_for()
    answer(page)
    for _ in range(2):  # skip both exercises: nothing is done
        page.locator("#p-live").wait_for()
        page.locator("#p-skip").click()
        page.wait_for_timeout(200)
    page.locator("#p-question").wait_for()
    answer(page)  # the pain after
    page.locator("#p-finished").wait_for()
    title = page.locator("#f-title").inner_text()
    assert title != "Well done" and title == "Session over"
    assert "that is all right" in page.locator("#f-sets").inner_text()
    page.wait_for_function("() => document.getElementById('f-figures').textContent.trim()")
    assert page.locator("#f-figures").inner_text().startswith("0 of 4 sets done")
    screenshot(page, "32-player-nothing-done")

    # Another browser (no memory of this tab) opens the player: no new session starts.
    other = pages.open(PHONE_WITH_BARS)
    other.goto(server.url + "/session")
    other.locator("#p-finished").wait_for()
    assert other.locator("#f-today").is_visible()
    assert "done" in other.locator("#f-today").inner_text()
    store = server.person().store
    assert len(store.sessions()) == 1
    screenshot(other, "33-player-second-browser")
    other.get_by_role("button", name="Start another session").click()
    other.locator("#p-question").wait_for()
    assert len(store.sessions()) == 2
