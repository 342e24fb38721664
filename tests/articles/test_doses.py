"""Doses as articles write them (the issue's examples) read into numbers, and compared with
the catalogue's dose in words."""

from __future__ import annotations

import pytest

from backcoach.articles.doses import compare, merge, read_dose
from tests.articles.corpus import catalogue


@pytest.mark.parametrize(
    ("text", "hold", "reps", "per_side"),
    [
        ("hold for a count of ten", [(10, "count of ten")], [], False),
        ("hold for 20 to 30 seconds, 2-3 rounds per leg", [((20, 30), "")], [((2, 3), "")], True),
        ("hold for a few seconds", [((3, 5), "")], [], False),
        ("hold for one deep breath", [((4, 6), "")], [], False),
        ("Stay for 5 to 10 deep breaths", [((20, 60), "")], [], False),
        ("Hold 1 minute, then repeat on the other side", [(60, "")], [], True),
        ("Repeat 10 times", [], [(10, "")], False),
        ("Do 8 reps on each side", [], [(8, "")], True),
        ("I do 10 of them", [], [(10, "")], False),
        ("maybe 10 each side", [], [(10, "")], True),
    ],
)
def test_the_issue_doses_are_read(
    text: str, hold: list[tuple[object, str]], reps: list[tuple[object, str]], per_side: bool
) -> None:
    found = read_dose(text)
    assert [v for v, _ in found.hold] == [v for v, _ in hold]
    assert [v for v, _ in found.reps] == [v for v, _ in reps]
    assert found.per_side is per_side


def test_three_times_a_day_is_a_frequency_not_repetitions() -> None:
    found = read_dose("Do this 3 times a day, daily.")
    assert found.reps == []
    assert found.frequency


def test_often_is_not_ten() -> None:
    assert read_dose("Do this often times a week").reps == []


def test_vague_and_frequency_are_explained() -> None:
    found = read_dose(
        "Repeat several times, daily. As it gets easier increase the number of times."
    )
    dose = compare(found, catalogue().get("bridge"))
    assert dose.reps is None
    assert "vague" in dose.note and "daily" in dose.note and "small steps" in dose.note


def test_a_hold_longer_than_backcoach_says_so() -> None:
    dose = compare(read_dose("hold for 2 minutes"), catalogue().get("prone-press-up"))
    assert dose.hold_seconds == 120
    assert "longer than backcoach's 1-15 seconds" in dose.note


def test_contradictory_doses_give_the_first_and_say_so() -> None:
    found = merge([read_dose("Hold for 10 seconds."), read_dose("Hold for 60 seconds.")])
    dose = compare(found, catalogue().get("bridge"))
    assert dose.hold_seconds == 10
    assert "different holds" in dose.note and "10 seconds" in dose.note
