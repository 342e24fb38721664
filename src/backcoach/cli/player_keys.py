"""Key presses from a terminal, one at a time, without Enter and without echo.

The terminal is put in cbreak mode only for as long as the player runs and is always put back,
also when the player ends by an error or Ctrl-C: a shell left without echo looks broken.
"""

from __future__ import annotations

import os
import select
import termios
import tty
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Protocol

KEY_NAMES = {
    " ": "space",
    "\r": "enter",
    "\n": "enter",
    "\x7f": "backspace",
    "\x08": "backspace",
    "\x03": "ctrl-c",
    "\x04": "q",  # Ctrl-D: leave, as at an end of input
}


def split_keys(text: str) -> list[str]:
    """Key names from what a terminal sent: arrow keys and other escape sequences are dropped,
    a lone Escape is "escape", letters are lower-cased."""
    keys: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        position += 1
        if char == "\x1b":
            if position < len(text) and text[position] in "[O":
                position += 1
                while position < len(text) and not (
                    text[position].isalpha() or text[position] == "~"
                ):
                    position += 1
                position += 1
            else:
                keys.append("escape")
            continue
        keys.append(KEY_NAMES.get(char, char.lower()))
    return keys


class Keys(Protocol):
    def read(self, timeout: float) -> list[str]:
        """Keys pressed, waiting at most ``timeout`` seconds for the first."""
        ...


class TerminalKeys:
    """Single key presses from a terminal in cbreak mode (no Enter, no echo)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, timeout: float) -> list[str]:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return []
        data = os.read(self.fd, 64)
        if not data:
            return ["q"]  # end of input: nobody is left to press keys
        return split_keys(data.decode("utf-8", errors="ignore"))


@contextmanager
def cbreak(stream: IO[str]) -> Iterator[TerminalKeys]:
    """The terminal in cbreak mode for the duration, restored however the block ends."""
    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield TerminalKeys(fd)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
