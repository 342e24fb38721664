"""Choosing exercises: what the person may do, and which of those serve them best.

Selection is deterministic: every ordering breaks ties by exercise id, so the same profile,
history and date always give the same plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from backcoach.catalogue.model import Exercise
from backcoach.catalogue.vocabulary import Category, ConditionId
from backcoach.planning.plan import Phase
from backcoach.planning.profile import Profile
from backcoach.planning.state import ProgramState
from backcoach.safety.restrictions import RULES, Verdict, assess
from backcoach.wording import in_sentence, label

PHASE_OF: dict[Category, Phase] = {
    "warm-up": "warm-up",
    "mobility": "mobility",
    "strength": "strength",
    "motor-control": "strength",
    "posture": "strength",
    "stretch": "stretch",
    "breathing-relaxation": "relaxation",
}
"""Phase by category: warm up first; strength and motor control before stretching (AAOS)."""

MAIN_PHASES: frozenset[Phase] = frozenset({"mobility", "strength", "stretch"})

SUBSTITUTABLE_EQUIPMENT = frozenset({"mat", "cushion", "stick"})
"""A carpet or folded blanket does for a mat, a pillow for a cushion, and a broom, mop or any
straight pole for a stick (the hip hinge's): found in almost every home, so never a reason to
leave an exercise out. The exercise page still says it needs one."""

TARGET_DIFFICULTY = {"new": 1, "some": 2, "regular": 2}
MAX_DIFFICULTY = {"new": 2, "some": 2, "regular": 3}
"""Level-3 exercises (roll-up, hip hinge) only for people who exercise regularly."""

OPPOSITE = {"extension": "flexion", "flexion": "extension"}
WAY = {"extension": "backwards", "flexion": "forwards"}

GOAL_WEIGHT = 3
PREFERENCE_WEIGHT = 4
"""Matching the directional preference matters most: matched exercises did better and a third
of people given the opposite direction dropped out within two weeks (Long 2004, Spine 29:2593)."""
FLEXION_BIAS_WEIGHT = 2
"""Stenosis and spondylolisthesis: flexion-biased or neutral work is preferred (Sinaki 1989)."""
SAME_CATEGORY_PENALTY = 2
DIFFICULTY_PENALTY = 2
MODIFIED_PENALTY = 1


@dataclass(frozen=True)
class Candidate:
    exercise: Exercise
    phase: Phase
    verdict: Verdict
    score: float
    why: tuple[str, ...]


@dataclass(frozen=True)
class Eligibility:
    candidates: dict[str, Candidate]
    unavailable: dict[str, str]
    """Exercises not offered, with the first reason (safety, history, equipment, direction,
    level), as the today page lists them."""
    reasons: dict[str, tuple[Reason, ...]] = field(default_factory=dict)
    """Every reason each exercise of ``unavailable`` is not offered, in the same order."""
    suitable: frozenset[str] = frozenset()
    """Every exercise that passed each check, before one of each family is kept."""


Check = Literal[
    "condition",
    "stopped",
    "equipment",
    "direction-check",
    "preference",
    "experience",
    "flare-up",
    "unchecked",
]
"""What keeps an exercise out: the check behind a reason, for code and tests (never shown)."""


@dataclass(frozen=True)
class Reason:
    check: Check
    text: str
    """One plain sentence, ending with a full stop."""


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def reasons_against(
    ex: Exercise, profile: Profile, state: ProgramState, verdict: Verdict
) -> tuple[Reason, ...]:
    """Every reason ``ex`` is not offered to this person today, most serious first: their
    conditions, a stop that left it out, equipment they lack, a direction that spread their
    symptoms or goes against their preferred one, a level above their experience. Empty: it
    may be planned. The one place that decides, so the planner, the library and the CLI agree.
    """
    out: list[Reason] = []
    if verdict.status == "excluded":
        out.extend(Reason("condition", _sentence(r)) for r in verdict.reasons)
    if ex.id in state.dropped:
        out.append(Reason("stopped", _sentence(state.dropped[ex.id])))
    have = set(profile.equipment) | SUBSTITUTABLE_EQUIPMENT
    missing = [item for item in ex.equipment if item not in have]
    if missing:
        things = " and ".join(in_sentence(label(item, "equipment")) for item in missing)
        out.append(Reason("equipment", f"It needs {things}, which is not in your equipment."))
    if ex.direction in profile.avoid_directions:
        out.append(
            Reason(
                "direction-check",
                f"It bends your back {WAY[ex.direction]}, which spread your symptoms in the "
                "direction check.",
            )
        )
    preference = profile.directional_preference
    if preference in OPPOSITE and ex.direction == OPPOSITE[preference]:
        out.append(
            Reason(
                "preference",
                f"It bends your back {WAY[ex.direction]}, and bending {WAY[preference]} "
                "is what eases it for you.",
            )
        )
    limit = MAX_DIFFICULTY.get(profile.experience)
    if limit is None or ex.difficulty > limit:
        out.append(
            Reason(
                "experience",
                f"An advanced exercise (level {ex.difficulty} of 3), for when you exercise "
                "regularly.",
            )
        )
    return tuple(out)


def eligible(
    exercises: Iterable[Exercise], profile: Profile, state: ProgramState, today: dt.date
) -> Eligibility:
    candidates: dict[str, Candidate] = {}
    unavailable: dict[str, str] = {}
    reasons: dict[str, tuple[Reason, ...]] = {}
    for ex in sorted(exercises, key=lambda e: e.id):
        verdict = assess(ex, profile.conditions, today)
        against = reasons_against(ex, profile, state, verdict)
        if against:
            reasons[ex.id] = against
            unavailable[ex.id] = against[0].text
            if against[0].check == "condition":
                unavailable[ex.id] = " ".join(r.text for r in against if r.check == "condition")
        else:
            score, why = _score(ex, profile, verdict)
            candidates[ex.id] = Candidate(ex, PHASE_OF[ex.category], verdict, score, why)
    return Eligibility(
        _one_per_family(candidates, state, profile), unavailable, reasons, frozenset(candidates)
    )


Status = Literal["allowed", "modified", "excluded"]


@dataclass(frozen=True)
class Suits:
    """Whether an exercise suits the person today, as the plan decides it: the one verdict the
    CLI, the library pages, the API and the plan's ``left_out`` show.

    ``status`` keeps the words of the conditions' verdict (``allowed``, ``modified``,
    ``excluded``: "Suits you", "Suits you with a change", "Not for you now"), but covers every
    reason the planner has, not only conditions."""

    status: Status
    reasons: tuple[str, ...]
    """Plain sentences: why it is not for you now, or the conditions behind a change."""
    modifications: tuple[str, ...]
    """The change to make (only when ``modified``)."""
    rules: tuple[str, ...]
    """Ids of the condition rules that fired."""
    checks: tuple[str, ...] = ()
    """What keeps it out (``Check`` values), empty unless ``excluded``."""
    version: ConditionId | None = None
    """The condition whose version of the exercise is the person's (only when ``modified``):
    see :func:`applied_version`."""

    @property
    def allowed(self) -> bool:
        """True when the exercise may be planned (as it is, or changed)."""
        return self.status != "excluded"


def applied_version(exercise: Exercise, verdict: Verdict) -> ConditionId | None:
    """Which condition's version of ``exercise`` is the person's under ``verdict``: of the
    conditions whose modification the verdict applies (in the order their rules fired), the
    first drawn from its own key poses, so the pictures can show it; else the first. None when
    the exercise is done as usual."""
    if verdict.status != "modified":
        return None
    fired = set(verdict.rules)
    applied = [
        rule.condition
        for rule in RULES
        if rule.id in fired and rule.action == "modify" and rule.condition in exercise.modifications
    ]
    ordered = list(dict.fromkeys(applied))
    drawn = [c for c in ordered if exercise.modifications[c].drawn]
    chosen = drawn or ordered
    return chosen[0] if chosen else None


UNCHECKED = "It could not be checked against your profile, so it is left out to be safe."
"""Fail closed: an exercise nothing has judged is not offered."""


def suitability(
    exercises: Iterable[Exercise],
    profile: Profile,
    state: ProgramState,
    today: dt.date,
    gentle: Collection[str] | None = None,
) -> dict[str, Suits]:
    """Each exercise's verdict for this person today, keyed by id in the order given.

    ``gentle`` is the flare-up set when the person is in a flare-up (``None`` otherwise): the
    plan then holds only those, so every other exercise is "not for you now" until it ends."""
    pool = list(exercises)
    elig = eligible(pool, profile, state, today)
    flare = gentle is not None and state.in_flare_up(today)
    out: dict[str, Suits] = {}
    for ex in pool:
        against = list(elig.reasons.get(ex.id, ()))
        verdict = assess(ex, profile.conditions, today)
        if flare and gentle is not None and ex.id not in gentle:
            against.append(
                Reason(
                    "flare-up",
                    "During your flare-up only gentle movements are planned, until "
                    f"{state.flare_up_until:%A %d %B}.",
                )
            )
        if against:
            texts = tuple(dict.fromkeys(r.text for r in against))
            checks = tuple(dict.fromkeys(r.check for r in against))
            out[ex.id] = Suits("excluded", texts, (), verdict.rules, checks)
        elif verdict.status == "excluded" or ex.id not in elig.suitable:
            # Never reached while reasons_against names every exclusion: fail closed.
            out[ex.id] = Suits("excluded", (UNCHECKED,), (), verdict.rules, ("unchecked",))
        else:
            reasons = tuple(_sentence(r) for r in verdict.reasons)
            out[ex.id] = Suits(
                verdict.status,
                reasons,
                verdict.modifications,
                verdict.rules,
                version=applied_version(ex, verdict),
            )
    return out


def _score(ex: Exercise, profile: Profile, verdict: Verdict) -> tuple[float, tuple[str, ...]]:
    why: list[str] = []
    score = 0.0
    shared = [g for g in profile.goals if g in ex.goals]
    if shared:
        score += GOAL_WEIGHT * len(shared)
        goals = ", ".join(in_sentence(label(g, "goal")) for g in shared)
        why.append(f"it serves your goal{'s' if len(shared) > 1 else ''}: {goals}")
    if profile.directional_preference in OPPOSITE and ex.direction == (
        profile.directional_preference
    ):
        score += PREFERENCE_WEIGHT
        why.append(f"it moves your back in your preferred direction ({ex.direction})")
    if profile.condition("spinal-stenosis") or profile.condition("spondylolisthesis"):
        if ex.direction == "flexion":
            score += FLEXION_BIAS_WEIGHT
            why.append("gentle bending forward usually suits narrowing or slipping of the spine")
        elif ex.direction == "neutral":
            score += FLEXION_BIAS_WEIGHT / 2
    if profile.condition("acute-flare") and ex.difficulty == 1:
        score += 2
        why.append("it is gentle enough for a flare-up")
    over = ex.difficulty - TARGET_DIFFICULTY[profile.experience]
    if over > 0:
        score -= DIFFICULTY_PENALTY * over
    if verdict.status == "modified":
        score -= MODIFIED_PENALTY
    return score, tuple(why)


def families(exercises: Iterable[Exercise]) -> list[list[str]]:
    """Groups of exercises linked as easier/harder neighbours (connected components)."""
    by_id = {e.id: e for e in exercises}
    parent = {i: i for i in by_id}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for ex in by_id.values():
        for link in (ex.regression, ex.progression):
            if link in by_id:
                parent[find(link)] = find(ex.id)
    groups: dict[str, list[str]] = {}
    for i in sorted(by_id):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())


def _one_per_family(
    candidates: Mapping[str, Candidate], state: ProgramState, profile: Profile
) -> dict[str, Candidate]:
    """Keep one member of each family in the same phase: the one progression moved the person
    to, else the level that suits their experience."""
    chosen: dict[str, Candidate] = {}
    by_phase: dict[Phase, list[Exercise]] = {}
    for cand in candidates.values():
        by_phase.setdefault(cand.phase, []).append(cand.exercise)
    targets = set(state.replaced.values())
    replaced = set(state.replaced)
    target_level = TARGET_DIFFICULTY[profile.experience]
    for members in by_phase.values():
        for family in families(members):
            pool = [i for i in family if i not in replaced] or family
            current = [i for i in pool if i in targets or i in state.doses]
            if current:
                pick = sorted(current, key=lambda i: (i not in targets, i))[0]
            else:
                pick = sorted(
                    pool,
                    key=lambda i: (
                        abs(candidates[i].exercise.difficulty - target_level),
                        candidates[i].exercise.difficulty,
                        i,
                    ),
                )[0]
            chosen[pick] = candidates[pick]
    return chosen


def rank_mains(candidates: Mapping[str, Candidate], goals: Sequence[str] = ()) -> list[Candidate]:
    """Main exercises best first.

    First the best exercise for each of the person's goals in turn (so a strength goal gets a
    strength exercise), then the rest by score, each pick lowering the score of others in its
    phase so a plan mixes mobility, strength and stretch.
    """
    pool = sorted(
        (c for c in candidates.values() if c.phase in MAIN_PHASES), key=lambda c: c.exercise.id
    )
    ranked: list[Candidate] = []
    used: dict[str, int] = {}

    def take(best: Candidate) -> None:
        ranked.append(best)
        used[best.phase] = used.get(best.phase, 0) + 1
        pool.remove(best)

    def adjusted(c: Candidate) -> tuple[float, int, tuple[int, ...]]:
        penalty = SAME_CATEGORY_PENALTY * used.get(c.phase, 0)
        return (c.score - penalty, -c.exercise.difficulty, _reverse_id(c.exercise.id))

    for goal in goals:
        serving = [c for c in pool if goal in c.exercise.goals]
        if serving and not any(goal in c.exercise.goals for c in ranked):
            take(max(serving, key=adjusted))
    while pool:
        take(max(pool, key=adjusted))
    return ranked


def _reverse_id(exercise_id: str) -> tuple[int, ...]:
    # max() with ties broken toward the alphabetically first id.
    return tuple(-ord(ch) for ch in exercise_id)


def pick_gentlest(candidates: Sequence[Candidate]) -> Candidate:
    """The easiest candidate, continuous ones (walking, breathing) first: they fit any time."""
    return min(candidates, key=lambda c: (c.exercise.difficulty, c.exercise.counted, c.exercise.id))
