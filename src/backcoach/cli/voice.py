"""Spoken cues for the terminal player, with espeak-ng when it is installed.

Someone lying on the floor cannot read the screen, so the player can say its cues out loud.
Speech must never hold up the timer: each utterance runs as its own ``espeak-ng`` process,
started without waiting. The words of one engine step (say, the stop advice, how to move on
and the next exercise's first instruction) make one utterance, so none of them is lost. While
one utterance is speaking, at most one more waits; a newer one replaces the waiting one,
because by the time it could be spoken the older step is already stale.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from backcoach.session import Effect
from backcoach.session.cues import utterance

ESPEAK = "espeak-ng"
MISSING_NOTE = "Spoken cues need espeak-ng (apt-get install espeak-ng); continuing silently."

WORDS_PER_MINUTE = 150
"""A little slower than espeak-ng's default 175, easier to follow while moving."""

DRAIN_SECONDS = 5.0
"""Longest wait, once the session is over, for the last words ("Well done") to be spoken: the
longest closing sentence takes about four seconds at ``WORDS_PER_MINUTE``."""

DRAIN_POLL_SECONDS = 0.05
"""How often the wait for the last words looks whether they are done."""


class Speaker(Protocol):
    def say(self, text: str) -> None: ...

    def poll(self) -> None: ...

    def drain(self, timeout: float) -> bool:
        """Wait, at most ``timeout`` seconds, until everything said has been spoken."""
        ...

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

    def drain(
        self,
        timeout: float = DRAIN_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> bool:
        """Wait until everything said so far has been spoken, or ``timeout`` seconds have
        passed; True when it all was. For the end of a session, after the last frame."""
        deadline = clock() + timeout
        while True:
            self.poll()
            if self._speaking is None and self._waiting is None:
                return True
            if clock() >= deadline:
                return False
            sleep(DRAIN_POLL_SECONDS)

    def close(self) -> None:
        """Stop speaking at once: a cue must not run on after the person has left."""
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
    """Say the effects of one engine step, all of them, as one utterance.

    Steps rather than effects replace one another in the speaker's queue: a step's words belong
    together (the advice and what to do next), while an older step still waiting is stale. A
    step that passes several phases at once, as the first tick after the machine stalled can,
    says them all; that is rare, and losing no advice matters more.
    """
    words = utterance(effects)
    if words is not None:
        speaker.say(words)
