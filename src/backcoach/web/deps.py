"""What a request needs, as typed dependencies: a route's signature says what it uses.

``AppDep``: the application context the app was made with (one per process).
``PersonDep``: a person context for this request. Personal mode has one implicit person; the
clinic (issue 14) chooses the signed-in person here, in ``current_person``, and nowhere else.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from backcoach.app import AppContext, PersonContext


def app_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.app_context
    return context


def current_person(request: Request) -> PersonContext:
    """The person this request is for: personal mode's one person (no sign-in)."""
    return app_context(request).person()


AppDep = Annotated[AppContext, Depends(app_context)]
PersonDep = Annotated[PersonContext, Depends(current_person)]
