"""Spoken cues for the terminal player, with espeak-ng when it is installed.

Someone lying on the floor cannot read the screen, so the player can say its cues out loud.
Speech must never hold up the timer: each utterance runs as its own ``espeak-ng`` process,
started without waiting. While one is speaking, at most one more waits; a newer cue replaces
the waiting one, because by the time it could be spoken an older cue is already stale.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from typing import Protocol

from backcoach.session import AskPain, AskRating, BreathCue, Cue, Effect

ESPEAK = "espeak-ng"
MISSING_NOTE = "Spoken cues need espeak-ng (apt-get install espeak-ng); continuing silently."

WORDS_PER_MINUTE = 150
"""A little slower than espeak-ng's default 175, easier to follow while moving."""

BREATH_WORDS = {"in": "Breathe in", "hold": "Hold your breath", "out": "Breathe out"}


def words_for(effect: Effect) -> str | None:
    """What to say for an effect, or None for effects that are only shown (or saved)."""
    if isinstance(effect, Cue):
        return effect.text if effect.speak and effect.text.strip() else None
    if isinstance(effect, BreathCue):
        return BREATH_WORDS[effect.breath]
    if isinstance(effect, AskPain | AskRating):
        return effect.prompt
    return None


class Speaker(Protocol):
    def say(self, text: str) -> None: ...

    def poll(self) -> None: ...

    def close(self) -> None: ...


class Process(Protocol):
    def poll(self) -> int | None: ...

    def terminate(self) -> None: ...


Launcher = Callable[[Sequence[str]], Process]


def _popen(command: Sequence[str]) -> Process:
    return subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class EspeakSpeaker:
    """Speaks through an ``espeak-ng`` executable; call ``poll`` often (the player does, every
    tick) so a waiting cue starts as soon as the previous one ends."""

    def __init__(self, executable: str, launch: Launcher = _popen) -> None:
        self.executable = executable
        self._launch = launch
        self._speaking: Process | None = None
        self._waiting: str | None = None

    def say(self, text: str) -> None:
        self._waiting = text
        self.poll()

    def poll(self) -> None:
        if self._speaking is not None and self._speaking.poll() is None:
            return
        self._speaking = None
        if self._waiting is not None:
            text, self._waiting = self._waiting, None
            # A leading dash would be read as an option; cues never need one.
            spoken = text.lstrip("- ")
            if spoken:
                self._speaking = self._launch(
                    [self.executable, "-s", str(WORDS_PER_MINUTE), spoken]
                )

    def close(self) -> None:
        """Stop speaking: a cue must not run on after the session has left the screen."""
        self._waiting = None
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()
        self._speaking = None


def find_speaker(
    which: Callable[[str], str | None] = shutil.which, launch: Launcher = _popen
) -> EspeakSpeaker | None:
    """An espeak-ng speaker, or None when espeak-ng is not on the PATH."""
    executable = which(ESPEAK)
    return EspeakSpeaker(executable, launch) if executable else None


def speak_effects(speaker: Speaker, effects: Sequence[Effect]) -> None:
    """Say the effects of one engine step; only the last words survive if several come at once
    (the speaker keeps one waiting), which is the newest and so the one that matters."""
    for effect in effects:
        words = words_for(effect)
        if words:
            speaker.say(words)
