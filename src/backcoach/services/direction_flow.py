"""The direction check one answer at a time, for a flow of web forms, and its result in words.

A browser page cannot hold the check (``planning.direction.DirectionCheck``) between requests,
so the pages carry what the person answered, as a short ``progress`` text, and every request
rebuilds the check from it with the same rules (``replay``). Nothing is stored until the check
ends; a progress text that does not replay exactly (edited, or from another day's check) is
refused and saves nothing, so a malformed value can never become a direction to avoid or
prefer. The text is bounded: a check has at most two directions of two exercises each.

``progress``: readings and choices joined by ``.``; the first is the reading before the first
test, each later one is the reading after a test (``<location index>-<pain>``, e.g. ``2-5``)
or ``x``, "this test is too much today".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backcoach.errors import BackcoachError
from backcoach.planning.direction import (
    LOCATIONS,
    OUTCOME_WORDS,
    WORDS,
    DirectionCheck,
    Location,
    Reading,
)
from backcoach.services.directions import start_direction_check
from backcoach.wording import DIRECTION_TEXT

if TYPE_CHECKING:
    from backcoach.catalogue import Catalogue
    from backcoach.records.store import Store
    from backcoach.records.tables import DirectionCheckRow

TOO_MUCH = "x"
MAX_STEPS = 8
"""Answers a check can hold: the first reading, then at most one per test exercise (two
directions of at most two exercises each), with room to spare; more is not a real check."""
MAX_PROGRESS_CHARS = 64

LOCATION_CHOICES: dict[Location, str] = {
    "none": "No pain",
    "back": "In my back only",
    "buttock": "Reaching my buttock",
    "thigh": "Reaching my thigh",
    "below-knee": "Reaching below my knee",
}
"""Where the pain reaches, as the form offers it (most central first)."""

PLACE_WORDS: dict[str, str] = {
    "none": "no pain",
    "back": "the back",
    "buttock": "the buttock",
    "thigh": "the thigh",
    "below-knee": "below the knee",
}

_MOVED = re.compile(r"\(({0}) to ({0})\)".format("|".join(map(re.escape, LOCATIONS))))
_IN_BRACKETS = re.compile(r"\(([a-z0-9]+(?:-[a-z0-9]+)+)\)")


class ProgressUnreadable(BackcoachError):
    """The answers carried by the page do not rebuild a check that is still running."""

    def __init__(self) -> None:
        super().__init__(
            "This check could not be continued (the page was changed, or it is from an "
            "earlier check). Nothing was saved; please start the check again."
        )


def encode(reading: Reading) -> str:
    return f"{LOCATIONS.index(reading.location)}-{reading.pain}"


def decode(token: str) -> Reading:
    """A reading from its token, or ProgressUnreadable."""
    where, sep, pain = token.partition("-")
    if not (sep and where.isdigit() and pain.isdigit() and len(where) == 1 and len(pain) <= 2):
        raise ProgressUnreadable()
    index = int(where)
    if index >= len(LOCATIONS):
        raise ProgressUnreadable()
    try:
        return Reading(LOCATIONS[index], int(pain))
    except ValueError:
        raise ProgressUnreadable() from None


@dataclass(frozen=True)
class Position:
    """A check rebuilt from its progress: the check, the latest reading (None before the
    first), and the progress text that led here."""

    check: DirectionCheck
    latest: Reading | None
    progress: str

    def then(self, answer: Reading | None) -> Position:
        """One answer on: a reading (the first, or after the current test), or None: the
        current test is too much today."""
        if answer is None:
            if self.latest is None or self.check.next_trial is None:
                raise ProgressUnreadable()
            return Position(self.check.too_much(), self.latest, f"{self.progress}.{TOO_MUCH}")
        if self.latest is None:
            return Position(self.check, answer, encode(answer))
        if self.check.next_trial is None:
            raise ProgressUnreadable()
        moved = self.check.record(self.latest, answer)
        return Position(moved, answer, f"{self.progress}.{encode(answer)}")

    @property
    def last_outcome(self) -> str | None:
        """What the latest test did, in words (None before any test)."""
        steps = self.check.steps
        return OUTCOME_WORDS[steps[-1].outcome] if steps else None


def replay(store: Store, catalogue: Catalogue, today: dt.date, progress: str) -> Position:
    """The check as the person left it. BackcoachError (from ``start_direction_check``) when
    the check may not run for them; ProgressUnreadable when ``progress`` does not rebuild a
    check still running."""
    position = Position(start_direction_check(store, catalogue, today), None, "")
    if not progress:
        return position
    tokens = progress.split(".")
    if len(progress) > MAX_PROGRESS_CHARS or len(tokens) > MAX_STEPS:
        raise ProgressUnreadable()
    for token in tokens:
        if position.check.finished:
            raise ProgressUnreadable()
        position = position.then(None if token == TOO_MUCH else decode(token))
    if position.check.finished:  # a finished check was saved as it finished
        raise ProgressUnreadable()
    return position


def plain_reason(text: str, names: Mapping[str, str]) -> str:
    """A reason of the check with its ids in words: "(back to thigh)" reads "(from the back to
    the thigh)", "(prone-press-up)" the exercise's name."""
    text = _MOVED.sub(
        lambda m: f"(from {PLACE_WORDS[m.group(1)]} to {PLACE_WORDS[m.group(2)]})", text
    )
    return _IN_BRACKETS.sub(
        lambda m: f"({names[m.group(1)]})" if m.group(1) in names else m.group(0), text
    )


def reading_words(location: str, pain: int) -> str:
    """``reaching the thigh, 5 out of 10``; ``no pain``."""
    if location == "none":
        return "no pain"
    words: dict[str, str] = {str(k): v for k, v in LOCATION_CHOICES.items()}
    return f"{words.get(location, location).lower()}, {pain} out of 10"


def result_view(row: DirectionCheckRow, catalogue: Catalogue) -> dict[str, Any]:
    """A stored check as the result page shows it: the finding in words (never an id), the
    directions to avoid, each test with what it did, and the reasons."""
    names = {ex.id: ex.name for ex in catalogue}
    directions: dict[str, str] = {str(k): v for k, v in WORDS.items()}
    details: dict[str, Any] = row.details if isinstance(row.details, dict) else {}
    steps = []
    for step in details.get("steps") or []:
        if not isinstance(step, dict):
            continue
        before, after = step.get("before") or {}, step.get("after") or {}
        exercise_id = str(step.get("exercise_id", ""))
        steps.append(
            {
                "name": names.get(exercise_id, exercise_id.replace("-", " ")),
                "direction": directions.get(str(step.get("direction")), ""),
                "before": reading_words(before.get("location", ""), before.get("pain", 0)),
                "after": reading_words(after.get("location", ""), after.get("pain", 0)),
                "outcome": OUTCOME_WORDS.get(str(step.get("outcome")), ""),
            }
        )
    avoid = [directions[d] for d in details.get("avoid") or [] if d in directions]
    return {
        "on": row.taken_on,
        "preference": row.result,
        "finding": DIRECTION_TEXT.get(row.result, "No clear preference"),
        "avoid": avoid,
        "steps": steps,
        "reasons": [plain_reason(str(r), names) for r in details.get("reasons") or []],
    }
