"""Onboarding in a real browser: a clear screen, the profile, today's plan; and an emergency
screen that blocks the plan."""

from __future__ import annotations

from typing import Any

import pytest

from backcoach.safety.signs import SIGNS
from backcoach.services.profiles import load_profile, update_profile
from tests.web.browser.conftest import DESKTOP, answer_screen, image_width, screenshot
from tests.web.conftest import ready_to_exercise


@pytest.mark.slow
def test_clear_screen_profile_and_todays_plan(serve: Any, pages: Any) -> None:
    server = serve()
    page = pages.open()
    page.goto(server.url + "/")
    assert page.url.endswith("/welcome")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "A calm, short routine for your back"
    screenshot(page, "01-welcome")

    page.get_by_role("link", name="Start with a few safety questions").click()
    assert page.locator(".question").count() == len(SIGNS)
    answer_screen(page)
    screenshot(page, "02-screen")
    page.get_by_role("button", name="See what this means").click()

    assert page.url.endswith("/screen/result")
    assert page.get_by_role("heading", level=1).inner_text() == "No warning signs reported"
    screenshot(page, "03-screen-clear")
    page.get_by_role("link", name="Next: a little about you").click()

    page.fill("#minutes", "10")
    for day in ("mon", "wed", "fri"):
        page.locator(f"input[name='days'][value='{day}']").check()
    page.locator("input[name='equipment'][value='chair']").check()
    screenshot(page, "04-profile")
    page.get_by_role("button", name="Save and see my plan").click()

    assert page.url.endswith("/today")
    assert page.get_by_role("heading", level=1).inner_text() == "Today’s plan"
    items = page.locator(".plan-item")
    assert items.count() >= 2
    # Each exercise shows its picture (a real, loaded SVG), its dose and its reason.
    first = items.first
    assert first.locator(".dose").inner_text().strip()
    assert first.locator(".why").inner_text().startswith("Why:")
    assert image_width(first.locator("img.figure")) > 100
    assert page.locator("#start").inner_text() == "Start the session"
    screenshot(page, "05-today")

    page.get_by_role("link", name="Settings").click()
    assert page.get_by_role("heading", name="Forget everything").is_visible()
    screenshot(page, "16-settings")

    saved = load_profile(server.person().store)
    assert saved.minutes == 10 and saved.days == ["mon", "wed", "fri"]
    assert "chair" in saved.equipment


@pytest.mark.slow
def test_emergency_screen_blocks_the_plan(serve: Any, pages: Any) -> None:
    server = serve()
    person = server.person()
    # A session is under way on the phone when the questions are answered again elsewhere.
    ready_to_exercise(person, minutes=5)
    player = pages.open()
    player.goto(server.url + "/session")
    player.locator(".q-score[data-score='2']").click()
    player.locator("#p-live").wait_for()
    session = person.store.unfinished_session()
    assert session is not None
    pages.expect_failure("POST", f"/api/sessions/{session.id}/events", 409)

    page = pages.open()
    page.goto(server.url + "/screen")
    answer_screen(page, yes=frozenset({"saddle_numbness"}))
    page.get_by_role("button", name="See what this means").click()

    result = page.locator(".result-emergency")
    assert page.get_by_role("heading", level=1).inner_text() == "Please get help now"
    assert "emergency" in result.locator(".advice-main").inner_text().lower()
    assert "numbness in the saddle area" in result.inner_text()
    screenshot(page, "06-screen-emergency")

    # No way on to a plan: today's page repeats the advice instead of a plan or a start button,
    # and the unfinished session cannot be carried on either.
    page.goto(server.url + "/today")
    assert page.locator(".result-emergency").is_visible()
    assert page.locator(".plan-item").count() == 0
    assert page.locator("a[href='/session']").count() == 0
    screenshot(page, "07-today-blocked")
    page.goto(server.url + "/session")
    assert page.url.endswith("/today")
    # The player still open on the phone stops at its next word with the server, calmly.
    player.locator("#p-pause").click()
    player.locator("#p-problem").wait_for()
    assert player.locator("#p-problem-title").inner_text() == "Not today"
    assert "emergency" in player.locator("#p-problem-text").inner_text()
    screenshot(player, "07b-session-blocked", full_page=False)
    assert person.store.unfinished_session() is not None  # what was saved stays saved


@pytest.mark.slow
def test_library_on_a_desktop(serve: Any, pages: Any) -> None:
    server = serve()
    update_profile(server.person().store, conditions=["osteoporosis"])
    page = pages.open(DESKTOP)
    page.goto(server.url + "/library")
    total = page.locator(".library-item").count()
    assert total >= 20
    screenshot(page, "08-library-desktop")

    page.select_option("#suits", "not")
    page.get_by_role("button", name="Show").click()
    left_out = page.locator(".library-item")
    assert 0 < left_out.count() < total
    assert left_out.first.locator(".badge-excluded").is_visible()

    page.fill("#q", "bridge")
    page.select_option("#suits", "any")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Bridge").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bridge"
    assert page.locator(".steps li").count() >= 2
    assert image_width(page.locator(".animation img")) > 100
    screenshot(page, "09-exercise-desktop")
