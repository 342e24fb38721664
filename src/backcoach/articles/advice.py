"""Advice in an article checked against backcoach: stop rules and warning signs mapped to the
screen's sign ids (``safety.signs``) and the session's stop rules (``safety.stoprules``), the
ones the article misses named, and advice that conflicts with the guidelines (CLINICAL.md) or
the catalogue's cautions flagged.

``maps_to`` ids: a warning sign's id (``bladder_change``), a stop rule (``stop:sharp-pain``,
``stop:spreading``, ``stop:numbness``, ``stop:too-much-pain``) or a guideline
(``guideline:...``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from backcoach.articles.lessons import lesson_for_advice, lesson_for_conflict
from backcoach.catalogue.model import Exercise
from backcoach.safety.signs import CAUDA_EQUINA, SIGNS_BY_ID
from backcoach.safety.stoprules import ACCEPTABLE_PAIN_MAX, RISE_OVER_BASELINE_STOP

_I = re.IGNORECASE

STOP_RULES: dict[str, str] = {
    "stop:sharp-pain": "backcoach stops an exercise at once for sharp or shooting pain.",
    "stop:spreading": "backcoach stops an exercise when symptoms spread further down the leg.",
    "stop:numbness": (
        "backcoach stops an exercise for new numbness, tingling or weakness and asks the "
        "warning-sign questions again."
    ),
    "stop:too-much-pain": (
        f"backcoach stops an exercise when pain goes above {ACCEPTABLE_PAIN_MAX} out of 10 or "
        f"rises {RISE_OVER_BASELINE_STOP} points during the session; some discomfort below that "
        "is expected and safe."
    ),
}
"""The stop rules of ``safety.stoprules.judge``, in plain words."""

GUIDELINES: dict[str, str] = {
    "guideline:warm-up": "backcoach starts every session with a few minutes of gentle warm-up.",
    "guideline:no-bouncing": "Stretches are held still, never bounced (ACSM).",
    "guideline:stay-active": "Staying active helps more than bed rest (Dahm 2010, Cochrane).",
    "guideline:progression": "backcoach raises the dose in small steps as it gets easier.",
    "guideline:hurt-not-harm": "Some discomfort during exercise is expected and safe.",
    "guideline:scans": (
        "Most back pain needs no scan: scans of people with no back pain often show the same "
        "worn or bulging discs (NICE NG59; Brinjikji 2015)."
    ),
    "guideline:see-clinician": (
        "backcoach sends you to a clinician whenever its warning-sign questions call for it."
    ),
}

_SIGN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bladder_change", re.compile(r"\b(bladder|urin\w*|pee|passing water|incontinen\w*)\b", _I)),
    ("bowel_incontinence", re.compile(r"\bbowel\w*\b", _I)),
    ("saddle_numbness", re.compile(r"\b(saddle|groin|genital\w*|inner thighs?|"
                                   r"back passage)\b", _I)),
    ("sexual_dysfunction", re.compile(r"\b(sexual|erection|erectile)\b", _I)),
    ("major_trauma", re.compile(r"\b(a (bad |serious |major )?(fall|car accident|accident|crash)|"
                                r"trauma|serious injury)\b", _I)),
    ("both_legs", re.compile(r"\bboth legs\b", _I)),
    ("progressive_weakness", re.compile(r"\b(getting weaker|worsening weakness|foot drop|"
                                        r"unsteady|weakness in (your|the) legs?)\b", _I)),
    ("fever_unwell", re.compile(r"\b(fever|chills|temperature|generally unwell)\b", _I)),
    ("cancer_history", re.compile(r"\bcancer\b", _I)),
    ("long_term_steroids", re.compile(r"\bsteroids?\b", _I)),
    ("minor_trauma_fragile_bone", re.compile(r"\bosteoporosis|thin bones|brittle bones\b", _I)),
    ("weight_loss", re.compile(r"\b(weight loss|losing weight|lost weight)\b", _I)),
    ("night_pain", re.compile(r"\b(at night|night pain|night-time pain|wakes? you)\b", _I)),
    ("no_improvement", re.compile(r"\b(doesn'?t|does not|not|no) (get )?(better|improv\w*)|"
                                  r"(more|longer) than (a few|\d+|two|three|four|six) weeks|"
                                  r"persists?\b", _I)),
    ("inflammatory_pattern", re.compile(r"\bmorning stiffness|stiff in the morning\b", _I)),
)  # fmt: skip
_STOP_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("stop:sharp-pain", re.compile(r"\b(sharp|shooting|stabbing|severe) pain\b", _I)),
    ("stop:spreading", re.compile(r"\b(spread\w*|radiat\w*|travel\w*|shoot\w*|go\w*|mov\w*)"
                                  r"( further)?( down)?( into| to)? (your|the) (legs?|buttocks?|"
                                  r"foot|feet)\b|sciatica", _I)),
    ("stop:numbness", re.compile(r"\b(numb\w*|tingl\w*|pins and needles|weakness)\b", _I)),
    ("stop:too-much-pain", re.compile(r"\b(pain (is |keeps )?(gets|getting|becomes|becoming) "
                                      r"worse|worse pain|pain increases|"
                                      r"increases? (your|the) pain|makes? (it|the pain) worse|"
                                      r"if it hurts|more than mild|too painful|"
                                      r"hurts? more)\b", _I)),
)  # fmt: skip
_GUIDE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("guideline:warm-up", re.compile(r"\bwarm(ing)?[- ]up\b", _I)),
    ("guideline:no-bouncing", re.compile(r"\b(don'?t|do not|never|avoid|without) bounc\w*", _I)),
    ("guideline:stay-active", re.compile(r"\b(stay|keep) (active|moving)\b|"
                                         r"(avoid|no|not) bed rest", _I)),
    ("guideline:progression", re.compile(r"\b(as it gets easier|gradually increase|build up|"
                                         r"increase the number)\b", _I)),
    ("guideline:hurt-not-harm", re.compile(r"\b(some|mild) (discomfort|soreness)\b.{0,40}"
                                           r"\b(normal|expected|fine|ok)\b", _I)),
    ("guideline:scans", re.compile(r"\b(mri|x-?rays?|ct scans?|(an?|the|your|my) scans?|"
                                   r"scans? (showed|shows|show|found|finds))\b", _I)),
)  # fmt: skip
_ADVICE_CUE = re.compile(
    r"\b(stop|see a|see your|seek|consult|call|contact|emergency|a&e|doctor|gp|physio\w*|"
    r"clinician|medical (help|advice|attention)|urgent\w*|immediately|right away|"
    r"if you (have|feel|notice|experience|get))\b",
    _I,
)

_NEGATED = re.compile(r"\b(don'?t|do not|never|avoid\w*|no|not|instead of|rather than|"
                      r"shouldn'?t|should not|stay away from|skip)\b", _I)  # fmt: skip

CONFLICTS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("heavy-lifts",
     re.compile(r"\b(heavy|barbell|weighted|max(imal)?)\b.{0,30}\b(deadlifts?|squats?|"
                r"good mornings?|rows?|lifts?|lifting)\b|\bdeadlifts?\b|\bgood mornings?\b", _I),
     "Heavy lifts such as deadlifts load a painful back hard. backcoach practises bending and "
     "lifting without weights (hip hinge, sit to stand) and leaves loaded lifting out during a "
     "flare-up and after spinal surgery."),
    ("self-adjusting",
     re.compile(r"\b(crack|pop|click|adjust|manipulat\w*|realign)\w*\b.{0,25}"
                r"\b(your|my|own) (own )?(back|spine|neck)\b|"
                r"\bself[- ](adjust\w*|manipulat\w*)", _I),
     "Cracking or adjusting your own spine is not part of any back-pain guideline; forceful "
     "twisting can hurt, especially with thin bones. If your back feels locked, use gentle "
     "movements and see a clinician."),
    ("bed-rest",
     re.compile(r"\bbed ?rest\b|\b(rest|stay|lie) in bed\b|\bcomplete rest\b|"
                r"\bavoid (all )?(movement|moving|activity)\b", _I),
     "Resting in bed is not advised for back pain: staying active helps it settle sooner "
     "(Dahm 2010, Cochrane; NICE NG59)."),
    ("bouncing",
     re.compile(r"\bbounc\w*\b|\bballistic\b", _I),
     "Stretches should be held still, never bounced (ACSM guidelines)."),
    ("push-through-pain",
     re.compile(r"\bpush through (the )?pain\b|\bno pain,? no gain\b|"
                r"\bignore (the )?pain\b|\bwork through (the )?pain\b", _I),
     "Pushing through pain goes against backcoach's stop rules: stop for sharp or spreading "
     "pain, numbness, or pain above 5 out of 10."),
    ("breath-holding",
     re.compile(r"\bhold(ing)? your breath\b", _I),
     "Holding your breath is one of the common mistakes backcoach warns about; breathe slowly "
     "through each exercise."),
    ("sit-ups",
     re.compile(r"\b(sit[- ]?ups?|crunch(es)?|toe[- ]touch(es)?)\b", _I),
     "Sit-ups, crunches and toe touches bend the spine under load; people with thin bones "
     "(osteoporosis) are advised to avoid them (Sinaki 1984; Too Fit To Fracture)."),
)  # fmt: skip
"""Advice that goes against CLINICAL.md: each pattern with why, in plain words. A statement
that says to avoid the thing ("avoid bed rest") agrees with backcoach and is not a conflict."""

CAUTION_CONTEXT: tuple[tuple[re.Pattern[str], frozenset[str], str], ...] = (
    (re.compile(r"\bpregnan\w*\b", _I), frozenset({"prone", "supine-long"}),
     "lying on the front or flat on the back for long is best avoided later in pregnancy "
     "(ACOG 2020)"),
    (re.compile(r"\bosteoporosis|thin bones|brittle bones\b", _I),
     frozenset({"loaded-flexion", "direct-spinal-pressure", "end-range-flexion"}),
     "bending the spine under load, deep bending and pressure on the spine are best avoided "
     "with thin bones (Sinaki 1984)"),
    (re.compile(r"\bstenosis|spondylolisthesis\b", _I), frozenset({"sustained-extension"}),
     "back-bending held or repeated often makes narrowing or slipping of the spine worse "
     "(Sinaki 1989)"),
    (re.compile(r"\b(after|since|recent) (back |spinal |spine )?surgery\b", _I),
     frozenset({"lifting-load", "loaded-flexion", "end-range-rotation"}),
     "after spinal surgery, exercise needs the surgeon's or physiotherapist's clearance"),
)  # fmt: skip
"""An article recommending an exercise for a condition its catalogue cautions rule out."""


@dataclass(frozen=True)
class Advice:
    text: str | None
    maps_to: tuple[str, ...]
    note: str
    lesson: str | None = None
    """The id of the lesson that covers this advice (``articles.lessons``), or None."""


@dataclass(frozen=True)
class Conflict:
    text: str
    why: str
    lesson: str | None = None
    """The id of the lesson that explains what to do instead (``articles.lessons``), or None."""


def _negated_before(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    return bool(_NEGATED.search(before))


def advice_of(statements: Sequence[str]) -> list[Advice]:
    """Each statement that carries a stop rule, a warning sign or a guideline, with what it
    maps to; then what the article misses (``text`` None)."""
    out: list[Advice] = []
    seen_stops: set[str] = set()
    seen_signs: set[str] = set()
    for text in statements:
        maps: list[str] = []
        cue = bool(_ADVICE_CUE.search(text))
        if cue:
            maps += [sid for sid, p in _STOP_PATTERNS if p.search(text)]
            maps += [sid for sid, p in _SIGN_PATTERNS if p.search(text)]
        maps += [gid for gid, p in _GUIDE_PATTERNS if p.search(text)]
        if not maps:
            continue
        maps = list(dict.fromkeys(maps))
        seen_stops.update(m for m in maps if m.startswith("stop:"))
        seen_signs.update(m for m in maps if m in SIGNS_BY_ID)
        out.append(Advice(text, tuple(maps), _note(maps), lesson_for_advice(maps)))
    missing_stops = [s for s in STOP_RULES if s not in seen_stops]
    if missing_stops:
        out.append(
            Advice(
                None,
                tuple(missing_stops),
                "The article does not say to stop for: "
                + "; ".join(_STOP_LABEL[s] for s in missing_stops)
                + ". backcoach asks about these during every session.",
                lesson_for_advice(missing_stops),
            )
        )
    missing_signs = [s for s in [*CAUDA_EQUINA, "major_trauma"] if s not in seen_signs]
    if missing_signs:
        out.append(
            Advice(
                None,
                tuple(missing_signs),
                "The article does not mention these warning signs: "
                + "; ".join(SIGNS_BY_ID[s].label for s in missing_signs)
                + ". backcoach's warning-sign questions ask about them before any plan.",
                lesson_for_advice(missing_signs),
            )
        )
    return out


_STOP_LABEL = {
    "stop:sharp-pain": "sharp or shooting pain",
    "stop:spreading": "pain spreading down the leg",
    "stop:numbness": "new numbness, tingling or weakness",
    "stop:too-much-pain": "pain that gets too strong",
}


def _note(maps: Sequence[str]) -> str:
    parts = []
    for m in maps:
        if m in STOP_RULES:
            parts.append(STOP_RULES[m])
        elif m in GUIDELINES:
            parts.append(GUIDELINES[m])
        elif m in SIGNS_BY_ID:
            parts.append(f"Matches the warning sign '{SIGNS_BY_ID[m].label}' in backcoach's "
                         "questions.")  # fmt: skip
    return " ".join(dict.fromkeys(parts))


def conflicts_of(statements: Sequence[str], matched: Iterable[Exercise] = ()) -> list[Conflict]:
    """Advice that goes against the guidelines or the matched exercises' cautions."""
    out: list[Conflict] = []
    matched = list(matched)
    for text in statements:
        for topic, pattern, why in CONFLICTS:
            m = pattern.search(text)
            if m and not _negated_before(text, m.start()):
                out.append(Conflict(text, why, lesson_for_conflict(topic)))
                break
        for pattern, tags, why in CAUTION_CONTEXT:
            m = pattern.search(text)
            if not m or _negated_before(text, m.start()):
                continue
            hit = [e.name for e in matched if tags & set(e.cautions)]
            if hit and re.search(r"\b(safe|good|great|ideal|perfect|recommend\w*|suitable|"
                                 r"fine|helps?|best)\b", text, _I):  # fmt: skip
                out.append(
                    Conflict(
                        text,
                        f"{', '.join(hit)}: {why}; backcoach changes or leaves "
                        "these out for that condition.",
                    )
                )
    return out
