"""Reading doses written loosely ("hold for a count of ten", "20 to 30 seconds, 2-3 rounds per
leg", "repeat several times", "daily") and comparing them with backcoach's dose.

A count of one is taken as about a second, a slow deep breath as about five seconds (4-6):
rough, and said so in the note, because articles mean them roughly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from backcoach.catalogue.model import Exercise

Amount = int | tuple[int, int] | None

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60,
    "a": 1, "an": 1, "once": 1, "twice": 2, "a couple of": 2, "a pair of": 2,
}  # fmt: skip
BREATH_SECONDS = (4, 6)
"""One slow, deep breath: about 4-6 seconds (a calm breath in and a longer breath out)."""
FEW = (3, 5)
""""A few seconds" / "a few times": read as 3-5."""
SEVERAL = (3, 10)
"""Several: read as 3-10, and called vague in the note."""

_NUM = r"\b(\d{1,3}|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len)[::-1]) + ")"
_RANGE = _NUM + r"(?:\s*(?:-|–|—|to|or)\s*" + _NUM + r")?"
_I = re.IGNORECASE

_HOLD_SECONDS = re.compile(_RANGE + r"\s*(?:-\s*)?(seconds?|secs?|s\b|minutes?|mins?)", _I)
_COUNT = re.compile(r"\b(?:a\s+)?count(?:\s+of|\s+to)\s+" + _RANGE, _I)
_BREATHS = re.compile(_RANGE + r"\s+(?:slow\s+|deep\s+|full\s+|long\s+|calm\s+)*breaths?\b", _I)
_FEW_SECONDS = re.compile(r"\b(a few|few|several|a couple of)\s+seconds?\b", _I)
_HALF_MINUTE = re.compile(r"\bhalf a minute\b", _I)
_REPS = re.compile(
    r"(?<![\d.])" + _RANGE + r"\s*(?:x\s*)?(times|reps?|repetitions?|rounds?|cycles?)\b"
    r"(?!\s+(?:a|per|each|every)\s+(?:day|week|morning|evening))",
    _I,
)
_REPS_LOOSE = re.compile(
    r"\b(?:do|does|did|doing|aim for|try|maybe|about)\s+" + _RANGE + r"(?:\s+of them)?\b"
    r"(?!\s*(?:-|x|sets?|seconds?|secs?|minutes?|mins?|days?|weeks?|hours?|breaths?|times|reps?"
    r"|repetitions?|rounds?|%))"
    r"|" + _RANGE + r"\s+(?:each|per|in each)\s+(?:side|leg|way|direction)\b",
    _I,
)
_SETS_OF = re.compile(_RANGE + r"\s+sets?(?:\s+of\s+" + _RANGE + r")?", _I)
_TIMES_X = re.compile(r"\b(\d{1,2})\s*[x×]\s*(\d{1,3})\b", _I)
_VAGUE_REPS = re.compile(
    r"\b(repeat|do (?:this|it))\s+(several|a few|a number of|multiple|a couple of)\s+times\b"
    r"|\b(several|a few|multiple)\s+(times|reps|repetitions|rounds)\b",
    _I,
)
_PER_SIDE = re.compile(
    r"\b(per|each|every|on each|on both)\s+(side|leg|arm|knee|direction|way)s?\b|"
    r"\b(other|opposite)\s+(side|leg|arm|knee|direction|way)\b|\bswitch (sides|legs)\b|"
    r"\bboth (sides|directions|ways)\b|\balternat\w*\b|\bchange (legs|sides)\b",
    _I,
)
_FREQUENCY = re.compile(
    r"\b(daily|every day|each day|every morning|every evening|once a day|twice a day|"
    r"\w+ times a (day|week)|\d+ (?:to \d+ )?(?:days|times) a week|every other day|"
    r"several times a day|throughout the day|morning and (?:evening|night))\b",
    _I,
)
_INCREASE = re.compile(
    r"\b(as it gets easier|gradually increase|increase the number|build up|work up to|"
    r"add (?:more|a few)|progress to)\b",
    _I,
)


def _n(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 0)


def _amount(low: str, high: str | None, scale: int = 1) -> Amount:
    a = _n(low) * scale
    if high:
        b = _n(high) * scale
        if a == b:
            return a
        return (min(a, b), max(a, b))
    return a


@dataclass
class Found:
    """What one piece of text says about the dose; several pieces are merged (``merge``)."""

    hold: list[tuple[Amount, str]] = field(default_factory=list)
    reps: list[tuple[Amount, str]] = field(default_factory=list)
    sets: list[tuple[Amount, str]] = field(default_factory=list)
    per_side: bool = False
    vague: list[str] = field(default_factory=list)
    frequency: list[str] = field(default_factory=list)
    increase: bool = False
    texts: list[str] = field(default_factory=list)
    breath_or_count: bool = False

    @property
    def any(self) -> bool:
        return bool(self.hold or self.reps or self.sets or self.per_side or self.vague
                    or self.frequency or self.increase)  # fmt: skip


def read_dose(text: str) -> Found:
    """The dose one statement gives, if any."""
    found = Found()
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    for m in _COUNT.finditer(text):
        found.hold.append((_amount(m.group(1), m.group(2)), m.group(0)))
        found.breath_or_count = True
        taken.append(m.span())
    for m in _BREATHS.finditer(text):
        if not free(m):
            continue
        n = _amount(m.group(1), m.group(2))
        low, high = (n if isinstance(n, tuple) else (n, n)) if n is not None else (1, 1)
        found.hold.append(((low * BREATH_SECONDS[0], high * BREATH_SECONDS[1]), m.group(0)))
        found.breath_or_count = True
        taken.append(m.span())
    for m in _HOLD_SECONDS.finditer(text):
        if not free(m):
            continue
        unit = m.group(3).lower()
        scale = 60 if unit.startswith("m") else 1
        if unit == "s" and not re.match(r"\d", m.group(0)):
            continue
        found.hold.append((_amount(m.group(1), m.group(2), scale), m.group(0)))
        taken.append(m.span())
    for m in _FEW_SECONDS.finditer(text):
        if free(m):
            word = m.group(1).lower()
            found.hold.append((SEVERAL if word == "several" else FEW, m.group(0)))
            if word == "several":
                found.vague.append(m.group(0))
            taken.append(m.span())
    for m in _HALF_MINUTE.finditer(text):
        if free(m):
            found.hold.append((30, m.group(0)))
            taken.append(m.span())
    for m in _TIMES_X.finditer(text):
        if free(m):
            found.sets.append((_n(m.group(1)), m.group(0)))
            found.reps.append((_n(m.group(2)), m.group(0)))
            taken.append(m.span())
    for m in _SETS_OF.finditer(text):
        if free(m):
            found.sets.append((_amount(m.group(1), m.group(2)), m.group(0)))
            if m.group(3):
                found.reps.append((_amount(m.group(3), m.group(4)), m.group(0)))
            taken.append(m.span())
    for m in _REPS.finditer(text):
        if free(m):
            value = _amount(m.group(1), m.group(2))
            if m.group(1).lower() in ("a", "an"):
                continue
            found.reps.append((value, m.group(0)))
            taken.append(m.span())
    for m in _REPS_LOOSE.finditer(text):
        if free(m):
            first, second = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if first.lower() not in ("a", "an", "once", "twice"):
                found.reps.append((_amount(first, second), m.group(0)))
            taken.append(m.span())
    for m in _VAGUE_REPS.finditer(text):
        if free(m):
            found.vague.append(m.group(0))
            taken.append(m.span())
    found.per_side = bool(_PER_SIDE.search(text))
    found.frequency = [m.group(0) for m in _FREQUENCY.finditer(text)]
    found.increase = bool(_INCREASE.search(text))
    if found.any:
        found.texts.append(text)
    return found


def merge(parts: Sequence[Found]) -> Found:
    out = Found()
    for part in parts:
        out.hold += part.hold
        out.reps += part.reps
        out.sets += part.sets
        out.per_side = out.per_side or part.per_side
        out.vague += part.vague
        out.frequency += part.frequency
        out.increase = out.increase or part.increase
        out.texts += part.texts
        out.breath_or_count = out.breath_or_count or part.breath_or_count
    return out


def _bounds(value: Amount) -> tuple[int, int] | None:
    if value is None:
        return None
    return value if isinstance(value, tuple) else (value, value)


def _json_amount(value: Amount) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _distinct(values: list[tuple[Amount, str]]) -> list[tuple[Amount, str]]:
    seen: list[tuple[Amount, str]] = []
    for value, text in values:
        if all(value != v for v, _ in seen):
            seen.append((value, text))
    return seen


def _overlap(a: Amount, b: Amount) -> bool:
    x, y = _bounds(a), _bounds(b)
    return x is not None and y is not None and x[0] <= y[1] and y[0] <= x[1]


def _text_of(value: Amount, unit: str) -> str:
    b = _bounds(value)
    if b is None:
        return "none"
    return f"{b[0]} {unit}" if b[0] == b[1] else f"{b[0]}-{b[1]} {unit}"


@dataclass(frozen=True)
class ArticleDose:
    hold_seconds: Amount
    reps: Amount
    sets: Amount
    per_side: bool
    text: str
    note: str

    def as_json(self) -> dict[str, Any]:
        return {
            "hold_seconds": _json_amount(self.hold_seconds),
            "reps": _json_amount(self.reps),
            "sets": _json_amount(self.sets),
            "per_side": self.per_side,
            "text": self.text,
        }


def compare(found: Found, exercise: Exercise) -> ArticleDose:
    """The article's dose for ``exercise`` and a note on how it differs from backcoach's."""
    notes: list[str] = []
    picked: dict[str, Amount] = {}
    for name, values, unit in (
        ("hold", found.hold, "seconds"),
        ("reps", found.reps, "times"),
        ("sets", found.sets, "sets"),
    ):
        distinct = _distinct(values)
        picked[name] = distinct[0][0] if distinct else None
        clash = [v for v, _ in distinct[1:] if not _overlap(v, distinct[0][0])]
        if clash:
            said = " and ".join(f"'{t}'" for _, t in distinct[:3])
            notes.append(
                f"The article gives different {'holds' if name == 'hold' else unit} for this "
                f"exercise ({said}); the first, {_text_of(distinct[0][0], unit)}, is shown."
            )
    dose = exercise.dose
    if picked["hold"] is not None:
        b = _bounds(picked["hold"])
        assert b is not None
        if dose.hold_seconds is not None:
            ours = dose.hold_seconds
            ours_text = f"{ours.min}-{ours.max} seconds (starting at {ours.default})"
            if b[1] < ours.min:
                notes.append(f"Its hold is shorter than backcoach's {ours_text}.")
            elif b[0] > ours.max:
                notes.append(
                    f"Its hold is longer than backcoach's {ours_text}; backcoach builds up to "
                    "longer holds only as the exercise gets easier."
                )
            else:
                notes.append(f"Its hold fits backcoach's {ours_text}.")
        elif dose.duration_seconds is not None:
            d = dose.duration_seconds
            notes.append(
                f"backcoach does this as one continuous stretch of {d.min}-{d.max} seconds "
                "rather than holds."
            )
        else:
            notes.append("backcoach does this exercise as a movement without a hold.")
        if found.breath_or_count:
            notes.append(
                "Counts and breaths are read as seconds (a count of one is about a second, one "
                "slow breath about 5 seconds)."
            )
    elif dose.hold_seconds is not None and dose.hold_seconds.max > 0:
        notes.append(
            f"The article gives no hold; backcoach holds {dose.hold_seconds.default} seconds."
        )
    if picked["reps"] is not None and dose.reps is not None:
        b = _bounds(picked["reps"])
        assert b is not None
        r = dose.reps
        ours_text = f"{r.min}-{r.max} times (starting at {r.default})"
        if b[1] < r.min:
            notes.append(f"It repeats fewer times than backcoach's {ours_text}.")
        elif b[0] > r.max:
            notes.append(f"It repeats more often than backcoach's {ours_text}.")
        else:
            notes.append(f"Its number of repetitions fits backcoach's {ours_text}.")
    if found.vague:
        notes.append(
            f"'{found.vague[0]}' is vague; backcoach gives an exact number and raises it "
            "in small steps."
        )
    if picked["sets"] is not None:
        b = _bounds(picked["sets"])
        assert b is not None
        if b[0] > dose.sets.max:
            notes.append(f"It asks for more sets than backcoach's most ({dose.sets.max}).")
    if found.per_side and not dose.per_side:
        notes.append("The article does it on each side; backcoach does it as one movement.")
    elif dose.per_side and not found.per_side and found.any:
        notes.append("backcoach does this on each side in turn.")
    if found.frequency:
        notes.append(
            f"The article says '{found.frequency[0]}'; backcoach plans your exercise days "
            "with you (at least 2-3 days a week, daily is best for stretches)."
        )
    if found.increase:
        notes.append(
            "Like the article, backcoach adds repetitions as an exercise gets easier, in "
            "small steps on a set schedule."
        )
    if not found.any:
        notes = ["The article gives no dose for this exercise; backcoach's own dose would be used."]
    text = " ".join(dict.fromkeys(found.texts))
    return ArticleDose(
        picked["hold"], picked["reps"], picked["sets"], found.per_side, text, " ".join(notes)
    )
