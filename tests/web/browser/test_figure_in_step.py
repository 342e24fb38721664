"""The player's figure in step with the session (issue 16), in a real Chromium: the animated SVG
is loaded into the page with its own clock stopped, and its time follows the engine's phase.
Moving into position it advances; in the hold it stays within the SVG's hold window; paused it
does not move; with reduced motion it shows the still key pose; on the other side it is
mirrored."""

from __future__ import annotations

from typing import Any

import pytest

from backcoach.clinic.programmes import ProgrammeItem
from tests.web.browser.conftest import screenshot
from tests.web.browser.test_player_now import answer, ready

FIGURE = """() => {
  const svg = document.querySelector('#p-figure svg');
  if (!svg) return null;
  const n = (k) => Number(svg.dataset[k]);
  return {t: svg.getCurrentTime(), paused: svg.animationsPaused(),
    out: n('outSeconds'), hold: n('holdSeconds'), back: n('backSeconds'),
    cycle: n('cycleSeconds'), side: svg.dataset.movingSide || null,
    mirrored: svg.classList.contains('is-mirrored'),
    phase: document.getElementById('p-phase').textContent,
    where: document.getElementById('p-where').textContent};
}"""


def figure(page: Any) -> dict[str, Any]:
    found: dict[str, Any] | None = page.evaluate(FIGURE)
    assert found is not None, "no figure in the page"
    return found


def wait_phase(page: Any, phase: str, side: str) -> None:
    page.wait_for_function(
        "([phase, side]) => document.getElementById('p-phase').textContent === phase && "
        "document.getElementById('p-where').textContent.includes(side) && "
        "document.querySelector('#p-figure svg')",
        arg=[phase, side],
        timeout=30_000,
    )


@pytest.mark.slow
def test_the_figure_follows_move_hold_pause_and_side(serve: Any, pages: Any) -> None:
    server = serve(clock_speed=1)
    ready(
        server,
        ProgrammeItem(
            exercise_id="knee-to-chest-single", sets=1, reps=1, hold_seconds=8, per_side=True
        ),
    )
    page = pages.open()
    page.goto(server.url + "/session")
    page.locator("#p-question").wait_for()
    answer(page)  # the pain before
    page.locator("#p-live").wait_for()
    page.locator("#p-figure svg").wait_for()

    # Get ready: the first key pose, standing still, the animation's own clock stopped.
    first = figure(page)
    assert first["paused"] and first["t"] == pytest.approx(0.0, abs=0.01)
    assert first["side"] == "right"  # the picture lifts the right knee

    # Left side, moving into position (2 s): the figure moves towards the last key pose.
    wait_phase(page, "Move", "Left")
    a = figure(page)
    page.wait_for_timeout(500)
    b = figure(page)
    assert b["phase"] == "Move", "the move ended before the second sample"
    assert 0.0 <= a["t"] < b["t"] <= a["out"] + 1e-3, (a, b)
    assert a["mirrored"], "the left side shows the picture of the right side mirrored"

    # The hold: the figure stays in the hold window of its cycle, one second apart.
    wait_phase(page, "Hold", "Left")
    a = figure(page)
    page.wait_for_timeout(1000)
    b = figure(page)
    assert b["phase"] == "Hold"
    for sample in (a, b):
        assert sample["out"] - 1e-3 <= sample["t"] <= sample["out"] + sample["hold"] + 1e-3
    screenshot(page, "70-figure-in-step-hold-390x844", full_page=False)

    # The right side, not mirrored; paused while moving, the figure does not move.
    wait_phase(page, "Move", "Right")
    page.locator("#p-pause").click()
    page.wait_for_function("() => document.getElementById('p-phase').textContent === 'Paused'")
    a = figure(page)
    page.wait_for_timeout(1000)
    b = figure(page)
    assert not a["mirrored"]
    assert a["t"] == pytest.approx(b["t"], abs=1e-3), (a, b)
    assert 0.0 <= a["t"] <= a["out"] + 1e-3

    # Reduced motion: the still key pose of the phase (moving into position: the last one).
    page.emulate_media(reduced_motion="reduce")
    page.wait_for_timeout(200)
    still = figure(page)
    assert still["t"] == pytest.approx(still["out"] + still["hold"] / 2, abs=0.01)
    page.emulate_media(reduced_motion="no-preference")

    # Carrying on, the figure moves again.
    page.locator("#p-pause").click()
    page.wait_for_function("() => document.getElementById('p-phase').textContent !== 'Paused'")
    page.wait_for_timeout(300)
    c = figure(page)
    assert c["t"] > a["t"] or c["phase"] != "Move", (a, c)
