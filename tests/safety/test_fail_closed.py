"""Every way a safety decision can be fed a value it does not know ends in "no plan, no session".

Each entry point that decides whether a person may exercise is tried with every malformed value
we could think of (case, whitespace, unknown ids, wrong types, null, a lying record): the screen
answers, the saved screen (checked again where it is used), the profile and its conditions, a
profile file's screen entry, the stop-rule inputs, and the web API. Each asserts that no plan is
offered, no session starts, and the reason is a plain sentence (no traceback).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from backcoach.app import AppContext, PersonContext
from backcoach.errors import BackcoachError, PlanRefused
from backcoach.records.tables import ProfileRow, ScreenRow, SessionRow
from backcoach.safety.gate import plan_gate
from backcoach.safety.screen import saved_screen_problem, screen
from backcoach.safety.signs import SIGNS
from backcoach.safety.stoprules import PainCheck, judge
from backcoach.services import sessions
from backcoach.services.plans import plan_for_profile, todays_plan
from backcoach.services.profiles import update_profile
from backcoach.services.screening import gate, record_clearance, take_screen
from tests.conftest import run_cli

ALL_NO: dict[str, Any] = {s.id: "no" for s in SIGNS}
TODAY = dt.date(2026, 11, 2)

TIER_LOOKALIKES: list[object] = [
    "Emergency",
    "EMERGENCY",
    " emergency",
    "emergency ",
    "Clear",
    "CLEAR",
    " clear",
    "clear\n",
    "clear\x00",
    "cleared",
    "ok",
    "none",
    "",
    "null",
    "Soon",
    "urgent!",
    0,
    1,
    3.0,
    True,
    False,
    [],
    ["clear"],
    {"tier": "clear"},
    b"clear",
]
"""Values that are not exactly a tier this program writes."""

SIGN_LISTS: list[object] = [
    ["Bladder_change"],
    [" bladder_change"],
    ["bladder_change "],
    ["no_such_sign"],
    "bladder_change",
    None,
    [None],
    [1],
    [["bladder_change"]],
    {"bladder_change": True},
]
"""Values that are not a list of known warning-sign ids."""

ANSWER_SETS: list[object] = [
    {**ALL_NO, "bladder_change": "Yes"},
    {**ALL_NO, "bladder_change": True},
    {**ALL_NO, "bladder_change": None},
    {**ALL_NO, "bladder_change": 0},
    {**ALL_NO, "bladder_change": "no "},
    {**ALL_NO, "Bladder_change": "no"},
    {**ALL_NO, "no_such_sign": "no"},
    None,
    [],
    "no",
    7,
]
"""Saved answers: the app stores them normalised (yes / no / unsure), so anything else is damage."""


def _person(home: Path) -> PersonContext:
    from backcoach.config import Settings

    return AppContext(
        Settings.from_environ({"BACKCOACH_HOME": str(home), "BACKCOACH_TODAY": TODAY.isoformat()})
    ).person()


@pytest.fixture
def ready(tmp_path: Path) -> Iterator[PersonContext]:
    """A person with a clear screen and a saved profile: a plan is allowed, before tampering."""
    home = tmp_path / "home"
    home.mkdir()
    person = _person(home)
    take_screen(person.store, person.today(), ALL_NO)
    update_profile(person.store, minutes=15)
    assert gate(person.store, person.today()).allowed
    yield person


def _tamper_screen(person: PersonContext, **values: Any) -> None:
    """Change the saved screen as a hand edit, a damaged file or a foreign import would."""
    with person.store.scoped() as s:
        s.execute(update(ScreenRow).values(**values))


def _assert_no_plan_no_session(person: PersonContext) -> str:
    decision = gate(person.store, person.today())
    assert not decision.allowed
    assert decision.reason and "Traceback" not in decision.reason
    with pytest.raises(PlanRefused):
        todays_plan(person.store, person.catalogue, person.today())
    with pytest.raises(BackcoachError):
        sessions.begin(person.store, person.catalogue, person.today, "auto", 0.0)
    with person.store.scoped() as s:
        assert s.scalars(select(SessionRow)).all() == []
    return decision.reason


# --- the gate itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("tier", TIER_LOOKALIKES, ids=repr)
def test_plan_gate_refuses_a_tier_it_does_not_know(tier: object) -> None:
    gate = plan_gate(tier, TODAY, TODAY, TODAY)
    assert not gate.allowed and gate.code == "invalid-screen"
    assert "answer the warning-sign questions again" in gate.reason


@pytest.mark.parametrize("taken", ["2026-11-02", dt.datetime(2026, 11, 2), 20261102, "today"])
def test_plan_gate_refuses_a_date_that_is_not_a_date(taken: object) -> None:
    assert not plan_gate("clear", taken, None, TODAY).allowed  # type: ignore[arg-type]
    assert not plan_gate("soon", TODAY, taken, TODAY).allowed  # type: ignore[arg-type]


# --- the saved screen, checked again where it is used ----------------------------------------


@pytest.mark.parametrize("tier", TIER_LOOKALIKES, ids=repr)
def test_a_saved_screen_with_an_unknown_tier_gives_no_plan(
    ready: PersonContext, tier: object
) -> None:
    _tamper_screen(ready, tier=str(tier) if not isinstance(tier, str) else tier)
    reason = _assert_no_plan_no_session(ready)
    assert "cannot be read safely" in reason


def test_the_capital_e_emergency_of_the_finding_gives_no_plan(ready: PersonContext) -> None:
    """The finding: tier "Emergency" with the flag bladder_change let a plan through."""
    _tamper_screen(ready, tier="Emergency", flags=["bladder_change"])
    reason = _assert_no_plan_no_session(ready)
    assert "'Emergency'" in reason


@pytest.mark.parametrize("field", ["flags", "unanswered"])
@pytest.mark.parametrize("value", SIGN_LISTS, ids=repr)
def test_a_saved_screen_with_unknown_sign_ids_gives_no_plan(
    ready: PersonContext, field: str, value: object
) -> None:
    _tamper_screen(ready, **{field: value})
    _assert_no_plan_no_session(ready)


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=repr)
def test_saved_answers_that_are_not_yes_no_unsure_give_no_plan(
    ready: PersonContext, answers: object
) -> None:
    _tamper_screen(ready, answers=answers)
    _assert_no_plan_no_session(ready)


@pytest.mark.parametrize(
    "values",
    [
        # a "clear" tier over answers that are an emergency
        {"answers": {**ALL_NO, "bladder_change": "yes"}},
        # a flag with no answer behind it
        {"flags": ["bladder_change"]},
        # questions that were never answered, called clear
        {"answers": {}, "unanswered": []},
        {"answers": {k: v for k, v in ALL_NO.items() if k != "saddle_numbness"}},
    ],
    ids=["emergency-answers", "flag-without-answer", "nothing-answered", "one-unanswered"],
)
def test_a_saved_screen_that_contradicts_its_answers_gives_no_plan(
    ready: PersonContext, values: dict[str, Any]
) -> None:
    _tamper_screen(ready, **values)
    _assert_no_plan_no_session(ready)


def test_a_damaged_screen_cannot_be_cleared(ready: PersonContext) -> None:
    _tamper_screen(ready, tier="Urgent")
    with pytest.raises(BackcoachError, match="answer the questions again"):
        record_clearance(ready.store, ready.today(), TODAY, "Dr Who")


def test_every_screen_the_app_writes_passes_its_own_check() -> None:
    """The check is not stricter than the app: every real result reads back as trusted."""
    import random

    rng = random.Random(20)
    ids = [s.id for s in SIGNS]
    choices = ["yes", "no", "unsure", None]
    tried = 0
    for _ in range(2000):
        # mostly "no", as real answers are, so that every tier comes up
        combo = [rng.choice(choices) if rng.random() < 0.15 else "no" for _ in ids]
        answers = {i: a for i, a in zip(ids, combo, strict=True) if a is not None}
        result = screen(answers)
        problem = saved_screen_problem(
            result.tier, list(result.flags), list(result.unanswered), dict(result.answers)
        )
        assert problem is None, (answers, problem)
        tried += 1
    assert tried == 2000


# --- screen answers as they enter --------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {**ALL_NO, "bladder_change": "yess"},
        {**ALL_NO, "bladder_change": 1},
        {**ALL_NO, "bladder_change": 0},
        {**ALL_NO, "bladder_change": []},
        {**ALL_NO, "bladder_change": {"answer": "no"}},
        {**ALL_NO, "bladder_change": "true"},
        {**ALL_NO, "Bladder_change": "no"},
        {**ALL_NO, " bladder_change": "no"},
        {**ALL_NO, "no_such_sign": "no"},
        {**ALL_NO, "bladder_change": None},
        {k: v for k, v in ALL_NO.items() if k != "bladder_change"},
        {},
    ],
    ids=repr,
)
def test_malformed_screen_answers_never_open_the_gate(tmp_path: Path, answers: object) -> None:
    """Either the answers are refused (nothing saved) or the screen is not clear; no plan."""
    person = _person(tmp_path)
    try:
        result = take_screen(person.store, person.today(), answers)  # type: ignore[arg-type]
    except BackcoachError as exc:
        assert "Traceback" not in str(exc)
        assert person.store.current_screen() is None
    else:
        assert result.tier != "clear"
    _assert_no_plan_no_session(person)


# --- the profile ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "conditions",
    [
        ["Osteoporosis"],
        [" pregnancy"],
        ["pregnancy "],
        ["no-such-condition"],
        [None],
        [1],
        "pregnancy",
        [{"id": "pregnancy", "weeks": "many"}],
        [{"id": "pregnancy", "weeks": -1}],
        [{"id": "Pregnancy"}],
        [{"id": "wrist", "weeks": 12}],
        [{"id": "pregnancy", "trimester": 2}],
        [{"name": "pregnancy"}],
    ],
    ids=repr,
)
def test_malformed_conditions_are_refused_and_nothing_is_saved(
    ready: PersonContext, conditions: object
) -> None:
    before = ready.store.load_profile()
    with pytest.raises(BackcoachError) as caught:
        update_profile(ready.store, conditions=conditions)
    assert "conditions" in str(caught.value)
    assert ready.store.load_profile() == before


@pytest.mark.parametrize(
    "data",
    [
        5,
        "x",
        [],
        {"minutes": "lots"},
        {"conditions": ["Pregnancy"]},
        {"conditions": "pregnancy"},
        {"conditions": [{"id": "pregnancy", "weeks": 99}]},
        {"minutes": 15, "unknown_field": True},
        {"days": ["Monday"]},
    ],
    ids=repr,
)
def test_a_damaged_saved_profile_gives_no_plan_and_a_plain_reason(
    ready: PersonContext, data: object
) -> None:
    """The finding: profile.data = 5 or minutes = "lots" made every command crash."""
    with ready.store.scoped() as s:
        s.execute(update(ProfileRow).values(data=data))
    with pytest.raises(BackcoachError) as caught:
        todays_plan(ready.store, ready.catalogue, ready.today())
    assert "saved profile" in str(caught.value) and "profile set" in str(caught.value)
    with pytest.raises(BackcoachError):
        sessions.begin(ready.store, ready.catalogue, ready.today, "auto", 0.0)
    with ready.store.scoped() as s:
        assert s.scalars(select(SessionRow)).all() == []


def test_a_damaged_profile_can_be_mended_by_setting_the_field(ready: PersonContext) -> None:
    with ready.store.scoped() as s:
        s.execute(update(ProfileRow).values(data={"minutes": "lots", "days": ["tue"]}))
    profile = update_profile(ready.store, minutes=20)
    assert profile.minutes == 20 and profile.days == ["tue"]
    todays_plan(ready.store, ready.catalogue, ready.today())


# --- a profile file's screen entry (a clinician's file) -----------------------------------------


@pytest.mark.parametrize(
    "screen_entry",
    [
        *({"tier": t} for t in TIER_LOOKALIKES),
        {"tier": "clear", "taken_on": "yesterday"},
        {"tier": "clear", "taken_on": 20261102},
        {"tier": "soon", "cleared_on": "soon"},
        {"tier": None},
        {},
        "clear",
        ["clear"],
    ],
    ids=repr,
)
def test_a_profile_files_screen_entry_fails_closed(tmp_path: Path, screen_entry: object) -> None:
    person = _person(tmp_path)
    with pytest.raises(BackcoachError):
        plan_for_profile(person.catalogue, person.today(), {"minutes": 15, "screen": screen_entry})


def test_a_profile_file_without_a_screen_gets_no_plan(tmp_path: Path) -> None:
    """Saying nothing about warning signs is not "clear": no plan until the file says."""
    person = _person(tmp_path)
    with pytest.raises(PlanRefused, match="screen: missing") as caught:
        plan_for_profile(person.catalogue, person.today(), {"minutes": 15})
    assert caught.value.code == "no-screen"
    with pytest.raises(BackcoachError, match="taken_on: missing"):
        plan_for_profile(
            person.catalogue, person.today(), {"minutes": 15, "screen": {"tier": "clear"}}
        )
    with pytest.raises(BackcoachError, match="unknown field flags"):
        plan_for_profile(
            person.catalogue,
            person.today(),
            {"minutes": 15, "screen": {"tier": "clear", "flags": []}},
        )
    screen = {"tier": "clear", "taken_on": TODAY.isoformat()}
    assert plan_for_profile(
        person.catalogue, person.today(), {"minutes": 15, "screen": screen}
    ).items


# --- stop-rule inputs ----------------------------------------------------------------------


@pytest.mark.parametrize("score", ["5", 5.0, 5.5, True, -1, 11, None, 10**30, float("nan")])
def test_a_pain_score_that_is_not_a_whole_number_0_to_10_is_refused(score: object) -> None:
    with pytest.raises(ValueError, match="whole number from 0 to 10"):
        PainCheck(score)  # type: ignore[arg-type]
    if score is None:
        return  # no pain asked before the session: a baseline may be absent
    with pytest.raises(ValueError, match="whole number from 0 to 10"):
        judge(PainCheck(3), baseline=score)  # type: ignore[arg-type]


@pytest.mark.parametrize("flag", ["sharp", "spreading", "numbness"])
@pytest.mark.parametrize("value", ["no", "false", "", None, 0, 1, [], "True"])
def test_a_pain_flag_that_is_not_true_or_false_is_refused(flag: str, value: object) -> None:
    """A string "no" is truthy and None is falsy: neither may be read as an answer."""
    with pytest.raises(ValueError, match=f"{flag} must be true or false"):
        PainCheck(3, **{flag: value})


# --- the same through the real CLI and the web API ------------------------------------------


def test_the_real_cli_refuses_plan_and_session_after_a_damaged_screen(ready: PersonContext) -> None:
    _tamper_screen(ready, tier="Emergency", flags=["bladder_change"])
    home = ready.settings.home
    env = {"BACKCOACH_TODAY": TODAY.isoformat()}
    plan = run_cli("plan", home=home, **env)
    assert plan.returncode != 0
    assert "cannot be read safely" in plan.stderr and "Traceback" not in plan.stderr
    start = run_cli("start", "--auto", home=home, **env)
    assert start.returncode != 0 and "Traceback" not in start.stderr + start.stdout
    planned = run_cli("plan", "--json", home=home, **env)
    assert json.loads(planned.stdout)["code"] == "invalid-screen"
    with ready.store.scoped() as s:
        assert s.scalars(select(SessionRow)).all() == []


def test_the_real_cli_says_a_damaged_profile_plainly(ready: PersonContext) -> None:
    with ready.store.scoped() as s:
        s.execute(update(ProfileRow).values(data=5))
    home = ready.settings.home
    for command in (["plan"], ["start", "--auto"], []):
        result = run_cli(*command, home=home, BACKCOACH_TODAY=TODAY.isoformat())
        assert "Traceback" not in result.stderr + result.stdout, command
    plan = run_cli("plan", home=home, BACKCOACH_TODAY=TODAY.isoformat())
    assert plan.returncode != 0 and "saved profile" in plan.stderr


def test_the_web_api_refuses_plan_and_session_after_a_damaged_screen(ready: PersonContext) -> None:
    from backcoach.web.app import create_app
    from tests.web.conftest import csrf_client

    _tamper_screen(ready, tier="Emergency", flags=["bladder_change"])
    client = csrf_client(create_app(ready.settings, test_client=True))
    plan = client.get("/api/plan")
    assert plan.status_code == 409
    assert "cannot be read safely" in plan.text
    started = client.post("/api/sessions", json={})
    assert started.status_code == 409
    before = client.get("/api/sessions/before").json()
    assert before["allowed"] is False
    with ready.store.scoped() as s:
        assert s.scalars(select(SessionRow)).all() == []


@pytest.mark.parametrize(
    "answers",
    [
        {**ALL_NO, "bladder_change": "yess"},
        {**ALL_NO, "Bladder_change": "no"},
        {**ALL_NO, "bladder_change": 1},
        {**ALL_NO, "bladder_change": None},
    ],
    ids=repr,
)
def test_the_web_api_never_opens_the_gate_on_malformed_answers(
    tmp_path: Path, answers: dict[str, Any]
) -> None:
    from backcoach.web.app import create_app
    from tests.web.conftest import csrf_client

    person = _person(tmp_path)
    client = csrf_client(create_app(person.settings, test_client=True))
    answered = client.post("/api/screen", json={"answers": answers})
    assert answered.status_code in (200, 400, 422), answered.text
    assert "Traceback" not in answered.text
    assert client.get("/api/plan").status_code == 409
    assert client.post("/api/sessions", json={}).status_code == 409


@pytest.mark.parametrize(
    "event",
    [
        {"type": "pain", "score": "5"},
        {"type": "pain", "score": 5.0},
        {"type": "pain", "score": True},
        {"type": "pain", "score": 11},
        {"type": "pain", "score": -1},
        {"type": "pain", "score": None},
        {"type": "pain", "score": 3, "sharp": "no"},
        {"type": "pain", "score": 3, "sharp": "false"},
        {"type": "pain", "score": 3, "sharp": None},
        {"type": "pain", "score": 3, "numbness": 0},
        {"type": "pain", "score": 3, "Sharp": True},
        {"type": "Pain", "score": 3},
        {"type": " pain", "score": 3},
    ],
    ids=repr,
)
def test_the_web_api_refuses_a_pain_report_it_cannot_read_exactly(
    ready: PersonContext, event: dict[str, Any]
) -> None:
    """Stop-rule inputs from the browser: refused (422, naming the field), never coerced."""
    from backcoach.records.tables import PainReportRow
    from backcoach.web.app import create_app
    from tests.web.conftest import csrf_client

    client = csrf_client(create_app(ready.settings, test_client=True))
    started = client.post("/api/sessions", json={})
    assert started.status_code == 201, started.text
    session_id = started.json()["view"]["session_id"]
    answered = client.post(f"/api/sessions/{session_id}/events", json=event)
    assert answered.status_code == 422, answered.text
    assert "Traceback" not in answered.text
    with ready.store.scoped() as s:
        reports = s.scalars(select(PainReportRow).where(PainReportRow.session_id == session_id))
        assert reports.all() == []
