"""Recognising the catalogue's exercises in an article: by name or alias (exactly, or close
enough by rapidfuzz), and by description, from the position words and the movement words of
each exercise's own text (its name, summary and steps).

The article is cut into chunks, one per exercise it seems to describe: a heading that names or
looks like an exercise, or a list item or paragraph that names one, starts a chunk; the
statements under it belong to it. Each chunk is matched to at most the exercises it names, or,
when it names none, to the one exercise its description fits clearly best.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from backcoach.articles.statements import Statement
from backcoach.catalogue.model import Exercise

NAME_CONFIDENCE = 0.95
"""A name or alias of the catalogue written out in the article."""
FUZZY_CONFIDENCE = 0.8
"""A heading close to a name (rapidfuzz score at least ``FUZZY_MIN``)."""
FUZZY_MIN = 86
AMBIGUOUS_CONFIDENCE = 0.55
"""A short name two exercises share ("knee to chest") that nothing in the text settles."""
DESCRIPTION_MIN = 6.0
"""Least description score (summed rarity of shared movement words, plus the position) for a
match; tuned on the test articles (tests/articles/data)."""
UNPLACED_PENALTY = 3.0
"""Taken off a description that names no body position: it needs more movement words."""
DESCRIPTION_MARGIN = 1.15
"""The best description must beat the second best by this factor, else it is not a match."""

_STOP = set(
    re.findall(
        r"\S+",
        """
    a an the and or but of to in on at for with your you yours it its this that these
    those is are be as by from up down out over then than so if into onto toward towards
    while until each one other both back let keep stay feel any can will should may do
    does not no all some more less much very just only also too there here them they their
    our we us i me my before after again once twice time times make sure way get go come
    them his her he she who what when where which how same try now first next last hold
    holding held breath breathe breathing deep slow slowly second seconds count rep reps
    repeat repetition round rounds minute minutes gently gentle
    """,
    )
)
"""Words that say nothing about which exercise is meant (``back`` is in almost every one)."""

SYNONYMS = {
    "stomach": "front", "tummy": "front", "belly": "front", "prone": "front",
    "face": "front", "supine": "back", "forearm": "forearm", "forearms": "forearm",
    "elbow": "elbow", "elbows": "elbow", "through": "thread", "underneath": "under",
    "raise": "lift", "raising": "lift", "lifting": "lift", "lifts": "lift",
    "hug": "hug", "hugging": "hug", "pull": "hug", "pulling": "hug", "clasp": "hug",
    "arch": "dip", "sag": "dip", "round": "round", "rounding": "round", "curve": "round",
    "rotate": "turn", "rotating": "turn", "rotation": "turn", "twist": "turn",
    "twisting": "turn", "buttock": "bottom", "buttocks": "bottom", "glutes": "bottom",
    "butt": "bottom", "bum": "bottom", "tailbone": "bottom", "press": "push",
    "pushing": "push", "pushes": "push", "straighten": "straight", "extend": "straight",
    "knees": "knee", "legs": "leg", "arms": "arm", "hands": "hand", "feet": "foot",
    "hips": "hip", "shoulders": "shoulder", "heels": "heel", "thighs": "thigh",
}  # fmt: skip

ARTICLE_NAMES: dict[str, str] = {"walk": "walking-warm-up", "walking": "walking-warm-up"}
"""Everyday words articles use for a catalogue exercise that are not names in its file."""

POSITIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("prone", re.compile(r"\b(on|onto) your (stomach|tummy|belly|front)\b|\bface ?down\b|"
                         r"\bprone\b|\blie (flat )?on your (stomach|front)", re.I)),
    ("quadruped", re.compile(r"\b(hands and knees|all fours|table ?top|quadruped|"
                             r"on your knees|kneel\w* on (the|a|your) (floor|mat))\b", re.I)),
    ("supine", re.compile(r"\b(on|onto) your back\b|\bsupine\b|\bface ?up\b", re.I)),
    ("side-lying", re.compile(r"\b(on|onto) your side\b|\bside[- ]lying\b", re.I)),
    ("seated", re.compile(r"\b(sit|sitting|seated)\b.{0,40}\b(chair|stool|edge|tall|upright)"
                          r"|\bon a chair\b|\bseated\b", re.I)),
    ("standing", re.compile(r"\bstand(ing)?\b|\bon your feet\b", re.I)),
)  # fmt: skip
"""Where the body is: the catalogue's ``position`` values, by the words articles use."""
COMPATIBLE = {"quadruped": {"kneeling"}, "kneeling": {"quadruped"}}

OTHER_EXERCISES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Deadlift", re.compile(r"\b(romanian |stiff[- ]legg?e?d? |barbell |heavy )?deadlifts?\b",
                            re.I)),
    ("Barbell squat", re.compile(r"\b(barbell|back|front|goblet|weighted|heavy) squats?\b", re.I)),
    ("Good morning", re.compile(r"\bgood[- ]mornings?\b", re.I)),
    ("Kettlebell swing", re.compile(r"\bkettlebell swings?\b", re.I)),
    ("Bent-over row", re.compile(r"\b(bent[- ]over |barbell |dumbbell )rows?\b", re.I)),
    ("Plank", re.compile(r"\b(side )?planks?\b", re.I)),
    ("Superman", re.compile(r"\bsupermans?\b", re.I)),
    ("Sit-up", re.compile(r"\bsit[- ]?ups?\b", re.I)),
    ("Crunch", re.compile(r"\bcrunch(es)?\b", re.I)),
    ("Toe touch", re.compile(r"\btoe[- ]touch(es)?\b", re.I)),
    ("Lunge", re.compile(r"\blunges?\b", re.I)),
    ("Dead bug", re.compile(r"\bdead[- ]bugs?\b", re.I)),
    ("Piriformis stretch", re.compile(r"\b(piriformis|figure[- ](four|4)) stretch\b", re.I)),
    ("Hip flexor stretch", re.compile(r"\bhip[- ]flexor stretch\b", re.I)),
    ("Downward dog", re.compile(r"\bdownward[- ](facing )?dog\b", re.I)),
    ("Cobra", re.compile(r"\bcobra\b", re.I)),
    ("Hyperextension", re.compile(r"\b(hyperextensions?|roman chair)\b", re.I)),
)  # fmt: skip
"""Exercises the catalogue does not have that articles often name: listed as unmatched (and
never matched by description), so a gym's "superman" is not taken for a press-up."""

_EXERCISE_WORD = re.compile(
    r"\b(stretch|pose|raise|curl|press|lift|plank|tilt|twist|rotation|roll|rolls|bridge|squat|"
    r"lunge|deadlift|row|crunch|sit-up|superman|dog|hug|extension|extensions|clam|hold|"
    r"exercise \d+|swing|kick|reach|rock|bend|stand)\b",
    re.I,
)
_GENERAL_HEADING = re.compile(
    r"\b(exercises|stretches|workouts?|routine|tips|moves|ways|why|how to|what|when|benefits|"
    r"conclusion|summary|faq|introduction|about|safety|warning|final|the bottom line|sources|"
    r"references)\b",
    re.I,
)
_LEAD = re.compile(r"^\s*(?:\d{1,2}[.):]\s*|(?:step|exercise|stage|move) \d+[.:]?\s*)?"
                   r"([A-Z][\w'’ -]{2,40}?)\s*[:–—]\s+\S")  # fmt: skip
_NUMBERING = re.compile(
    r"^\s*(?:#?\d{1,2}[.):]?|(?:step|exercise|stage|move|part) \d+[.:]?)\s*", re.I
)
_SUFFIX = re.compile(r"\b(stretch(es)?|exercises?|pose|move|for (the )?(lower )?back.*)$", re.I)
_QUALIFIERS = {"one", "both", "single", "double", "lying", "seated", "standing", "side",
               "supine", "prone", "easy", "gentle"}  # fmt: skip
_FILLER = {"your", "the", "a", "an", "my", "of"}
_LOAD = re.compile(r"\b(barbell|dumbbell|kettlebell|weighted|heavy|loaded|goblet|kg|lbs?)\b",
                   re.I)  # fmt: skip


def norm(text: str) -> str:
    """Lower case, letters and digits only, simple plurals removed: "Child's Poses" and
    "childs pose" read the same."""
    text = text.lower().replace("’", "'").replace("'s ", "s ")
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _FILLER]
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words)  # fmt: skip


def tokens(text: str) -> list[str]:
    out = []
    for word in re.findall(r"[a-z]+", text.lower().replace("’", "'")):
        word = SYNONYMS.get(word, word)
        if word in _STOP or len(word) < 3:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out + [f"{a}+{b}" for a, b in itertools.pairwise(out)]


def positions_in(text: str) -> set[str]:
    return {name for name, pattern in POSITIONS if pattern.search(text)}


@dataclass
class Index:
    """Names and description words of every exercise in the catalogue."""

    exercises: dict[str, Exercise]
    phrases: dict[str, str]
    """Normalised name or alias -> exercise id."""
    reduced: dict[str, set[str]]
    """A name with its qualifier words ("one", "both", "lying") dropped -> exercise ids."""
    words: dict[str, set[str]]
    idf: dict[str, float]

    @classmethod
    def of(cls, exercises: Iterable[Exercise]) -> Index:
        by_id = {e.id: e for e in exercises}
        phrases: dict[str, str] = {}
        reduced: dict[str, set[str]] = {}
        words: dict[str, set[str]] = {}
        for ex in by_id.values():
            for name in [ex.name, *ex.aliases, ex.id.replace("-", " ")]:
                key = norm(name)
                if len(key) >= 3:
                    phrases.setdefault(key, ex.id)
                    short = " ".join(w for w in key.split() if w not in _QUALIFIERS)
                    if short != key and _distinctive(short):
                        reduced.setdefault(short, set()).add(ex.id)
            text = " ".join([ex.name, *ex.aliases, ex.summary, *(s.text for s in ex.steps),
                             *(s.cue or "" for s in ex.steps)])  # fmt: skip
            words[ex.id] = set(tokens(text))
        df = Counter(w for ws in words.values() for w in ws)
        n = len(by_id) or 1
        idf = {w: math.log(n / c) for w, c in df.items()}
        return cls(by_id, phrases, reduced, words, idf)


_GENERIC_SHORT = {"face down", "on front", "on elbow", "back bend", "back extension"}


def _distinctive(short: str) -> bool:
    """Whether a name without its qualifiers still names one kind of exercise: two words or
    more, not a bare position ("face down") and not ending on a dangling word ("extension
    in")."""
    words = short.split()
    return (
        len(words) >= 2
        and short not in _GENERIC_SHORT
        and words[0] not in ("on", "in", "to", "with")
        and words[-1] not in ("on", "in", "to", "with", "against")
    )


@dataclass
class NameHit:
    exercise_id: str
    confidence: float
    alternatives: tuple[str, ...] = ()
    weak: bool = False
    """The name is only a body position ("lying on your front"): it names the exercise in a
    heading, but in a sentence it may just say where the body is."""


_POSITION_WORDS = {"lying", "lie", "on", "front", "face", "down", "prone", "back", "side",
                   "supine", "seated", "sitting", "standing", "kneeling"}  # fmt: skip


def _weak(phrase: str) -> bool:
    return all(w in _POSITION_WORDS for w in phrase.split())


def name_hits(text: str, index: Index, heading: bool = False) -> list[NameHit]:
    """Exercises named in ``text``: whole names and aliases, then names two exercises share
    (settled by "both"/"one" in the text when it can be), then, for a heading or a lead such
    as "Cat camel:", a close fuzzy match."""
    key = f" {norm(text)} "
    hits: dict[str, NameHit] = {}
    covered: list[str] = []
    for phrase in sorted(index.phrases, key=len, reverse=True):
        if f" {phrase} " in key and not any(phrase in c for c in covered):
            ex_id = index.phrases[phrase]
            if _loaded(text, phrase):
                continue
            covered.append(phrase)
            hits.setdefault(
                ex_id, NameHit(ex_id, NAME_CONFIDENCE, weak=_weak(phrase) and not heading)
            )
    for word, ex_id in ARTICLE_NAMES.items():
        if f" {word} " in key and ex_id in index.exercises and ex_id not in hits:
            hits[ex_id] = NameHit(ex_id, FUZZY_CONFIDENCE)
    for short, ids in index.reduced.items():
        if f" {short} " in key and not any(short in c for c in covered) and not hits.keys() & ids:
            chosen = _settle(text, sorted(ids), index) if len(ids) > 1 else next(iter(ids))
            if chosen is not None:
                hits.setdefault(chosen, NameHit(chosen, FUZZY_CONFIDENCE))
            else:
                first, *rest = sorted(ids)
                hits.setdefault(first, NameHit(first, AMBIGUOUS_CONFIDENCE, tuple(rest)))
            covered.append(short)
    if not hits and heading:
        lead = _SUFFIX.sub("", norm(_NUMBERING.sub("", text))).strip()
        if 3 <= len(lead) <= 40 and not _other_name(text):
            best = process.extractOne(lead, list(index.phrases), scorer=fuzz.token_sort_ratio)
            if best is not None and best[1] >= FUZZY_MIN:
                ex_id = index.phrases[best[0]]
                hits[ex_id] = NameHit(ex_id, FUZZY_CONFIDENCE)
    return list(hits.values())


def _loaded(text: str, phrase: str) -> bool:
    """A catalogue name used for a loaded gym lift ("heavy barbell squats"): not the
    catalogue's gentle exercise."""
    return bool(_LOAD.search(text)) and phrase in ("squat", "hip hinge", "bridge", "glute bridge")


def _settle(text: str, ids: Sequence[str], index: Index) -> str | None:
    low = text.lower()
    both = re.search(r"\b(both|two|double)\b", low)
    one = re.search(r"\b(one|single|each|per leg|other leg|a knee|your knee|alternate)\b", low)
    for ex_id in ids:
        name = index.exercises[ex_id].name.lower() + " " + ex_id
        if both and not one and ("both" in name or "double" in name):
            return ex_id
        if one and not both and ("one" in name or "single" in name):
            return ex_id
    return None


_COMPARED = re.compile(
    r"\b(similar( position)? to|like( a| the)?|instead of|rather than|than|"
    r"from|unlike|not)\s*$",
    re.I,
)


def _other_name(text: str) -> str | None:
    """An exercise the catalogue lacks named in ``text``, unless only as a comparison ("in a
    position similar to downward dog")."""
    for name, pattern in OTHER_EXERCISES:
        for m in pattern.finditer(text):
            if not _COMPARED.search(text[max(0, m.start() - 30) : m.start()]):
                return name
    return None


def describe_score(text: str, index: Index) -> list[tuple[float, str]]:
    """Each exercise's description score for ``text``, best first; only exercises in the
    position the text describes count (no position named: no description match)."""
    for _, pattern in OTHER_EXERCISES:
        text = pattern.sub(" ", text)
    where = positions_in(text)
    words = set(tokens(text))
    scores = []
    for ex_id, ex in index.exercises.items():
        placed = ex.position in where or bool(COMPATIBLE.get(ex.position, set()) & where)
        if where and not placed:
            continue
        shared = words & index.words[ex_id]
        # Without a position named, the movement words alone must carry the match.
        score = (2.0 if placed else -UNPLACED_PENALTY) + sum(index.idf.get(w, 0.0) for w in shared)
        scores.append((score, ex_id))
    return sorted(scores, key=lambda s: (-s[0], s[1]))


@dataclass
class Chunk:
    statements: list[int] = field(default_factory=list)
    named: dict[str, NameHit] = field(default_factory=dict)
    name_evidence: dict[str, list[int]] = field(default_factory=dict)
    label: str | None = None
    """The exercise-like heading or lead ("Superman:") that started the chunk, if any."""
    exercise_like: bool = False
    weak: dict[str, NameHit] = field(default_factory=dict)
    """Names that are only a position; used when the chunk names nothing else."""
    extra: bool = False
    """Page text found outside the article (a picture's description): matched by name only."""


_NUMBERED = re.compile(r"^\s*(#?\d{1,2}[.):]\s|(step|exercise|stage|move) \d+)", re.I)


def exercise_heading(text: str) -> bool:
    """A heading that names one exercise ("2. Bridge", "Cat stretch") rather than a section
    ("7 stretches for lower back pain", "Why it works")."""
    if _GENERAL_HEADING.search(text) and not _NUMBERED.match(text):
        return False
    return len(text.split()) <= 9 and bool(
        _EXERCISE_WORD.search(text) or _NUMBERED.match(text) or _other_name(text)
    )


def chunks(statements: Sequence[Statement], kept: Sequence[int], index: Index) -> list[Chunk]:
    """Cut the kept statements into per-exercise chunks (see the module docstring)."""
    out: list[Chunk] = []
    current: Chunk | None = None
    under_exercise_heading = False
    last_block = -1
    for i in kept:
        st = statements[i]
        first_of_block = st.block != last_block
        last_block = st.block
        found = name_hits(
            st.text, index, heading=st.kind == "heading" or bool(_LEAD.match(st.text))
        )
        hits = [h for h in found if not h.weak]
        weak = [h for h in found if h.weak]
        lead = _LEAD.match(st.text) if first_of_block else None
        start = False
        label = None
        if st.extra:
            start, label = True, None
        elif st.kind == "heading":
            start = True
            under_exercise_heading = exercise_heading(st.text) or bool(hits)
            label = st.text if under_exercise_heading else None
        elif (
            first_of_block
            and (lead or st.kind == "item")
            and (hits or (lead and exercise_heading(lead.group(1))) or _other_name(st.text))
        ):
            start = not (current is not None and hits and set(h.exercise_id for h in hits)
                         <= set(current.named))  # fmt: skip
            label = lead.group(1) if lead else st.text
        elif (first_of_block and not under_exercise_heading and st.kind != "caption") or (
            hits
            and current is not None
            and current.named
            and not ({h.exercise_id for h in hits} & set(current.named))
            and st.kind != "caption"
        ):
            start = True
        if start or current is None:
            current = Chunk(label=label, exercise_like=bool(label), extra=st.extra)
            out.append(current)
        current.statements.append(i)
        for hit in hits:
            current.named.setdefault(hit.exercise_id, hit)
            current.name_evidence.setdefault(hit.exercise_id, []).append(i)
        for hit in weak:
            current.weak.setdefault(hit.exercise_id, hit)
            current.name_evidence.setdefault(hit.exercise_id, []).append(i)
    return out
