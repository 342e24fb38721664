"""Spoken cues: what is said, and that speech never queues up behind the session."""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence

import pytest

from backcoach.cli.voice import (
    ESPEAK,
    EspeakSpeaker,
    find_speaker,
    speak_effects,
)
from backcoach.session import AskPain, BreathCue, Countdown, Cue, PhaseStarted, cues
from backcoach.session.cues import words_for


class Utterance:
    """Stands in for one espeak-ng process: it speaks until ``end`` is called."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self.running = True
        self.terminated = False

    def poll(self) -> int | None:
        return None if self.running else 0

    def terminate(self) -> None:
        self.terminated = True
        self.running = False

    def end(self) -> None:
        self.running = False


class Launches:
    def __init__(self) -> None:
        self.started: list[Utterance] = []

    def __call__(self, command: Sequence[str]) -> Utterance:
        self.started.append(Utterance(command))
        return self.started[-1]

    @property
    def said(self) -> list[str]:
        return [u.command[-1] for u in self.started]


def test_words_for_effects() -> None:
    assert words_for(Cue("Hold for 5 seconds.")) == "Hold for 5 seconds."
    assert words_for(Cue("Shown only.", speak=False)) is None
    assert words_for(BreathCue("out", 6.0)) == "Breathe out"
    assert words_for(AskPain("before", "How much pain?")) == "How much pain?"
    assert words_for(Countdown(3)) is None


def test_one_utterance_at_a_time_and_only_the_newest_waits() -> None:
    launches = Launches()
    speaker = EspeakSpeaker("/usr/bin/espeak-ng", launches)
    speaker.say("one")
    speaker.say("two")
    speaker.say("three")
    speaker.poll()
    assert launches.said == ["one"]  # still speaking: "two" went stale behind "three"
    launches.started[0].end()
    speaker.poll()
    assert launches.said == ["one", "three"]
    assert launches.started[1].command[:3] == ["/usr/bin/espeak-ng", "-s", "150"]
    launches.started[1].end()
    speaker.poll()
    assert launches.said == ["one", "three"]


def test_close_silences_the_speaker() -> None:
    launches = Launches()
    speaker = EspeakSpeaker("espeak-ng", launches)
    speak_effects(speaker, [Cue("Get ready.")])
    speak_effects(speaker, [Cue("Rep 1 of 5."), BreathCue("in", 4.0)])  # waits its turn
    speaker.close()
    assert launches.said == ["Get ready."] and launches.started[0].terminated
    speaker.poll()
    assert launches.said == ["Get ready."]  # the waiting words were dropped too


def test_the_words_of_one_step_are_said_together() -> None:
    launches = Launches()
    speaker = EspeakSpeaker("espeak-ng", launches)
    advice = "Stop this exercise for today."
    speak_effects(
        speaker,
        [
            Cue(advice),
            Cue(cues.MOVING_ON_PAUSED),
            PhaseStarted("get-ready", 1, "bridge", 1, None, None, 10.0, 10.0),
            Cue("Get ready: Bridge."),
            Countdown(10),
            BreathCue("in", 4.0),
        ],
    )
    assert launches.said == [f"{advice} {cues.MOVING_ON_PAUSED} Get ready: Bridge. Breathe in."]
    speak_effects(speaker, [Countdown(9), Cue("Shown only.", speak=False)])
    launches.started[0].end()
    speaker.poll()
    assert len(launches.started) == 1  # a step with nothing to say says nothing


def test_drain_waits_for_the_last_words_then_stops_waiting() -> None:
    launches = Launches()
    speaker = EspeakSpeaker("espeak-ng", launches)
    speaker.say("Bridge: done.")
    speaker.say("Well done.")
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds
        launches.started[-1].end()  # each utterance ends while the player waits

    assert speaker.drain(5.0, clock=lambda: clock[0], sleep=sleep)
    assert launches.said == ["Bridge: done.", "Well done."]
    assert not any(u.terminated for u in launches.started) and clock[0] < 1.0

    speaker.say("A very long sentence.")
    clock[0] = 0.0
    assert not speaker.drain(
        5.0, clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s)
    )
    assert 5.0 <= clock[0] < 5.5  # gave up at the timeout, still speaking
    speaker.close()
    assert launches.started[-1].terminated


def test_a_leading_dash_is_not_taken_as_an_option() -> None:
    launches = Launches()
    EspeakSpeaker("espeak-ng", launches).say("--help me")
    assert launches.said == ["help me"]


def test_find_speaker_needs_espeak_on_the_path() -> None:
    assert find_speaker(lambda name: None) is None
    found = find_speaker(lambda name: f"/opt/bin/{name}", Launches())
    assert found is not None and found.executable == f"/opt/bin/{ESPEAK}"


@pytest.mark.skipif(shutil.which(ESPEAK) is None, reason="espeak-ng is not installed")
def test_real_espeak_speaks_without_blocking() -> None:  # pragma: no cover - needs espeak-ng
    speaker = find_speaker()
    assert speaker is not None
    began = time.monotonic()
    speaker.say("Test.")
    assert time.monotonic() - began < 0.2  # started, not waited for
    speaker.close()
