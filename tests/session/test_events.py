"""Events and effects in their JSON forms, and checks on what an event may carry."""

from __future__ import annotations

import json

import pytest

from backcoach.safety.stoprules import PainCheck, judge
from backcoach.session import (
    Countdown,
    PainJudged,
    PainReport,
    Pause,
    Rate,
    effect_to_dict,
    event_from_dict,
    event_to_dict,
)


@pytest.mark.parametrize(
    "event",
    [Pause(3.5), PainReport(1.0, 4, sharp=True), Rate(2.0, "too-hard")],
)
def test_events_round_trip_through_json(event: object) -> None:
    data = json.loads(json.dumps(event_to_dict(event)))  # type: ignore[arg-type]
    assert event_from_dict(data) == event


def test_bad_events_say_what_to_fix() -> None:
    with pytest.raises(ValueError, match="unknown event type 'jump'; use one of tick"):
        event_from_dict({"type": "jump", "now": 1})
    with pytest.raises(ValueError, match="event 'pause'"):
        event_from_dict({"type": "pause"})
    with pytest.raises(ValueError, match=r"pain must be a whole number from 0 to 10 \(got 11\)"):
        PainReport(1.0, 11)
    with pytest.raises(ValueError, match="rating must be one of too-easy"):
        Rate(1.0, "fine")  # type: ignore[arg-type]


def test_effects_have_a_json_form() -> None:
    assert effect_to_dict(Countdown(3)) == {"type": "countdown", "seconds_left": 3}
    check = PainCheck(6)
    data = effect_to_dict(PainJudged("during-exercise", 0, "bridge", check, judge(check, 2)))
    assert data["type"] == "pain-judged"
    assert data["decision"]["action"] == "stop-exercise"
    assert json.loads(json.dumps(data)) == data
