"""The programme builder in a real browser (Debian's Chromium): an item's picture is the
version the patient will see, and choosing its drawn modification changes the picture."""

from __future__ import annotations

import pytest

from backcoach.catalogue import load_default
from backcoach.clinic import AddedPatient, Clinic
from backcoach.safety.signs import SIGN_IDS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from tests.clinic.conftest import PASSWORD
from tests.clinic.test_comment_browser import ANA, Server, dt_today, server, signed_in_staff
from tests.web.browser.conftest import (  # noqa: F401 (fixtures)
    Pages,
    browser,
    pages,
)

pytestmark = pytest.mark.postgres
__all__ = ["server"]
CAT_COW = "cat-cow"


@pytest.fixture
def bo(clinic: Clinic, server: Server) -> AddedPatient:
    """Bo, in Ana's care, screened clear, with a wrist problem (cat-cow is modified)."""
    clinic.add_clinician(email=ANA, name="Ana Silva", password=PASSWORD)
    added = clinic.add_patient(name="Bo Chen", birth_year=1980, clinician_email=ANA)
    store = server.app.state.app_context.person(added.patient_id).store
    take_screen(store, dt_today(server), {sign: "no" for sign in SIGN_IDS})
    update_profile(store, minutes=10, conditions=["wrist"])
    return added


def test_an_items_picture_is_its_version(
    server: Server,
    bo: AddedPatient,
    pages: Pages,  # noqa: F811
) -> None:
    wrist = load_default(None)[0].get(CAT_COW).modifications["wrist"].text
    desk = signed_in_staff(pages, server)
    desk.goto(f"{server.url}/clinician/patients/{bo.patient_id}/programme")
    add = desk.get_by_role("button", name="Add Cat and cow")
    if add.is_enabled():  # not already in the draft backcoach's plan starts from
        add.click()
    row = desk.locator("ol.items li.item").filter(has_text="Cat and cow")
    figure = row.locator("img.item-figure")
    row.locator("select[name='modification']").select_option("")
    # Modified, with no modification chosen and no reason yet: the plan would give the
    # version the verdict applies, the wrist one.
    assert figure.get_attribute("src") == f"/api/exercises/{CAT_COW}/figure.svg?version=wrist"
    row.locator("input[name='modification_reason']").fill("Her wrists are fine on a cushion.")
    row.locator("input[name='modification_reason']").dispatch_event("change")
    assert figure.get_attribute("src") == f"/api/exercises/{CAT_COW}/figure.svg"
    row.locator("select[name='modification']").select_option(wrist)
    assert figure.get_attribute("src") == f"/api/exercises/{CAT_COW}/figure.svg?version=wrist"
    # The picture itself loads.
    desk.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=figure.element_handle()
    )
