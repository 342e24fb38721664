""" "Watch me" in a real Chromium whose camera plays the leg-raise video ("Fitness Basic Dataset,
Infinity AI, CC BY 4.0", tests/data/media/README.md): the player offers it, the person turns it
on, the preview runs, and the coach's count rises on the page; turning it off stops the camera.
The page only ever talks to its own server (the Pages guards)."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backcoach.clinic.programmes import ProgrammeItem
from tests.web.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Pages, screenshot
from tests.web.browser.test_player_now import PHONE_WITH_BARS, answer, ready

ROOT = Path(__file__).resolve().parents[3]
NAME = "legraise_000000.mp4"
SHARED = ROOT.parent / "shared/data/media" / NAME
VIDEO = SHARED if SHARED.is_file() else ROOT / "tests/data/media" / NAME
EXAMPLE = ROOT / "examples/exercises/leg-raise.yaml"
AT_YOUR_PACE = "At your pace"
"""In the countdown's place while the reps wait for the camera's count (player/view.js)."""
FONT_SIZE = "() => parseFloat(getComputedStyle(document.getElementById('p-count')).fontSize)"


def y4m_of(video: Path, out: Path) -> Path:
    """The video as Chromium's fake camera reads it: YUV4MPEG2, 4:2:0, each frame's I420."""
    import cv2

    capture = cv2.VideoCapture(str(video))
    with out.open("wb") as y4m:
        y4m.write(b"YUV4MPEG2 W224 H224 F24:1 Ip A1:1 C420jpeg\n")
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            y4m.write(b"FRAME\n" + cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes())
    capture.release()
    return out


@pytest.fixture
def camera_pages(playwright: Any, tmp_path: Path) -> Iterator[Pages]:
    """Pages of a Chromium of its own whose camera is the video (the shared browser has none),
    from the test process's one Playwright."""
    fake = y4m_of(VIDEO, tmp_path / "legraise.y4m")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={fake}",
        ],
    )
    opened = Pages(browser)
    try:
        yield opened
        assert opened.blocked == [], f"requests to other origins were made: {opened.blocked}"
        assert opened.console_errors == [], f"errors in the console: {opened.console_errors}"
        assert opened.failed == [], f"requests that failed: {opened.failed}"
    finally:
        opened.close()
        browser.close()


@pytest.mark.slow
@pytest.mark.skipif(not VIDEO.is_file(), reason=f"{VIDEO} is not here")
def test_watch_me_counts_the_leg_raises_on_the_page(serve: Any, camera_pages: Pages) -> None:
    server = serve(clock_speed=1)
    (server.home / "exercises").mkdir(exist_ok=True)
    shutil.copy(EXAMPLE, server.home / "exercises" / "leg-raise.yaml")
    ready(server, ProgrammeItem(exercise_id="leg-raise", sets=1, reps=30))
    page = camera_pages.open(PHONE_WITH_BARS)
    page.goto(server.url + "/session")
    page.locator("#p-question").wait_for()
    answer(page)  # the pain before
    page.locator("#p-live").wait_for()
    toggle = page.locator("#p-watch-toggle")
    toggle.wait_for()
    assert toggle.inner_text() == "Watch me" and toggle.get_attribute("aria-pressed") == "false"
    note = page.locator("#p-watch-note").inner_text()
    assert "stay on your computer and are never kept" in note
    # Off by default: the tap target and End session keep their place on a phone.
    assert page.evaluate("scrollY") == 0
    toggle.click()
    page.locator("#p-watch-video").wait_for()
    assert toggle.get_attribute("aria-pressed") == "true"
    status = page.locator("#p-watch-status")
    deadline = time.monotonic() + 90
    counted = 0
    while time.monotonic() < deadline:
        found = re.search(r"(\d+) repetitions? counted", status.inner_text())
        counted = int(found.group(1)) if found else 0
        if counted >= 2:
            break
        page.wait_for_timeout(250)
    assert counted >= 2, f"the count did not rise: {status.inner_text()!r}"
    playing = page.evaluate("document.getElementById('p-watch-video').videoWidth")
    assert playing == 224
    screenshot(page, "60-watch-me-390x664", full_page=True)
    toggle.click()
    assert toggle.inner_text() == "Watch me"
    assert page.evaluate("document.getElementById('p-watch-video').srcObject") is None


COUNTED = """
window.__counted = 0;
const pageFetch = window.fetch.bind(window);
window.fetch = async (...args) => {
  const response = await pageFetch(...args);
  if (String(args[0]).includes('/camera/frames')) {
    response.clone().json().then((a) => {
      if (a && typeof a.reps === 'number') window.__counted = a.reps;
    }).catch(() => undefined);
  }
  return response;
};
"""
"""Keeps the coach's count from its answers (the status line says other things too)."""


def _reading(page: Any) -> tuple[str, int | None, int, str]:
    """(phase, rep shown, repetitions the coach counted, countdown shown)."""
    text = page.evaluate(
        "() => ['p-phase', 'p-rep', 'p-count'].map("
        "id => document.getElementById(id).textContent.trim())"
    )
    rep = re.search(r"Rep (\d+)", text[1])
    counted: int = page.evaluate("window.__counted")
    return text[0], int(rep.group(1)) if rep else None, counted, text[2]


@pytest.mark.slow
@pytest.mark.skipif(not VIDEO.is_file(), reason=f"{VIDEO} is not here")
def test_while_watched_the_reps_follow_the_count_not_the_timer(
    serve: Any, camera_pages: Pages
) -> None:
    """At 3x the session clock a leg raise's timer gives 1.3 s a repetition; the video's take
    about 2.1 s. Once the coach sees the person the countdown goes and each repetition ends on
    the coach's count: the reps shown rise with the count, not with the timer."""
    server = serve(clock_speed=3)
    (server.home / "exercises").mkdir(exist_ok=True)
    shutil.copy(EXAMPLE, server.home / "exercises" / "leg-raise.yaml")
    ready(server, ProgrammeItem(exercise_id="leg-raise", sets=1, reps=60))
    page = camera_pages.open(PHONE_WITH_BARS)
    page.add_init_script(COUNTED)
    page.goto(server.url + "/session")
    page.locator("#p-question").wait_for()
    answer(page)  # the pain before
    page.locator("#p-live").wait_for()
    page.locator("#p-watch-toggle").click()
    page.locator("#p-watch-video").wait_for()
    # A countdown's box, to compare with the box while the reps wait for the count.
    page.wait_for_function("() => /^\\d+$/.test(document.getElementById('p-count').textContent)")
    counting_box = page.locator("#p-count").bounding_box()
    counting_font = page.evaluate(FONT_SIZE)
    # The camera sees the person: the movement waits for its count (no countdown: the box says
    # "At your pace" in its place, smaller, and nothing below it moves).
    page.wait_for_function(
        "() => document.getElementById('p-phase').textContent === 'Move' && "
        f"document.getElementById('p-count').textContent === '{AT_YOUR_PACE}'",
        timeout=90_000,
    )
    pace_box = page.locator("#p-count").bounding_box()
    assert counting_box is not None and pace_box is not None
    assert abs(pace_box["height"] - counting_box["height"]) < 1, (counting_box, pace_box)
    assert abs(pace_box["y"] - counting_box["y"]) < 1, (counting_box, pace_box)
    assert page.evaluate(FONT_SIZE) < counting_font / 2, "like the countdown, but smaller"
    fits = "() => (c => c.scrollWidth <= c.clientWidth)(document.getElementById('p-count'))"
    assert page.evaluate(fits), "At your pace fits in the box"
    _, rep0, counted0, _ = _reading(page)
    assert rep0 is not None
    began = time.monotonic()
    deadline = began + 90
    while time.monotonic() < deadline:
        phase, rep, counted, count = _reading(page)
        assert phase in ("Move", "Get ready"), f"the session left the reps: {phase!r}"
        assert rep is not None and rep - rep0 <= counted - counted0 + 1, (
            rep0,
            counted0,
            rep,
            counted,
        )
        if counted - counted0 >= 3 and time.monotonic() - began >= 6:
            break
        page.wait_for_timeout(200)
    phase, rep, counted, count = _reading(page)
    assert counted - counted0 >= 3, f"the coach did not count: {counted0} -> {counted}"
    # Each count ended a repetition; in the same time the timer alone would have run 4 or more.
    assert rep is not None and counted - counted0 - 1 <= rep - rep0 <= counted - counted0 + 1
    assert count == AT_YOUR_PACE, "no countdown while the reps follow the camera"
    page.evaluate("scrollTo(0, 0)")
    screenshot(page, "61-watch-me-reps-follow-390x664", full_page=False)
    page.locator("#p-watch-toggle").click()  # off: back to the timer, which shows again
    page.wait_for_function("() => /^\\d+$/.test(document.getElementById('p-count').textContent)")


NO_CAMERA_API = """
Object.defineProperty(Navigator.prototype, 'mediaDevices', { get: () => undefined });
"""
"""A browser that gives a page no camera, as on a phone over plain http from the network."""


@pytest.mark.slow
def test_without_a_secure_connection_it_says_to_open_the_https_link(
    serve: Any, pages: Pages
) -> None:
    server = serve(clock_speed=1)
    (server.home / "exercises").mkdir(exist_ok=True)
    shutil.copy(EXAMPLE, server.home / "exercises" / "leg-raise.yaml")
    ready(server, ProgrammeItem(exercise_id="leg-raise", sets=1, reps=30))
    page = pages.open(PHONE_WITH_BARS)
    page.add_init_script(NO_CAMERA_API)
    page.goto(server.url + "/session")
    page.locator("#p-question").wait_for()
    answer(page)  # the pain before
    page.locator("#p-watch-toggle").click()
    status = page.locator("#p-watch-status")
    status.wait_for()
    text = status.inner_text()
    assert "only on the computer running backcoach or over a secure connection" in text
    assert "On a phone, open the https:// link that `backcoach serve --lan` shows." in text
    assert page.locator("#p-watch-toggle").inner_text() == "Watch me"
