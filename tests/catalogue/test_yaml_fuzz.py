"""Fuzzing the files a person gives: mangled exercise YAML and profile JSON.

Each input starts from a real file (built-in exercises, the shipped examples, the profile from
docs/profile-file.md) and gets a few mutations: lines deleted, duplicated or swapped, anchors and
aliases, deep nesting, huge strings and numbers, wrong types, odd unicode, tabs, bytes that are
not UTF-8, truncation. Whatever comes out, the loader must answer with problems that name the
file and a line inside it (never raise, never fall back to "backcoach failed on it"), a good file
next to it must still load, and a profile file must end in a plan or a worded error.

The number of inputs tried is printed (``pytest -s`` shows it; it also prints without).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach.app import AppContext
from backcoach.body.checks import check_exercise
from backcoach.catalogue import builtin_dir, load_catalogue
from backcoach.catalogue.cache import FileCache
from backcoach.catalogue.loader import yaml_files
from backcoach.errors import BackcoachError, InputFileError, read_json_file
from backcoach.motion.checks import check_coach
from backcoach.services.plans import plan_for_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exercises"
GOOD = EXAMPLES / "wall-sit.yaml"
SEEDS = [
    builtin_dir() / "bridge.yaml",
    builtin_dir() / "cat-cow.yaml",
    builtin_dir() / "diaphragmatic-breathing.yaml",
    EXAMPLES / "leg-raise.yaml",
]
"""The largest built-in file, one with key poses, a breathing one, and one with a coach section."""
BUILTIN_COUNT = len(yaml_files(builtin_dir()))

YAML_EXAMPLES = 300
JSON_EXAMPLES = 250
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Fixed example counts, no deadline (the machine may be busy), nothing saved in the repo."""

Lines = list[str]
Mutation = Callable[[Lines], Lines]

# --- exercise YAML mutations -------------------------------------------------------------------

ODD_VALUES = [
    "[]",
    "{}",
    "null",
    "~",
    "''",
    "-1",
    "0",
    "1e999",
    ".nan",
    "-.inf",
    "true",
    "yes",
    "0x1F",
    "0o17",
    "2026-13-45",
    "2026-02-03",
    "12:30:00",
    "!!binary aGVsbG8=",
    "!!float abc",
    "!!int '12'",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!python/object:os.system x",
    "!custom thing",
    "? [a, b]",
    "'unclosed",
    '"unclosed',
    "[unclosed",
    "{a: 1",
    "|",
    ">-",
    "@reserved",
    "`reserved",
    "*undefined",
    "&lonely value",
    "1" * 5000,
    "9" * 400 + ".5",
    "- a\n- b",
    "a: b: c",
    "%YAML 1.1",
    "---",
    "...",
]
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12
) | st.sampled_from(["\t", "\x00", "\x07", "\ufeff", "\u2028", "\u202e", "é", "🙂", "\r", "\x85"])


def _index(lines: Lines, i: int) -> int:
    return i % max(len(lines), 1)


def delete_line(i: int) -> Mutation:
    return lambda lines: [ln for n, ln in enumerate(lines) if n != _index(lines, i)]


def duplicate_line(i: int) -> Mutation:
    def apply(lines: Lines) -> Lines:
        n = _index(lines, i)
        return lines[: n + 1] + lines[n:] if lines else lines

    return apply


def swap_lines(i: int, j: int) -> Mutation:
    def apply(lines: Lines) -> Lines:
        if not lines:
            return lines
        a, b = _index(lines, i), _index(lines, j)
        out = list(lines)
        out[a], out[b] = out[b], out[a]
        return out

    return apply


def replace_value(i: int, value: str) -> Mutation:
    """``key: value`` becomes ``key: <odd value>`` (or ``- item`` becomes ``- <odd value>``)."""

    def apply(lines: Lines) -> Lines:
        if not lines:
            return [value]
        n = _index(lines, i)
        head, sep, _ = lines[n].partition(": ")
        if not sep:
            head, sep, _ = lines[n].partition("- ")
        out = list(lines)
        out[n] = f"{head}{sep or ': '}{value}"
        return out

    return apply


def anchor_and_alias(i: int, name: str) -> Mutation:
    """Anchor a value and use it again further down, billion-laughs style."""

    def apply(lines: Lines) -> Lines:
        out = replace_value(i, f"&{name} [x, x, x]")(lines)
        return [*out, f"again: [*{name}, *{name}, *{name}]", f"<<: *{name}"]

    return apply


def deep(i: int, depth: int, brackets: str) -> Mutation:
    opening, closing = brackets
    return replace_value(i, opening * depth + closing * depth)


def huge(i: int, size: int) -> Mutation:
    return replace_value(i, "x" * size)


def insert_text(i: int, at: int, text: str) -> Mutation:
    def apply(lines: Lines) -> Lines:
        if not lines:
            return [text]
        n = _index(lines, i)
        line = lines[n]
        cut = at % (len(line) + 1)
        out = list(lines)
        out[n] = line[:cut] + text + line[cut:]
        return out

    return apply


def tabs(i: int) -> Mutation:
    def apply(lines: Lines) -> Lines:
        if not lines:
            return lines
        n = _index(lines, i)
        out = list(lines)
        stripped = out[n].lstrip(" ")
        out[n] = "\t" * ((len(out[n]) - len(stripped)) // 2 or 1) + stripped
        return out

    return apply


def indent(i: int, by: int) -> Mutation:
    def apply(lines: Lines) -> Lines:
        if not lines:
            return lines
        n = _index(lines, i)
        out = list(lines)
        out[n] = " " * by + out[n] if by > 0 else out[n][-by:]
        return out

    return apply


def truncate(at: int) -> Mutation:
    def apply(lines: Lines) -> Lines:
        text = "\n".join(lines)
        return text[: at % (len(text) + 1)].split("\n")

    return apply


POSITION = st.integers(min_value=0, max_value=10_000)
YAML_MUTATIONS = st.one_of(
    st.builds(delete_line, POSITION),
    st.builds(duplicate_line, POSITION),
    st.builds(swap_lines, POSITION, POSITION),
    st.builds(replace_value, POSITION, st.sampled_from(ODD_VALUES)),
    st.builds(replace_value, POSITION, ODD_TEXT),
    st.builds(anchor_and_alias, POSITION, st.sampled_from(["a", "base", "x1"])),
    st.builds(
        deep, POSITION, st.integers(min_value=40, max_value=20_000), st.sampled_from(["[]", "{}"])
    ),
    st.builds(huge, POSITION, st.sampled_from([401, 9_999, 10_001, 100_000, 300_000])),
    st.builds(insert_text, POSITION, POSITION, ODD_TEXT),
    st.builds(tabs, POSITION),
    st.builds(indent, POSITION, st.integers(min_value=-4, max_value=6)),
    st.builds(truncate, POSITION),
)


@st.composite
def mangled_exercise(draw: st.DrawFn) -> tuple[Path, bytes]:
    seed = draw(st.sampled_from(SEEDS))
    lines = seed.read_text(encoding="utf-8").split("\n")
    for mutation in draw(st.lists(YAML_MUTATIONS, min_size=1, max_size=4)):
        lines = mutation(lines)
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    if draw(st.integers(min_value=0, max_value=9)) == 0:  # now and then, bytes that are not UTF-8
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[at:]
    return seed, data


CACHE = FileCache(None)
"""Keeps the built-ins validated in memory between examples (the mangled file never is: each
example writes it to a new folder, and a file with problems is never cached)."""


def check_folder(folder: Path, seed: Path, data: bytes) -> str:
    """Load the built-ins and a folder holding the mangled file and a good one; return what
    became of the mangled file."""
    path = folder / f"fuzzed-{seed.name}"
    path.write_bytes(data.replace(f"id: {seed.stem}".encode(), f"id: fuzzed-{seed.stem}".encode()))
    shutil.copy(GOOD, folder / GOOD.name)

    catalogue, problems = load_catalogue(
        [(builtin_dir(), True), (folder, False)],
        cache=CACHE,
        extra_checks=[check_exercise, check_coach],
        check_builtin=False,
    )

    lines = data.count(b"\n") + 1
    assert "wall-sit" in catalogue and len(catalogue) >= BUILTIN_COUNT + 1, problems
    loaded = f"fuzzed-{seed.stem}" in catalogue
    assert loaded or problems, "a file left out without a problem saying why"
    for problem in problems:
        text = str(problem)
        assert problem.path == path and text.startswith(f"{path}:{problem.line}: "), text
        assert 1 <= problem.line <= lines, text
        assert "backcoach failed on it" not in text, text  # every failure is explained
    return "loaded" if loaded else "left out with problems"


def test_mangled_exercise_files_give_problems_never_exceptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tried: Counter[str] = Counter()
    started = time.monotonic()

    @settings(FUZZ, max_examples=YAML_EXAMPLES)
    @given(mangled_exercise())
    def check(case: tuple[Path, bytes]) -> None:
        seed, data = case
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        try:
            tried[check_folder(folder, seed, data)] += 1
        finally:
            shutil.rmtree(folder)

    check()
    with capsys.disabled():
        print(
            f"\nexercise YAML fuzz: {sum(tried.values())} mangled files tried "
            f"({dict(tried)}) in {time.monotonic() - started:.1f} s, 0 exceptions"
        )
    assert sum(tried.values()) >= YAML_EXAMPLES // 2


# --- profile JSON mutations --------------------------------------------------------------------

PROFILE = {
    "minutes": 15,
    "days": ["mon", "wed", "fri"],
    "reminder_time": "18:00",
    "goals": ["relief", "mobility", "strength", "posture"],
    "equipment": ["mat", "chair", "towel"],
    "experience": "new",
    "conditions": ["osteoporosis", {"id": "pregnancy", "weeks": 24}],
    "directional_preference": "extension",
    "screen": {"tier": "soon", "taken_on": "2026-11-10", "cleared_on": "2026-11-12"},
}
"""The example in docs/profile-file.md."""

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["Emergency", " clear", "mon ", "", "25:99", "2026-02-30", "x" * 300_000]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _nested(depth: int) -> object:
    value: object = []
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def mangled_profile(draw: st.DrawFn) -> bytes:
    data: dict[str, object] = dict(PROFILE)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        key = draw(st.sampled_from([*PROFILE, "weeks", "unknown_field", "screen"]))
        if draw(st.booleans()) and key in data:
            del data[key]
        else:
            data[key] = draw(JSON_VALUES)
    text = json.dumps(data, indent=draw(st.sampled_from([None, 2])))
    how = draw(st.integers(min_value=0, max_value=7))
    if how == 0:  # nested far too deep, written out by hand (json.dumps would recurse)
        depth = draw(st.integers(min_value=45, max_value=20_000))
        text = text.replace('"minutes": ', '"minutes": ' + "[" * depth + "]" * depth + ', "m": ', 1)
    elif how == 1:  # a number with thousands of digits
        text = text.replace("15", "1" * draw(st.integers(min_value=4000, max_value=6000)), 1)
    elif how == 2:  # cut short
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    elif how == 3:  # odd characters somewhere
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(ODD_TEXT) + text[at:]
    elif how == 4:  # not an object at all
        text = json.dumps(draw(JSON_VALUES)) if draw(st.booleans()) else json.dumps(_nested(30))
    raw = text.encode("utf-8", errors="surrogatepass")
    if how == 5:
        raw = raw.replace(b"new", b"n\xe9w")
    return raw


def test_mangled_profile_files_give_a_plan_or_a_worded_error(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from backcoach.config import Settings

    person = AppContext(Settings.from_environ({"BACKCOACH_HOME": str(home)})).person()
    path = tmp_path / "profile.json"
    tried: Counter[str] = Counter()
    started = time.monotonic()

    @settings(FUZZ, max_examples=JSON_EXAMPLES)
    @given(mangled_profile())
    def check(raw: bytes) -> None:
        path.write_bytes(raw)
        try:
            data = read_json_file(path, example='{"minutes": 15}')
        except InputFileError as exc:
            assert re.match(rf"{re.escape(str(path))}:\d+: ", str(exc)), str(exc)
            assert "Traceback" not in str(exc)
            tried["refused when read (file:line)"] += 1
            return
        try:
            plan_for_profile(person.catalogue, person.today(), data)
        except BackcoachError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            tried["refused with a worded error"] += 1
            return
        tried["planned"] += 1

    check()
    with capsys.disabled():
        print(
            f"\nprofile JSON fuzz: {sum(tried.values())} mangled files tried "
            f"({dict(tried)}) in {time.monotonic() - started:.1f} s, 0 exceptions"
        )
    assert sum(tried.values()) >= JSON_EXAMPLES // 2
