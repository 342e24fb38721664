"""Every sentence the engine shows or speaks, and the questions every player asks, in one place
(so wording and a later translation are edited here, not in the state machine or a player)."""

from __future__ import annotations

from collections.abc import Sequence

from backcoach.session.effects import (
    AskPain,
    AskRating,
    BreathCue,
    BreathKind,
    Cue,
    Effect,
    SessionSummary,
    Side,
)
from backcoach.types import Seconds


def duration(seconds: Seconds) -> str:
    """``45`` -> "45 seconds", ``120`` -> "2 minutes", ``90`` -> "1 minute 30 seconds"."""
    whole = round(seconds)
    if abs(seconds - whole) > 0.05:
        return f"{seconds:.1f} seconds"
    minutes, rest = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def get_ready(name: str, setup: str, version: str | None = None) -> str:
    """One cue for the get-ready phase: the set-up and the person's version (a player shows the
    latest cue, so a note said apart would hide the set-up)."""
    parts = [f"Get ready: {name}.", setup]
    if version:
        parts.append(modification(version))
    return " ".join(p for p in parts if p)


def first_side(side: Side) -> str:
    return f"{side.capitalize()} side first."


def modification(text: str) -> str:
    return f"Your version: {text}"


def count(rep_number: int, reps: int) -> str:
    return f"{rep_number} of {reps}." if reps > 1 else ""


def rep(count_words: str, phase_cue: str | None) -> str:
    """A repetition's first words: its count and the cue of its movement."""
    return " ".join(part for part in (count_words.strip(), phase_cue or "") if part) or "Go."


def hold(seconds: Seconds) -> str:
    return f"Hold for {duration(seconds)}."


def hold_for(hold_cue: str, seconds: Seconds) -> str:
    """``"Hold and breathe."``, 10 -> "Hold and breathe: 10 seconds."."""
    if not hold_cue:
        return hold(seconds)
    return f"{hold_cue.rstrip('.!')}: {duration(seconds)}."


def timed(step_cue: str | None, seconds: Seconds) -> str:
    lead = f"{step_cue} " if step_cue else ""
    return f"{lead}Keep going for {duration(seconds)}."


def switch_side(side: Side) -> str:
    return f"Switch sides: now your {side} side."


def rest(seconds: Seconds, next_set: int, sets: int) -> str:
    return f"Rest for {duration(seconds)}. Set {next_set} of {sets} comes next."


def exercise_done(name: str) -> str:
    return f"{name}: done."


ASK_PAIN_BEFORE = "Before we start: how much back pain do you have right now, from 0 to 10?"
ASK_PAIN_AFTER_EXERCISE = "How much pain do you have now, from 0 to 10?"
ASK_PAIN_AFTER_SESSION = "Session over. How much pain do you have now, from 0 to 10?"
ASK_RATING = "How did that exercise feel: too easy, about right, or too hard?"

MOVING_ON_PAUSED = "When you feel ready, press resume to move on to the next exercise."
RESUMED_AFTER_BREAK = "Welcome back. Press resume when you are in position to carry on."
SESSION_DONE = "That is the end of the session. Well done."
SESSION_OVER_NOTHING_DONE = (
    "That is the end of the session. No sets were done today, and that is all right: "
    "start again whenever you are ready."
)
SESSION_STOPPED = "Session stopped. What you did has been kept."
WATCHING = "The camera counts your repetitions: go at your own pace."
STILL_THERE = (
    "Still there? The camera has not seen a repetition for a while, so the session is paused. "
    "Press resume to carry on with the timer."
)
"""Said when a phase waiting for the camera passes its safety timeout (``walk.advance``)."""
BREATH_WORDS: dict[BreathKind, str] = {
    "in": "Breathe in",
    "hold": "Hold your breath",
    "out": "Breathe out",
}
"""The breathing pacer's words, shown and spoken for each ``BreathCue``."""

# --- what players ask of their own accord ------------------------------------------------------

ASK_PAIN_NOW = "How much pain do you have right now, from 0 to 10?"
"""A pain report the person starts during an exercise."""

FLAG_QUESTIONS = (
    "Is the pain sharp or shooting?",
    "Is pain spreading down your leg?",
    "Any new numbness, tingling or weakness?",
)
"""The stop rules' three warning flags, asked with a pain report after its score, in the order
of ``PainReport``'s fields (sharp, spreading, numbness)."""

CONFIRM_END = (
    "End the session now? What you have done is kept, and you will be asked about your pain "
    "once more."
)
"""Asked before a player sends ``Stop``, so the session is not ended by a stray key."""

RESCREEN = (
    "New numbness, tingling or weakness means we stop here. Please answer the warning-sign "
    "questions again before your next session, and contact a clinician if it does not settle."
)


# --- "what's next" lines for the progress view -----------------------------------------------


def next_rep(rep_number: int, reps: int, side: Side | None) -> str:
    where = f" ({side} side)" if side else ""
    return f"Rep {rep_number} of {reps}{where}"


def next_hold(seconds: Seconds) -> str:
    return f"Hold {duration(seconds)}"


def next_timed(seconds: Seconds, side: Side | None) -> str:
    where = f", {side} side" if side else ""
    return f"Keep going for {duration(seconds)}{where}"


def next_switch(side: Side) -> str:
    return f"Switch to your {side} side"


def next_rest(seconds: Seconds) -> str:
    return f"Rest {duration(seconds)}"


def next_exercise(name: str | None) -> str:
    return f"Next exercise: {name}" if name else "End of the session"


def then_check_in(name: str | None) -> str:
    return f"Pain check, then: {name}" if name else "Pain check, then the end of the session"


# --- after the session -------------------------------------------------------------------------


def ending(summary: SessionSummary) -> tuple[str, str]:
    """(title, words) after the session: praise only for work done, kind words otherwise. The
    figures (sets, time, percentage) are the records' (``services.session_summary``)."""
    if summary.ended_by == "rescreen":
        return "Stopped for your safety", "What you did is saved."
    if summary.sets_done == 0:
        why = (
            "You ended the session before any sets were done"
            if summary.ended_by == "stopped"
            else "No sets were done this time"
        )
        return (
            "Session over",
            f"{why}, and that is all right. Nothing is lost: you can start again whenever "
            "you are ready.",
        )
    if summary.ended_by == "stopped":
        return "Session ended early", "What you did is saved."
    return "Well done", "Everything is saved."


def words_for(effect: Effect) -> str | None:
    """What to say for an effect, or None for effects that are only shown (or saved)."""
    if isinstance(effect, Cue):
        return effect.text if effect.speak and effect.text.strip() else None
    if isinstance(effect, BreathCue):
        return BREATH_WORDS[effect.breath]
    if isinstance(effect, AskPain | AskRating):
        return effect.prompt
    return None


def utterance(effects: Sequence[Effect]) -> str | None:
    """The words of one engine step as one utterance, each part ending as a sentence; None
    when the step has nothing to say."""
    parts = [words.strip() for words in map(words_for, effects) if words and words.strip()]
    return " ".join(p if p.endswith((".", "?", "!", ":")) else f"{p}." for p in parts) or None
