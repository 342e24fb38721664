"""What the CLI prints is printed as written: file positions and people's words are never
turned into emoji."""

from __future__ import annotations

from backcoach.cli.common import console, err_console


def test_a_line_number_of_100_stays_a_line_number() -> None:
    for out in (console, err_console):
        with out.capture() as captured:
            out.print("my-exercise.yaml:100: 'reps' is missing :smile:")
        assert captured.get().strip() == "my-exercise.yaml:100: 'reps' is missing :smile:"
