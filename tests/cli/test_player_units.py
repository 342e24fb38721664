"""The terminal player without a terminal: keys -> events on a real engine, and the frames drawn."""

from __future__ import annotations

import io
import os
import termios
import time

import pytest
from rich.console import Console

from backcoach.app import PersonContext
from backcoach.cli import player_view as pv
from backcoach.cli.player import NotATerminal, Player, play, run
from backcoach.cli.player_keys import cbreak, split_keys
from backcoach.safety.signs import SIGNS
from backcoach.services.plans import todays_plan
from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.services.sessions import LiveSession, begin, resume_unfinished
from backcoach.session import (
    GET_READY_SECONDS,
    Effect,
    Engine,
    ExerciseSkipped,
    ExerciseStopped,
    PainJudged,
    Rated,
    RescreenNeeded,
    SessionFinished,
    SessionSummary,
    cues,
)
from backcoach.session.timing import whole_seconds_left
from tests.session.conftest import T0, catalogue, exercise, item, plan

EXERCISES = catalogue(
    exercise("knee-rock", name="Knee rock"),
    exercise(
        "calm-breath",
        name="Calm breath",
        duration=True,
        pace={"inhale_seconds": 4, "exhale_seconds": 6},
    ),
)
PLAN = plan(
    item("knee-rock", sets=2, reps=3, hold_seconds=2, movement_seconds=1, rest_seconds=5),
    item("calm-breath", duration_seconds=60),
)


def new_player() -> tuple[Player, list[Effect]]:
    heard: list[Effect] = []
    engine, first = Engine.start(PLAN, EXERCISES, T0, listeners=[heard.append])
    player = Player(engine)
    player.take(first)
    player.tick(T0)
    return player, heard


def press(player: Player, keys: str, now: float) -> None:
    for key in split_keys(keys):
        assert player.key(key, now)


def text_of(screen: pv.Screen, width: int = 80) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(pv.render(screen))
    return console.export_text()


def at_first_exercise() -> tuple[Player, list[Effect], float]:
    player, heard = new_player()
    press(player, "2", T0)
    now = T0 + GET_READY_SECONDS + 0.25  # the move into position: half of the 1 s movement
    player.tick(now)
    return player, heard, now


# --- pure helpers -----------------------------------------------------------------------------


def test_big_digits_are_equal_width_rows_of_blocks() -> None:
    rows = pv.big_text("10")
    assert len(rows) == pv.BIG_HEIGHT and len({len(r) for r in rows}) == 1
    assert rows[0] == "  ██    ██████" and rows[4] == "██████  ██████"
    assert pv.big_text("8")[2] == "██████"
    with pytest.raises(ValueError, match="no big glyph"):
        pv.big_text("x")


def test_clock_text_and_rounding_match_the_engine_countdown() -> None:
    assert [pv.clock_text(s) for s in (0, 9, 59, 60, 75, 600)] == [
        "0", "9", "59", "1:00", "1:15", "10:00",
    ]  # fmt: skip
    assert whole_seconds_left(3.0000000001) == 3
    assert whole_seconds_left(2.01) == 3
    assert whole_seconds_left(-1) == 0


def test_split_keys_names_keys_and_drops_escape_sequences() -> None:
    assert split_keys(" sQ\r") == ["space", "s", "q", "enter"]
    assert split_keys("a\x1b[Ab\x1b[5~c") == ["a", "b", "c"]
    assert split_keys("\x1b") == ["escape"]
    assert split_keys("\x7f\x03") == ["backspace", "ctrl-c"]


def test_next_line_does_not_say_next_twice() -> None:
    assert pv.next_line("Rep 2 of 8") == "Next: Rep 2 of 8"
    assert pv.next_line("Next exercise: Bridge") == "Next exercise: Bridge"
    assert pv.next_line("") == ""


# --- keys to events ---------------------------------------------------------------------------


def test_pain_before_takes_one_key_and_no_flags() -> None:
    player, heard = new_player()
    screen = text_of(player.screen(T0))
    assert "how much back pain" in screen and "0-9" in screen
    press(player, "t", T0)  # t means 10
    judged = [e for e in heard if isinstance(e, PainJudged)]
    assert [(j.when, j.check.score) for j in judged] == [("before", 10)]
    assert player.engine.progress(T0).phase == "get-ready"
    assert player.pain is None


def test_s_skips_the_pain_question_before_the_session() -> None:
    player, heard = new_player()
    press(player, "s", T0)
    assert not [e for e in heard if isinstance(e, PainJudged)]
    assert player.engine.progress(T0).phase == "get-ready"


def test_space_pauses_and_resumes_and_the_countdown_stands_still() -> None:
    player, _, now = at_first_exercise()
    press(player, " ", now)
    left = player.engine.progress(now).seconds_left
    later = now + 5
    player.tick(later)
    view = player.engine.progress(later)
    assert view.paused and view.seconds_left == left
    assert "Paused" in text_of(player.screen(later))
    press(player, " ", later)
    assert not player.engine.progress(later).paused
    assert player.engine.progress(later + 0.5).seconds_left != left


def test_r_and_enter_end_the_phase_in_progress() -> None:
    player, _, now = at_first_exercise()
    assert player.engine.progress(now).rep == 1
    press(player, "r", now)  # in position: the hold starts, in full
    assert (player.engine.progress(now).phase, player.engine.progress(now).rep) == ("hold", 1)
    press(player, "\r", now)  # the hold ends; then the way back
    press(player, "r", now)
    assert player.engine.progress(now).rep == 2  # three phases make one repetition


def test_pain_report_pauses_then_resumes_when_fine() -> None:
    player, heard, now = at_first_exercise()
    press(player, "p", now)
    assert player.engine.progress(now).paused
    assert "How much pain" in text_of(player.screen(now))
    press(player, "3", now)
    assert "sharp or shooting" in text_of(player.screen(now))
    press(player, "n", now)
    frame = text_of(player.screen(now))
    assert "spreading down your leg" in frame and "shooting? no" in frame
    press(player, "nn", now)
    judged = [e for e in heard if isinstance(e, PainJudged)]
    assert judged[-1].when == "during-exercise" and judged[-1].check.score == 3
    assert not player.engine.progress(now).paused and player.pain is None


def test_backspace_undoes_a_flag_and_x_cancels_a_pain_report() -> None:
    player, heard, now = at_first_exercise()
    press(player, "p4y\x7f", now)
    assert player.pain is not None and player.pain.answers == []
    press(player, "\x7f", now)
    assert player.pain is not None and player.pain.score is None
    press(player, "x", now)
    assert player.pain is None and not player.engine.progress(now).paused
    assert not [e for e in heard if isinstance(e, PainJudged) and e.when != "before"]


def test_a_red_flag_stops_the_exercise_and_the_advice_waits_for_a_key() -> None:
    player, heard, now = at_first_exercise()
    press(player, "p5ynn", now)
    stopped = [e for e in heard if isinstance(e, ExerciseStopped)]
    assert [s.exercise_id for s in stopped] == ["knee-rock"]
    frame = text_of(player.screen(now))
    assert "Knee rock stopped" in frame and stopped[0].decision.advice[:30] in frame
    assert "any key" in frame
    view = player.engine.progress(now)
    assert view.exercise_id == "calm-breath" and view.paused  # moved on, waiting for the person
    press(player, "s", now)  # dismisses the notice only; nothing is skipped
    assert player.notices == [] and player.engine.progress(now).exercise_id == "calm-breath"
    press(player, " ", now)
    assert not player.engine.progress(now).paused


def test_new_numbness_ends_the_session_after_the_advice_is_read() -> None:
    player, heard, now = at_first_exercise()
    press(player, "p2nny", now)
    assert any(isinstance(e, RescreenNeeded) for e in heard)
    assert player.engine.finished and not player.done
    assert "warning-sign" in text_of(player.screen(now))
    press(player, "n", now)
    assert player.done


def test_check_in_asks_pain_flags_then_rating() -> None:
    player, heard, now = at_first_exercise()
    press(player, "s", now)  # skip knee rock: no check-in for a skipped exercise
    assert player.engine.progress(now).exercise_id == "calm-breath"
    now += GET_READY_SECONDS + 60 + 0.1
    player.tick(now)
    assert player.pain is not None and player.pain.flags
    press(player, "1nnn", now)
    frame = text_of(player.screen(now))
    assert "too easy" in frame and "about right" in frame
    press(player, "3", now)
    assert [r.rating for r in heard if isinstance(r, Rated)] == ["too-hard"]
    assert player.engine.progress(now).phase == "post-pain"
    press(player, "0", now)
    # After the session too, the three warning questions follow the score.
    assert not player.engine.finished and "sharp or shooting" in text_of(player.screen(now))
    press(player, "nnn", now)
    assert player.engine.finished and player.done
    assert player.summary is not None and player.summary.skipped == ("knee-rock",)


def test_cues_of_a_finished_phase_do_not_linger() -> None:
    player, _, now = at_first_exercise()
    assert player.cue.startswith("1 of 3.")
    press(player, "s", now)
    assert player.cue.startswith("Get ready: Calm breath.")
    press(player, "s", now)  # skipping sends no cue of its own
    assert player.engine.progress(now).phase == "post-pain" and player.cue == ""
    assert "Get ready" not in text_of(player.screen(now))


def test_the_stop_advice_says_how_to_move_on() -> None:
    player, _, now = at_first_exercise()
    press(player, "p5ynn", now)
    frame = text_of(player.screen(now), width=200)
    assert "Knee rock stopped" in frame and cues.MOVING_ON_PAUSED in frame


def test_a_stop_on_the_last_exercise_after_p_asks_the_last_question_unpaused() -> None:
    player, heard, now = at_first_exercise()
    press(player, "s", now)  # on to calm breath, the last exercise
    now += GET_READY_SECONDS + 5
    player.tick(now)
    press(player, "p5ynn", now)  # p paused the timer; the sharp pain stops the exercise
    assert [e.exercise_id for e in heard if isinstance(e, ExerciseStopped)] == ["calm-breath"]
    press(player, "x", now)  # read the advice
    frame = text_of(player.screen(now))
    assert player.engine.progress(now).phase == "post-pain"
    assert not player.engine.state.paused and "Paused" not in frame
    assert "Session over. How much pain" in frame
    press(player, "2nnn", now)
    assert player.done and player.summary is not None
    assert player.summary.stopped == ("calm-breath",)


def test_e_asks_first_and_any_other_key_carries_on() -> None:
    player, heard, now = at_first_exercise()
    press(player, "e", now)
    assert player.engine.state.paused  # the timer waits while the question is on screen
    frame = text_of(player.screen(now), width=200)
    assert cues.CONFIRM_END in frame and "e or y end session" in frame
    press(player, "n", now)
    assert not player.engine.state.paused and player.engine.state.stage == "exercise"
    press(player, "e", now)
    press(player, "s", now)  # not a confirmation: nothing is skipped either
    assert player.engine.progress(now).exercise_id == "knee-rock"
    assert not player.engine.state.paused
    assert not [e for e in heard if isinstance(e, ExerciseSkipped | SessionFinished)]


def test_e_twice_ends_the_session_and_asks_pain_with_the_warning_questions() -> None:
    player, heard, now = at_first_exercise()
    press(player, "r", now)  # one repetition done
    press(player, "ee", now)
    assert player.engine.state.stage == "post-pain" and not player.engine.state.paused
    assert player.pain is not None and player.pain.flags
    assert "Session over. How much pain" in text_of(player.screen(now))
    press(player, "2nny", now)  # new numbness after the session: the engine asks for a rescreen
    assert any(isinstance(e, RescreenNeeded) for e in heard)
    press(player, "x", now)
    assert player.done and player.summary is not None
    assert player.summary.ended_by == "rescreen" and player.summary.not_done[0] == "knee-rock"


def test_e_then_y_before_the_session_ends_it_without_exercise() -> None:
    player, heard = new_player()
    assert "e end session" in text_of(player.screen(T0))
    press(player, "ey", T0)
    assert not [e for e in heard if isinstance(e, PainJudged)]  # no score was given
    assert player.done and player.summary is not None
    assert player.summary.ended_by == "stopped" and player.summary.sets_done == 0


def test_q_and_ctrl_c_quit_from_anywhere() -> None:
    player, _, now = at_first_exercise()
    assert not player.key("q", now)
    press(player, "p", now)
    assert not player.key("ctrl-c", now)


# --- frames ------------------------------------------------------------------------------------


def test_frame_shows_name_phase_counts_countdown_next_and_progress() -> None:
    player, _, now = at_first_exercise()
    frame = text_of(player.screen(now))
    assert "KNEE ROCK" in frame
    assert "Move" in frame and "Rep 1 of 3 · Set 1 of 2" in frame
    assert "\n".join(pv.big_text("1"))[:6] in frame  # 0.25 s of a 0.5 s move left
    assert "Next: Hold 2 seconds" in frame
    assert "% done" in frame and "exercise 1 of 2" in frame
    assert "space pause" in frame and "q save & quit" in frame
    assert "e end session" in frame


def test_breathing_pacer_shows_in_and_out() -> None:
    player, _, now = at_first_exercise()
    press(player, "s", now)
    now += GET_READY_SECONDS + 0.5
    player.tick(now)
    assert "Breathe in" in text_of(player.screen(now))
    now += 4.5
    player.tick(now)
    assert "Breathe out" in text_of(player.screen(now))


def test_frames_keep_one_height_whatever_is_shown() -> None:
    player, _, now = at_first_exercise()
    heights = {text_of(player.screen(T0)).count("\n")}
    for keys in ("", " ", "p", "7", "y", "n", "n"):
        press(player, keys, now)
        heights.add(text_of(player.screen(now)).count("\n"))
    assert player.notices  # the red flag stopped the exercise: a notice is on screen
    heights.add(text_of(player.screen(now)).count("\n"))
    assert len(heights) == 1 and heights.pop() <= 24


# --- the loop, with the real records --------------------------------------------------------


class ScriptedKeys:
    """Key presses on a simulated clock: ``read`` lets ``timeout`` pass, then hands over the
    keys due by then."""

    def __init__(self, clock: list[float], script: list[tuple[float, str]]) -> None:
        self.clock = clock
        self.script = sorted(script)

    def read(self, timeout: float) -> list[str]:
        self.clock[0] += timeout
        due = [keys for at, keys in self.script if at <= self.clock[0]]
        self.script = [(at, keys) for at, keys in self.script if at > self.clock[0]]
        return [key for keys in due for key in split_keys(keys)]


@pytest.fixture
def ready(person: PersonContext) -> PersonContext:
    take_screen(person.store, person.today(), {s.id: False for s in SIGNS})
    update_profile(person.store, minutes=5)
    return person


def start_here(person: PersonContext, now: float) -> LiveSession:
    return begin(person.store, person.catalogue, person.today, "terminal", now)


def resume_here(person: PersonContext, now: float) -> LiveSession | None:
    return resume_unfinished(person.store, person.catalogue, person.today, now)


def plan_items(person: PersonContext) -> int:
    return len(todays_plan(person.store, person.catalogue, person.today()).items)


class HeardSpeaker:
    """A speaker that keeps what it was asked to do, in order."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.calls: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def poll(self) -> None:
        pass

    def drain(self, timeout: float) -> bool:
        self.calls.append("drain")
        return True

    def close(self) -> None:
        self.calls.append("close")


def drive(
    person: PersonContext,
    script: list[tuple[float, str]],
    answers: str = "",
    speaker: HeardSpeaker | None = None,
) -> tuple[SessionSummary | None, str]:
    """Run the player loop on a simulated clock: ``script`` keys at set times, then ``answers``
    typed one key a frame whenever a question after an exercise or the session is open."""
    clock = [time.monotonic()]
    start = clock[0]
    live = resume_here(person, start) or start_here(person, start)
    scripted = ScriptedKeys(clock, [(start + at, k) for at, k in script])
    pending = list(answers)

    class Keys:
        def read(self, timeout: float) -> list[str]:
            keys = scripted.read(timeout)
            if live.engine.state.stage in ("check-in", "post-pain") and pending:
                keys.append(pending.pop(0))
            return keys

    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    summary = run(live, Keys(), console, lambda: clock[0], speaker, screen=False)
    assert not pending, "the session ended before every answer was typed"
    return summary, out.getvalue()


def test_quit_leaves_the_session_in_progress_then_it_resumes(ready: PersonContext) -> None:
    summary, out = drive(ready, [(0.2, "2"), (1.0, "s"), (2.0, "q")])
    assert summary is None and "Session summary" not in out
    store = ready.store
    row = store.unfinished_session()
    assert row is not None and row.pain_before == 2
    assert [(o.item_index, o.outcome) for o in store.outcomes(row.id)] == [(0, "skipped")]
    live = resume_here(ready, time.monotonic())
    assert live is not None and live.session_id == row.id
    assert live.engine.progress(time.monotonic()).item_index == 1


def test_a_whole_session_runs_to_its_summary(ready: PersonContext) -> None:
    items = plan_items(ready)
    # Pain 1 before; skip every exercise but the last, which the clock runs to its end; then
    # its check-in (pain 0, three noes, about right) and the pain after the session.
    script = [(0.2, "1")] + [(1.0 + n, "s") for n in range(items - 1)]
    summary, out = drive(ready, script, answers="0nnn21nnn")
    assert summary is not None and summary.ended_by == "completed"
    assert "Session summary" in out and "Pain: 1/10 → 1/10" in out
    store = ready.store
    assert store.unfinished_session() is None
    outcomes = [o.outcome for o in sorted(store.outcomes(), key=lambda o: o.item_index)]
    assert outcomes == ["skipped"] * (items - 1) + ["finished"]


def test_the_last_words_are_spoken_to_the_end_but_quitting_silences_at_once(
    ready: PersonContext,
) -> None:
    items = plan_items(ready)
    script = [(0.2, "1")] + [(1.0 + n, "s") for n in range(items - 1)]
    finished = HeardSpeaker()
    summary, _ = drive(ready, script, answers="0nnn21nnn", speaker=finished)
    assert summary is not None and cues.SESSION_DONE in finished.said[-1]
    assert finished.calls == ["drain", "close"]
    quitter = HeardSpeaker()
    summary, _ = drive(ready, [(0.2, "1"), (1.0, "q")], speaker=quitter)
    assert summary is None and quitter.calls == ["close"]


# --- the terminal mode -------------------------------------------------------------------------


def test_cbreak_reads_single_keys_and_restores_the_terminal_after_an_error() -> None:
    controller, terminal = os.openpty()
    with os.fdopen(terminal, "r") as stream:
        before = termios.tcgetattr(terminal)
        with pytest.raises(KeyboardInterrupt), cbreak(stream) as keys:
            mode = termios.tcgetattr(terminal)
            assert not mode[3] & termios.ICANON and not mode[3] & termios.ECHO
            os.write(controller, b"s ")  # no Enter: cbreak hands keys over one by one
            assert keys.read(1.0) == ["s", "space"]
            assert keys.read(0.01) == []
            raise KeyboardInterrupt
        assert termios.tcgetattr(terminal) == before
    os.close(controller)


def test_play_refuses_without_a_terminal(
    ready: PersonContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    live = start_here(ready, time.monotonic())
    with pytest.raises(NotATerminal, match="--auto"):
        play(live)
