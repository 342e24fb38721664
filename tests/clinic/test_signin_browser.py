"""The clinic's own pages in Chromium, through Caddy's TLS in front of two workers on
PostgreSQL (tests/clinic/proxied.py): the sign-in page, the invite page and the programme
builder, each refusing what it must with a plain message in the page.

One deployment serves the module's tests; each test has its own people, so none depends on
another's sign-ins, invites or lockout counts.
"""

from __future__ import annotations

import datetime as dt
import re
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, update

from backcoach.records.tables import InviteRow, ProgrammeVersionRow
from backcoach.web.security import CLINIC_CSRF_COOKIE
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
from tests.web.browser.conftest import PHONE
from tests.web.conftest import ALL_NO

pytestmark = NEEDS


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    for url in pg_schema_url():
        with deployed(tmp_path_factory.mktemp("clinic"), url) as running:
            yield running


@pytest.fixture(scope="module")
def browser(playwright: Any, deployment: Deployment) -> Iterator[Any]:
    with chromium(playwright, deployment.authority) as opened:
        yield opened


@pytest.fixture
def pages(browser: Any, deployment: Deployment) -> Iterator[ProxiedPages]:
    opened = ProxiedPages(browser, deployment.url)
    try:
        yield opened
    finally:
        opened.close()
    opened.check()


@pytest.fixture
def shot(tmp_path: Path) -> Shots:
    return Shots(tmp_path / "screenshots")


def alert(page: Any) -> str:
    """The page's refusal, as the person reads it."""
    found = page.get_by_role("alert")
    found.wait_for()
    return str(found.inner_text())


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def redeem(page: Any, code: str, birth_year: str) -> None:
    page.goto("/invite")
    page.get_by_label("Invite code").fill(code)
    page.get_by_label("Your year of birth").fill(birth_year)
    page.get_by_role("button", name="Start").click()


def test_a_wrong_password_says_so_plainly(
    deployment: Deployment, pages: ProxiedPages, shot: Shots
) -> None:
    deployment.add_clinician("wren@example.org", "Wren Hale")
    pages.expect_failure("POST", "/signin", 401)
    page = pages.open(PHONE)
    sign_in(page, "wren@example.org", "not the password at all")
    message = alert(page)
    assert message.startswith("The e-mail or the password is not right; check both and try again")
    assert "Traceback" not in page.content() and "bad-credentials" not in message
    assert page.get_by_label("E-mail").input_value() == "wren@example.org"  # kept
    assert page.get_by_label("Password").input_value() == ""  # never sent back
    assert page.evaluate("document.activeElement.id") == "password"
    shot(page, "signin-wrong-password")

    # then the right one signs in: one wrong try does not lock the account
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/clinician")


def add_patient(page: Any, name: str, birth_year: str) -> None:
    page.goto("/clinician")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Year of birth").fill(birth_year)
    page.get_by_role("button", name="Add and make the invite").click()


def sheet_code(page: Any, name: str) -> str:
    page.get_by_role("heading", name=f"Invite for {name}").wait_for()
    return str(page.locator("#invite-code").inner_text()).strip()


def test_refused_invites_say_why_in_the_page(
    deployment: Deployment, pages: ProxiedPages, shot: Shots
) -> None:
    deployment.add_clinician("ivy@example.org", "Ivy Moss")
    pages.expect_failure("POST", "/clinician/patients", 422)
    pages.expect_failure("POST", "/invite", 401)
    pages.expect_failure("POST", "/invite", 410)
    desk = pages.desktop()
    sign_in(desk, "ivy@example.org", PASSWORD)
    desk.wait_for_url("**/clinician")

    # the clinician adds patients on the patients page; a year that is not one is refused
    add_patient(desk, "Cy Used", "1850")
    message = alert(desk)
    assert message.startswith("Birth year: 1850 is not a birth year; give the year as four"), (
        message
    )
    assert desk.get_by_label("Name", exact=True).input_value() == "Cy Used"  # kept
    shot(desk, "add-patient-wrong-year")
    desk.get_by_label("Year of birth").fill("1975")
    desk.get_by_role("button", name="Add and make the invite").click()
    used = sheet_code(desk, "Cy Used")
    add_patient(desk, "Di Old", "1962")
    replaced = sheet_code(desk, "Di Old")
    # a new invite from the patient's page: the one before stops working
    desk.get_by_role("link", name="Di Old’s page").click()
    desk.get_by_role("button", name="Make a new invite").click()
    newest = sheet_code(desk, "Di Old")
    assert newest != replaced
    shot(desk, "invite-sheet-reissued")

    # a wrong birth year: the same answer as a wrong code (it tells a guesser nothing)
    page = pages.open(PHONE)
    redeem(page, used, "1976")
    message = alert(page)
    assert message.startswith("This invite code and birth year do not match an invite"), message
    assert "ask your clinician for a new invite" in message
    assert page.get_by_label("Invite code").input_value() == used  # kept
    shot(page, "invite-wrong-birth-year")

    # the right year on this phone, then the same invite on another phone: used
    page.get_by_label("Your year of birth").fill("1975")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/(welcome)?$"))
    other = pages.open(PHONE)
    redeem(other, used, "1975")
    message = alert(other)
    assert message.startswith("This invite has been used already (each works once"), message
    shot(other, "invite-used")

    redeem(other, replaced, "1962")
    message = alert(other)
    assert message.startswith("This invite was replaced by a newer one or withdrawn"), message

    # the newest, past its 14 days (its expiry moved back in the database)
    engine = create_engine(deployment.db)
    try:
        with engine.begin() as db:
            db.execute(
                update(InviteRow)
                .where(InviteRow.revoked_at.is_(None), InviteRow.used_at.is_(None))
                .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
            )
    finally:
        engine.dispose()
    redeem(other, newest.lower(), "1962")  # lower case is fine too
    message = alert(other)
    assert message.startswith("This invite expired on "), message
    assert "ask your clinician for a new one" in message
    shot(other, "invite-expired")

    # a year that is not one is not even sent: the field asks for one from 1900
    redeem(other, newest, "62")
    year = other.get_by_label("Your year of birth")
    assert year.evaluate("field => field.validity.rangeUnderflow")
    assert other.url.endswith("/invite")


def patient_with_osteoporosis(deployment: Deployment, clinician: str) -> int:
    """A patient whose phone has redeemed the invite, answered the warning signs (all no) and
    recorded osteoporosis, through the API (the pages are tested above)."""
    added = deployment.add_patient("Ed Bones", 1950, clinician)
    trust = ssl.create_default_context(cafile=str(deployment.authority / "root.crt"))
    with httpx.Client(base_url=deployment.url, verify=trust, timeout=30) as phone:
        phone.get("/invite")
        phone.headers["X-CSRF-Token"] = phone.cookies[CLINIC_CSRF_COOKIE]
        for method, path, body in (
            ("POST", "/api/auth/invite", {"code": added["invite_code"], "birth_year": 1950}),
            ("POST", "/api/screen", {"answers": ALL_NO}),
            ("PUT", "/api/profile", {"minutes": 10, "conditions": [{"id": "osteoporosis"}]}),
        ):
            answer = phone.request(method, path, json=body)
            assert answer.status_code == 200, answer.text
    patient_id: int = added["patient_id"]
    return patient_id


def versions(deployment: Deployment, patient_id: int) -> int:
    engine = create_engine(deployment.db)
    try:
        with engine.connect() as db:
            rows = db.execute(
                ProgrammeVersionRow.__table__.select().where(
                    ProgrammeVersionRow.person_id == patient_id
                )
            )
            return len(rows.all())
    finally:
        engine.dispose()


def test_the_builder_refuses_an_avoided_exercise_and_asks_why_without_a_modification(
    deployment: Deployment, pages: ProxiedPages, shot: Shots
) -> None:
    deployment.add_clinician("oz@example.org", "Oz Park")
    patient_id = patient_with_osteoporosis(deployment, "oz@example.org")
    page = pages.desktop()
    sign_in(page, "oz@example.org", PASSWORD)
    page.wait_for_url("**/clinician")
    page.goto(f"/clinician/patients/{patient_id}/programme")
    page.get_by_role("button", name="Start from backcoach's plan").wait_for()
    library = page.locator("#builder ul.library")

    # "avoid": no way to add it, and the page says why in words
    avoided = library.locator("li", has_text="Foam rolling the back muscles")
    assert avoided.locator(".badge").inner_text() == "avoid"
    assert avoided.get_by_role("button", name="Add Foam rolling the back muscles").is_disabled()
    assert "Osteoporosis: pressing directly on the spine" in avoided.inner_text()

    # "modified", added without its modification: not saved until a reason is written
    modified = library.locator("li", has_text="Knee rolls")
    assert modified.locator(".badge").inner_text() == "modified"
    modified.get_by_role("button", name="Add Knee rolls").click()
    row = page.locator("#builder ol.items > li", has=page.locator("strong", has_text="Knee rolls"))
    assert row.get_by_label("Modification").input_value() == ""
    page.get_by_role("button", name="Save and assign").click()
    status = page.locator(".builder-status")
    assert builder_said(page).startswith(
        "Not saved: Knee rolls needs a modification for this patient (Osteoporosis: twisting"
    ), status.inner_text()
    assert "write why it is given without one" in status.inner_text()
    reason = row.get_by_label("Why without it")
    assert reason.get_attribute("aria-invalid") == "true"
    assert row.locator(".field-problem").inner_text() == status.inner_text()[len("Not saved: ") :]
    assert page.evaluate("document.activeElement.name") == "modification_reason"
    shot(page, "builder-asks-why")
    assert versions(deployment, patient_id) == 0

    reason.fill("Only a small range, checked with me in the clinic.")
    reason.dispatch_event("change")
    page.get_by_role("button", name="Save and assign").click()
    said = builder_said(page)  # the page loads again after a save
    assert said.startswith("Saved version 1: first version: 6 exercises"), said
    page.get_by_role("button", name="Start from backcoach's plan").wait_for()
    assert versions(deployment, patient_id) == 1
    summary = page.locator(".programme-summary").inner_text()
    assert "Knee rolls: 2 × 8 reps; given as it is: Only a small range" in summary, summary
    shot(page, "builder-saved-with-reason")
