"""Plain-words descriptions of catalogue data, shared by the CLI, web pages and handouts."""

from __future__ import annotations

from backcoach.catalogue.model import Dose, IntRange


def plural(n: int | float, word: str) -> str:
    return f"{n:g} {word}" if n == 1 else f"{n:g} {word}s"


def seconds_text(seconds: float) -> str:
    """``45 s``, ``2 min``, ``1 min 30 s``."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"


def range_text(r: IntRange, unit: str = "") -> str:
    if r.min == r.max:
        return f"{r.default}{unit}"
    return f"{r.default}{unit} (from {r.min} to {r.max})"


def dose_text(
    dose: Dose,
    *,
    sets: int | None = None,
    reps: int | None = None,
    hold: int | None = None,
    duration: int | None = None,
) -> str:
    """One line such as ``2 sets of 10 reps, hold 10 s each, each side; rest 30 s``.

    Without overrides, the catalogue's default dose is described.
    """
    n_sets = sets if sets is not None else dose.sets.default
    parts = []
    if dose.reps is not None:
        n_reps = reps if reps is not None else dose.reps.default
        parts.append(f"{plural(n_sets, 'set')} of {plural(n_reps, 'rep')}")
        hold_s = (
            hold if hold is not None else (dose.hold_seconds.default if dose.hold_seconds else 0)
        )
        if hold_s:
            parts.append(f"hold {seconds_text(hold_s)} each")
    else:
        assert dose.duration_seconds is not None
        length = duration if duration is not None else dose.duration_seconds.default
        prefix = f"{plural(n_sets, 'round')} of " if n_sets > 1 else ""
        parts.append(prefix + seconds_text(length))
    if dose.per_side:
        parts.append("each side")
    text = ", ".join(parts)
    if n_sets > 1 and dose.rest_seconds:
        text += f"; rest {seconds_text(dose.rest_seconds)} between sets"
    return text
