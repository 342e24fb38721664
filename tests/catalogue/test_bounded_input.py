"""Files a person gives are bounded: exercise YAML, profile and answers JSON, landmark files and
the catalogue cache (issue 20).

The named attacks run through the real CLI and a real server: a "billion laughs" exercise file
(nested aliases), one nested 20,000 brackets deep, and one the fuzz test found (mappings as keys
of mappings, 20 deep: 60 bytes that kept ruamel.yaml hashing for hours). Each must end promptly
(the subprocess timeout is a guard against a hang, not a timing assertion) with a message naming
the file and line, no traceback, and the good exercises still loaded. The rest check each limit
where it bites, with its line, and that one failing file is only ever a problem of that file.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from backcoach import __version__
from backcoach.app import AppContext
from backcoach.bounded import MAX_DEPTH, BoundedInputError, check_json_depth
from backcoach.catalogue import builtin_dir, load_catalogue, load_file
from backcoach.catalogue.cache import CACHE_FORMAT, MAX_CACHE_BYTES, FileCache
from backcoach.catalogue.loader import load_default, yaml_files
from backcoach.catalogue.yamlio import MAX_FILE_BYTES, MAX_TEXT_CHARS, MAX_VALUES
from backcoach.config import Settings
from backcoach.errors import PERSON_FILE_MAX_BYTES
from backcoach.motion.recorded import MAX_JSON_BYTES, LandmarkFileError, RecordedSource
from backcoach.safety.signs import SIGNS
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from tests.conftest import BACKCOACH, run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exercises"
WALL_SIT = EXAMPLES / "wall-sit.yaml"
BRIDGE = builtin_dir() / "bridge.yaml"
BUILTIN_COUNT = len(yaml_files(builtin_dir()))
MONDAY = "2026-11-02"
"""The default profile exercises on Mondays, so a plan has items."""
ANCHORS = "anchors and aliases (&name / *name) are not allowed in exercise files"
TOO_DEEP = f"lists and mappings are nested more than {MAX_DEPTH} levels deep here"


def billion_laughs() -> str:
    """Nine levels of ten aliases each: a billion strings from under 500 bytes."""
    names = "abcdefghi"
    lines = ["id: laughs", "name: Laughs", "a: &a [" + ", ".join(['"lol"'] * 10) + "]"]
    for before, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{before}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def deep_brackets() -> str:
    """A 40 KB file nested 20,000 brackets deep."""
    return "id: deep-brackets\nname: " + "[" * 20_000 + "]" * 20_000 + "\n"


def nested_keys() -> str:
    """Found by the fuzz test: mappings used as keys of mappings, 20 deep, in 60 bytes.
    ruamel.yaml hashes such keys in time that grows about threefold a level (16 deep took
    3 minutes, 20 deep would take hours), so the loader never finished."""
    return "id: nested-keys\nname: " + "{" * 20 + "}" * 20 + "\n"


ATTACKS = {
    # name: (file text, line of the first problem, the problem after "path:line: ")
    "billion-laughs": (
        billion_laughs(),
        3,
        f"{ANCHORS} (got &a); write the value out",
    ),
    "deep-brackets": (
        deep_brackets(),
        2,
        f"{TOO_DEEP}, more than an exercise file ever needs (got 51 levels); "
        "remove the stray opening brackets ('[' or '{') or the extra indentation",
    ),
    "nested-keys": (
        nested_keys(),
        2,
        "a list or mapping is used as a key here (got {...}); keys are "
        "plain names such as 'steps:'; look for a stray '{', '[' or '?'",
    ),
}
BAD_IDS = {"laughs", "deep-brackets", "nested-keys"}


def own_folder(home: Path) -> Path:
    folder = home / "exercises"
    folder.mkdir(exist_ok=True)
    return folder


def ready_to_exercise(home: Path) -> None:
    """A clear warning-sign screen and the default profile, saved on ``MONDAY``."""
    person = AppContext(
        Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": MONDAY})
    ).person()
    take_screen(person.store, person.today(), {s.id: "no" for s in SIGNS})
    update_profile(
        person.store,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space: reading it all would be the bug."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


# --- the named attacks through the real CLI ----------------------------------------------


@pytest.mark.parametrize("attack", ATTACKS)
def test_catalogue_check_names_the_file_and_line(home: Path, attack: str) -> None:
    text, line, problem = ATTACKS[attack]
    folder = own_folder(home)
    bad = folder / f"{attack}.yaml"
    bad.write_text(text, encoding="utf-8")
    shutil.copy(WALL_SIT, folder / "wall-sit.yaml")

    checked = run_cli("catalogue", "check", home=home)

    no_traceback(checked)
    assert checked.returncode == 2
    # One line for the bad file; none for wall-sit.yaml or the built-ins.
    assert checked.stderr.splitlines() == [f"{bad}:{line}: {problem}", "1 problem(s) found."]


@pytest.mark.parametrize(
    "command",
    [["exercises", "list"], ["exercises", "list", "--json"], ["plan", "--json"]],
    ids=" ".join,
)
def test_list_and_plan_leave_the_bad_files_out(home: Path, command: list[str]) -> None:
    folder = own_folder(home)
    for attack, (text, *_) in ATTACKS.items():
        (folder / f"{attack}.yaml").write_text(text, encoding="utf-8")
    shutil.copy(WALL_SIT, folder / "wall-sit.yaml")
    ready_to_exercise(home)

    result = run_cli(*command, home=home, BACKCOACH_TODAY=MONDAY)

    no_traceback(result)
    assert result.returncode == 0, result.stderr
    if command == ["exercises", "list"]:
        # The table warns and sends the person to `catalogue check`, which names file and line.
        warning = " ".join(result.stderr.split())
        assert (
            f"{len(ATTACKS)} problem(s) in your own exercise files; those files were left out"
            in (warning)
        )
        assert "Run `backcoach catalogue check` for details" in warning
        assert "Wall sit (your own)" in result.stdout
        assert not any(bad in result.stdout for bad in BAD_IDS)
    elif command[0] == "exercises":
        ids = {row["id"] for row in json.loads(result.stdout)}
        assert "wall-sit" in ids and len(ids) == BUILTIN_COUNT + 1
    else:
        assert json.loads(result.stdout)["items"], "no plan from the exercises that did load"


# --- the named attacks against a real server ---------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server_with_bad_files(home: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``backcoach serve`` on a home holding every attack and a good own exercise."""
    folder = own_folder(home)
    for attack, (text, *_) in ATTACKS.items():
        (folder / f"{attack}.yaml").write_text(text, encoding="utf-8")
    shutil.copy(WALL_SIT, folder / "wall-sit.yaml")
    ready_to_exercise(home)
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    environ.update({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": MONDAY, "COLUMNS": "200"})
    proc = subprocess.Popen(
        [BACKCOACH, "serve", "--port", str(port), "--no-open"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
    )
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_the_server_keeps_answering_and_stops_on_sigterm(
    server_with_bad_files: tuple[str, subprocess.Popen[str]],
) -> None:
    url, proc = server_with_bad_files
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            if httpx.get(f"{url}/api/status", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)

    with httpx.Client(base_url=url, timeout=60) as client:
        assert client.get("/today").status_code == 200
        plan = client.get("/api/plan")
        assert plan.status_code == 200 and plan.json()["items"]
        exercises = client.get("/api/exercises")
        assert exercises.status_code == 200
        ids = {row["id"] for row in exercises.json()}
        assert "wall-sit" in ids and not ids & BAD_IDS

    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=15)  # a guard: before the fix the server ignored SIGTERM
    _, stderr = proc.communicate()
    assert "Traceback" not in stderr


# --- each limit, with its line ------------------------------------------------------------


def mutated(tmp_path: Path, old: str, new: str, name: str = "bridge.yaml") -> Path:
    text = BRIDGE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of_text(path: Path, fragment: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(fragment)].count("\n") + 1


def only_problem(path: Path) -> str:
    exercise, problems = load_file(path)
    assert exercise is None and len(problems) == 1, problems
    return str(problems[0])


@pytest.mark.parametrize(
    ("new", "marker", "expected"),
    [
        ("name: &title Bridge", "&title", f"{ANCHORS} (got &title); write the value out"),
        (
            "name: Bridge\nsame: &steps [1]\nother: *steps",
            "&steps",
            f"{ANCHORS} (got &steps); write the value out",
        ),
        (
            "name: Bridge\n<<: *base",
            "<<: *base",
            f"{ANCHORS} (got *base); write the value out",
        ),
    ],
    ids=["anchor", "anchor-and-alias", "merge-key"],
)
def test_anchors_and_aliases_are_refused(
    tmp_path: Path, new: str, marker: str, expected: str
) -> None:
    path = mutated(tmp_path, "name: Bridge", new)
    assert only_problem(path) == f"{path}:{line_of_text(path, marker)}: {expected}"


@pytest.mark.parametrize(
    ("new", "got"),
    [
        ("name: Bridge\n? [a, b]\n: 1", "[...]"),
        ("name: {[a]: 1, b: 2}", "[...]"),
        ("name: {{a: 1}}", "{...}"),
    ],
    ids=["explicit-key", "flow-list-key", "flow-mapping-key"],
)
def test_a_list_or_mapping_as_a_key_is_refused(tmp_path: Path, new: str, got: str) -> None:
    path = mutated(tmp_path, "name: Bridge", new)
    line = line_of_text(path, "[a" if got == "[...]" else "{{")
    assert only_problem(path) == (
        f"{path}:{line}: a list or mapping is used as a key here "
        f"(got {got}); keys are plain names such as 'steps:'; look for a stray '{{', '[' or '?'"
    )


def test_nesting_is_refused_beyond_the_limit_only(tmp_path: Path) -> None:
    # The file's own mapping is level 1, so name's value may open MAX_DEPTH - 1 lists.
    inner = MAX_DEPTH - 1
    at_limit = mutated(tmp_path, "name: Bridge", "name: " + "[" * inner + "]" * inner)
    _, problems = load_file(at_limit)
    assert problems and not any(TOO_DEEP in str(p) for p in problems)  # wrong type, not depth

    # Block style nests by indentation: the mapping holding k<n> is level n + 1.
    keys = "".join("  " * n + f"k{n}:\n" for n in range(1, MAX_DEPTH + 1))
    over = mutated(tmp_path, "name: Bridge", f"name:\n{keys}" + "  " * (MAX_DEPTH + 1) + "x")
    assert only_problem(over).startswith(
        f"{over}:{line_of_text(over, f'k{MAX_DEPTH}:')}: {TOO_DEEP}"
    )


def test_a_long_text_is_refused_with_its_length(tmp_path: Path) -> None:
    long = "x" * (MAX_TEXT_CHARS + 1)
    path = mutated(tmp_path, "name: Bridge", f"name: Bridge\nsummary2: {long}")
    assert only_problem(path) == (
        f"{path}:{line_of_text(path, 'summary2')}: this text is longer "
        f"than the {MAX_TEXT_CHARS:,} characters a value in an exercise file may have "
        f"(got {MAX_TEXT_CHARS + 1:,} characters); shorten it (texts shown to the person hold "
        "at most 400 characters)"
    )
    # Below the limit, the schema's own message (with the field name) still speaks.
    path = mutated(tmp_path, "name: Bridge", "name: " + "x" * 401)
    assert "name: is too long (at most 120)" in only_problem(path)


def test_too_many_values_are_refused(tmp_path: Path) -> None:
    items = "\n".join(f"  - {i}" for i in range(MAX_VALUES))
    path = mutated(tmp_path, "name: Bridge", f"name: Bridge\nnumbers:\n{items}")
    message = only_problem(path)
    assert f"the file holds more than {MAX_VALUES:,} values" in message
    line = int(message.split(":")[1])
    assert line < path.read_text().count("\n")  # stopped on the way, not at the end


def test_a_large_file_is_refused_from_its_size_alone(tmp_path: Path) -> None:
    big = sparse_file(tmp_path / "big.yaml", 64 * 1024 * 1024)
    # The exact size can only come from stat: the file was never read.
    assert only_problem(big) == (
        f"{big}:1: the file is too large for an exercise file: at most "
        f"256 KB ({MAX_FILE_BYTES:,} bytes) (got 67,108,864 bytes); check that this is the "
        "right file; an exercise file is normally far smaller"
    )
    # A file just at the limit is read (a valid exercise padded with a comment).
    text = BRIDGE.read_text(encoding="utf-8")
    padded = tmp_path / "bridge.yaml"
    padded.write_text(text + "#" * (MAX_FILE_BYTES - len(text.encode()) - 1) + "\n")
    assert padded.stat().st_size == MAX_FILE_BYTES
    assert load_file(padded) == (load_file(BRIDGE)[0], [])


@pytest.mark.parametrize(
    ("old", "new", "marker", "expected"),
    [
        (
            "difficulty: 2",
            "difficulty: " + "1" * 5000,
            "difficulty",
            "this value cannot be read (got Exceeds the limit (4300 digits)",
        ),
        ("difficulty: 2", "difficulty: !!float abc", "difficulty", "this value cannot be read"),
        ("name: Bridge", "name: !!timestamp 2026-13-45", "name: !!", "this value cannot be read"),
    ],
    ids=["5000-digits", "bad-float-tag", "bad-date-tag"],
)
def test_values_the_parser_cannot_build_name_their_line(
    tmp_path: Path, old: str, new: str, marker: str, expected: str
) -> None:
    path = mutated(tmp_path, old, new)
    message = only_problem(path)
    assert message.startswith(f"{path}:{line_of_text(path, marker)}: ")
    assert expected in message and "put text that looks like a number" in message


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bridge.yaml"
    path.write_bytes(BRIDGE.read_bytes().replace(b"name: Bridge", b"name: Br\xffdge", 1))
    line = BRIDGE.read_text(encoding="utf-8").split("name: Bridge")[0].count("\n") + 1
    assert only_problem(path).startswith(
        f"{path}:{line}: the file is not UTF-8 text (got byte b'\\xff')"
    )


# --- one failing file is that file's problem only -----------------------------------------


@pytest.mark.parametrize("error", [RecursionError, MemoryError, KeyError])
def test_any_failure_of_one_file_is_a_problem_of_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    from backcoach.catalogue import loader

    folder = tmp_path / "own"
    folder.mkdir()
    shutil.copy(WALL_SIT, folder / "wall-sit.yaml")
    unlucky = mutated(folder, "id: bridge", "id: unlucky", "unlucky.yaml")
    real = loader.to_plain

    def failing(node: object) -> object:
        if isinstance(node, dict) and node.get("id") == "unlucky":
            raise error("deep inside")
        return real(node)

    monkeypatch.setattr(loader, "to_plain", failing)
    catalogue, problems = load_catalogue([(builtin_dir(), True), (folder, False)])
    assert "wall-sit" in catalogue and len(catalogue) == BUILTIN_COUNT + 1
    assert [str(p).split(" (got")[0] for p in problems] == [
        f"{unlucky}:1: "
        + (
            "is too complex to check (nested or repeated too much)"
            if error is not KeyError
            else "could not be checked because backcoach failed on it"
        )
    ]


def test_a_failing_extra_check_is_a_problem_of_that_file(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    folder.mkdir()
    shutil.copy(WALL_SIT, folder / "wall-sit.yaml")
    shutil.copy(EXAMPLES / "leg-raise.yaml", folder / "leg-raise.yaml")

    def check(exercise: object) -> list[tuple[list[str | int], str, str]]:
        if getattr(exercise, "id", None) == "wall-sit":
            raise ZeroDivisionError("division by zero")
        return []

    catalogue, problems = load_catalogue(
        [(builtin_dir(), True), (folder, False)], extra_checks=[check], check_builtin=False
    )
    assert "leg-raise" in catalogue and "wall-sit" not in catalogue
    assert [str(p) for p in problems] == [
        f"{folder / 'wall-sit.yaml'}:1: could not be checked because "
        "backcoach failed on it (got ZeroDivisionError: division by zero); please report this "
        "with the file; until then move the file out of the folder so the other exercises are "
        "unaffected"
    ]


# --- the catalogue cache -------------------------------------------------------------------


def cache_text(files: object) -> str:
    return json.dumps({"format": CACHE_FORMAT, "version": __version__, "files": files})


POISONED_CACHES = {
    "deep": "[" * 20_000 + "]" * 20_000,
    "a-list": "[]",
    "files-a-list": cache_text([]),
    "entry-a-string": cache_text({str(BRIDGE): "x"}),
}


@pytest.mark.parametrize("kind", POISONED_CACHES)
def test_a_poisoned_cache_is_ignored(tmp_path: Path, kind: str) -> None:
    location = tmp_path / "catalogue.json"
    location.write_text(POISONED_CACHES[kind], encoding="utf-8")
    catalogue, problems = load_default(None, cache_file=location)
    assert len(catalogue) == BUILTIN_COUNT and problems == []
    # ... and rewritten whole, so the next start is fast again.
    assert set(json.loads(location.read_text())["files"]) == {
        str(p) for p in yaml_files(builtin_dir())
    }


def test_an_oversized_cache_is_not_even_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = sparse_file(tmp_path / "catalogue.json", MAX_CACHE_BYTES + 1)
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    cache = FileCache(location)
    assert location not in opened  # refused from its size (stat) alone
    assert cache.get(BRIDGE) is None


def test_a_deep_cache_does_not_stop_the_cli(home: Path) -> None:
    (home / "cache").mkdir()
    (home / "cache" / "catalogue.json").write_text(POISONED_CACHES["deep"])
    listed = run_cli("exercises", "list", "--json", home=home)
    no_traceback(listed)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == BUILTIN_COUNT


# --- JSON files a person gives: profile and answers files ----------------------------------

JSON_COMMANDS = {
    "plan-profile": ["plan", "--json", "--profile"],
    "screen-answers": ["screen", "--dry-run", "--answers"],
}
LARGE_JSON = b'{"minutes": 15, "notes": "' + b"x" * PERSON_FILE_MAX_BYTES + b'"}'
JSON_ATTACKS = {
    # name: (file bytes, line, what the message says)
    "deep": (
        b'{\n  "minutes": 15,\n  "goals": ' + b"[" * 20_000 + b"]" * 20_000 + b"\n}\n",
        3,
        f"{TOO_DEEP}, more than a profile or answers file ever needs (got 51 levels); remove "
        "the stray opening brackets ('[' or '{')",
    ),
    "large": (
        LARGE_JSON,
        1,
        "the file is too large for a profile or answers file: at most 256 KB (262,144 bytes) "
        f"(got {len(LARGE_JSON):,} bytes); check that this is the right file",
    ),
    "not-utf8": (b'{\n  "minutes": 15,\n  "notes": "caf\xe9"\n}\n', 3, "the file is not UTF-8"),
    "long-number": (
        b'{\n  "minutes": ' + b"1" * 5000 + b"\n}\n",
        2,
        "this number is too long to read (got 5,000 digits); write an ordinary number",
    ),
}


@pytest.mark.parametrize("attack", JSON_ATTACKS)
@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_json_files_are_bounded_with_file_and_line(
    home: Path, tmp_path: Path, command: str, attack: str
) -> None:
    content, line, message = JSON_ATTACKS[attack]
    path = tmp_path / "given.json"
    path.write_bytes(content)
    result = run_cli(*JSON_COMMANDS[command], str(path), home=home)
    no_traceback(result)
    assert result.returncode == 2
    flat = " ".join(result.stderr.split())
    assert f"Error: {path}:{line}: {message}" in flat


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_profile_file_is_read_only_to_the_limit(home: Path) -> None:
    result = run_cli("plan", "--json", "--profile", "/dev/zero", home=home)
    no_traceback(result)
    assert result.returncode == 2
    assert f"(got more than {PERSON_FILE_MAX_BYTES:,} bytes)" in " ".join(result.stderr.split())


# --- landmark files --------------------------------------------------------------------------


def test_a_deep_landmark_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    path.write_text('{"format": "backcoach-landmarks",\n "frames": ' + "[" * 20_000)
    with pytest.raises(LandmarkFileError) as caught:
        RecordedSource(path)
    assert str(caught.value).startswith(f"{path}:2: {TOO_DEEP}, more than a landmark file")


def test_an_oversized_landmark_file_is_not_read(tmp_path: Path) -> None:
    path = sparse_file(tmp_path / "marks.json", MAX_JSON_BYTES + 1)
    with pytest.raises(LandmarkFileError) as caught:
        RecordedSource(path)
    assert str(caught.value) == (
        f"{path}:1: the file is too large for a landmark file: at most 64 MB "
        f"({MAX_JSON_BYTES:,} bytes) (got {MAX_JSON_BYTES + 1:,} bytes); check that this is "
        "the right file; a landmark file is normally far smaller"
    )


# --- the depth scan itself -------------------------------------------------------------------


def test_brackets_inside_strings_do_not_count(tmp_path: Path) -> None:
    deep_text = "[" * (MAX_DEPTH + 10)
    text = json.dumps({"a": deep_text, "b": f'say "{deep_text}"', "c": "\\" + deep_text})
    check_json_depth(tmp_path / "x.json", text, "a test file")  # no error
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    check_json_depth(tmp_path / "x.json", nested, "a test file")  # exactly at the limit
    with pytest.raises(BoundedInputError) as caught:
        check_json_depth(tmp_path / "x.json", "\n[" + nested + "]", "a test file")
    assert caught.value.line == 2 and caught.value.got == f"{MAX_DEPTH + 1} levels"
