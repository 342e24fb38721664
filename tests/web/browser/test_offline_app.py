"""The app without a connection, in a real Chromium: today's plan from the service worker's
copy with the offline banner, and the player keeping a step while offline and sending it (once)
when the connection is back."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from backcoach.records.tables import LiveEventRow
from tests.web.browser.conftest import image_width, screenshot
from tests.web.conftest import ready_to_exercise

PLAN_KEPT = """async () => {
  const cache = await caches.open("backcoach-plan");
  return Boolean(await cache.match("/today"));
}"""

SIGN_OUT = """() => {
  const form = document.createElement("form");
  Object.assign(form, { method: "post", action: "/signout" });
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const field = document.createElement("input");
  Object.assign(field, { type: "hidden", name: "csrf_token", value: token });
  form.append(field);
  document.body.append(form);
  form.requestSubmit();
}"""
SIGNOUT_IN_PERSONAL_MODE = 404


def applied(server: Any, event_id: str) -> list[dict[str, Any]]:
    """The answers the server stored for one client event id (one per application)."""
    with server.person().store.scoped() as s:
        rows = s.scalars(select(LiveEventRow).where(LiveEventRow.event_id == event_id)).all()
        return [row.answer for row in rows]


def test_todays_plan_opens_offline_from_the_last_copy_with_a_banner(serve: Any, pages: Any) -> None:
    server = serve()
    ready_to_exercise(server.person(), minutes=10)
    page = pages.open()
    page.goto(server.url + "/today")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now through the worker, which keeps this copy
    page.wait_for_function(PLAN_KEPT)
    online_names = page.locator(".plan-item h2").all_inner_texts()
    assert online_names
    assert page.locator("#offline-banner").count() == 0

    page.context.set_offline(True)
    page.reload()
    banner = page.locator("#offline-banner")
    assert banner.is_visible()
    assert "You are offline: this is the plan as last loaded." in banner.inner_text()
    assert page.locator(".plan-item h2").all_inner_texts() == online_names
    assert image_width(page.locator(".plan-item img.figure").first) > 0  # pictures kept too
    screenshot(page, "60-today-offline")

    # Another page needs the connection: a plain page says so and leads to today's plan.
    pages.expect_failure("GET", "/progress", 503)
    page.goto(server.url + "/progress")
    assert "You are offline" in page.locator("h1").inner_text()

    page.context.set_offline(False)
    page.goto(server.url + "/today")
    assert page.locator("#offline-banner").count() == 0
    page.wait_for_function(PLAN_KEPT)

    # Signing out (clinic mode's forms post to /signout) forgets the plan kept. Personal
    # mode has no sign-in, so the form's answer here is a refusal; the caches go all the same.
    pages.expect_failure("POST", "/signout", SIGNOUT_IN_PERSONAL_MODE)
    page.evaluate(SIGN_OUT)
    page.wait_for_url("**/signout")
    assert page.evaluate("() => caches.has('backcoach-plan')") is False


def test_a_step_sent_without_a_connection_is_kept_and_applied_once(serve: Any, pages: Any) -> None:
    server = serve()
    ready_to_exercise(server.person(), minutes=10)
    page = pages.open()
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: (
            sent.append(json.loads(r.post_data))
            if r.method == "POST" and r.url.endswith("/events") and r.post_data
            else None
        ),
    )
    page.goto(server.url + "/session")
    page.locator("#q-scores button[data-score='2']").click()  # pain before: 2
    page.locator("#p-live").wait_for()
    assert page.locator("#p-where").inner_text().startswith("Exercise 1 of")

    # The answer to a skip is lost on the way back: the page sends it again with the same id
    # and the server, having applied it once, answers the same. One exercise skipped, not two.
    lost: list[str] = []

    def lose_first_answer(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        if body.get("type") == "skip" and not lost:
            lost.append(body["id"])
            route.fetch()  # the server applies it...
            route.abort("connectionreset")  # ...and its answer never arrives
        else:
            route.continue_()

    page.route("**/api/sessions/*/events", lose_first_answer)
    page.locator("#p-skip").click()
    page.wait_for_function(
        "() => document.getElementById('p-where').textContent.startsWith('Exercise 2')"
    )
    assert [e["id"] for e in sent if e["type"] == "skip"] == [lost[0], lost[0]]
    assert len(applied(server, lost[0])) == 1
    page.unroute("**/api/sessions/*/events")

    # Offline: the pause cannot go; the page says so, keeps it, and the clock stands still.
    page.context.set_offline(True)
    page.locator("#p-pause").click()
    note = page.locator("#p-offline")
    note.wait_for()
    assert "No connection" in note.inner_text() and "sent when you are back online" in (
        note.inner_text()
    )
    screenshot(page, "61-session-offline", full_page=False)
    pauses = [e["id"] for e in sent if e["type"] == "pause"]
    assert pauses and applied(server, pauses[0]) == []  # not at the server yet
    page.locator("#p-skip").click()  # taps wait while offline: nothing else is sent
    assert not [e for e in sent if e["type"] == "skip" and e["id"] != lost[0]]

    page.context.set_offline(False)
    note.wait_for(state="hidden")
    page.wait_for_function("() => document.getElementById('p-phase').textContent === 'Paused'")
    assert {e["id"] for e in sent if e["type"] == "pause"} == {pauses[0]}  # resent, same id
    answers = applied(server, pauses[0])
    assert len(answers) == 1 and answers[0]["view"]["paused"] is True
    assert page.locator("#p-where").inner_text().startswith("Exercise 2")
