"""The catalogue's own error, light to import (the CLI's entry point catches it)."""

from __future__ import annotations


class UnknownExercise(LookupError):
    """An exercise id that is not in the catalogue; the message suggests close ids."""
