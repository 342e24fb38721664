"""What a request needs, as typed dependencies: a route's signature says what it uses.

``AppDep``: the application context the app was made with (one per process).
``PersonDep``: a person context for this request. Personal mode has one implicit person; in
clinic mode it is the signed-in patient, chosen here, in ``current_person``, and nowhere else.
``ViewerDep``: who is signed in (clinic mode), or None (personal mode: no sign-in).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from backcoach.app import AppContext, PersonContext
from backcoach.clinic import Clinic, Who
from backcoach.clinic.accounts import PATIENT
from backcoach.web.api_errors import ApiError

STAFF_HOME = "/clinician"
"""Where a signed-in clinician or practice admin lands (their pages are still to come)."""


def app_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.app_context
    return context


def clinic_or_none(request: Request) -> Clinic | None:
    """The clinic in clinic mode, None in personal mode."""
    clinic = getattr(request.app.state, "clinic", None)
    return clinic if isinstance(clinic, Clinic) else None


def viewer(request: Request) -> Who | None:
    """Clinic mode: the signed-in person (401 ``signed-out`` without one). Personal mode:
    None, there is no sign-in."""
    if clinic_or_none(request) is None:
        return None
    from backcoach.web.auth import signed_in

    return signed_in(request)


def current_person(request: Request) -> PersonContext:
    """The person this request is for. Personal mode: its one person (no sign-in). Clinic
    mode: the signed-in patient, after ``clinic.access`` agrees they may see themselves; a
    clinician or admin gets 403 (a patient's own pages are not theirs to open)."""
    clinic = clinic_or_none(request)
    context = app_context(request)
    if clinic is None:
        return context.person()
    who = viewer(request)
    assert who is not None  # viewer raised 401 otherwise
    if who.role != PATIENT:
        raise ApiError(
            403,
            "patients-only",
            f"you are signed in as {who.name or 'staff'} ({who.role}); this is a patient's "
            "own page, opened only by the patient on their phone",
            fix=f"the clinician pages are coming; see {STAFF_HOME} for now",
        )
    from backcoach.web.auth import client_address

    # A patient's own view is not written to the audit log (it would log every request);
    # the check still goes through the one place that answers "may they see this patient".
    if not clinic.roster(who, client_address(request)).may_see(who.person_id):
        raise ApiError(403, "not-yours", "these records are not among those you may see")
    return context.person(who.person_id)


AppDep = Annotated[AppContext, Depends(app_context)]
PersonDep = Annotated[PersonContext, Depends(current_person)]
ViewerDep = Annotated[Who | None, Depends(viewer)]
