"""An article read against the catalogue: the one entry point (``analyse``) and its result.

Pure: the same text and catalogue always give the same result; nothing is fetched or saved.
The JSON form (``Analysis.as_json``) is what ``backcoach article --json`` prints and what the
API returns (docs/articles.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from backcoach.articles import noise
from backcoach.articles.advice import Advice, Conflict, advice_of, conflicts_of
from backcoach.articles.doses import ArticleDose, Found, compare, merge, read_dose
from backcoach.articles.match import (
    DESCRIPTION_MARGIN,
    DESCRIPTION_MIN,
    Chunk,
    Index,
    _other_name,
    chunks,
    describe_score,
    name_hits,
    positions_in,
)
from backcoach.articles.reading import Document, check_input, read_document
from backcoach.articles.statements import Statement, split
from backcoach.catalogue.model import Exercise


@dataclass
class MatchedExercise:
    exercise_id: str
    name: str
    confidence: float
    evidence: list[str]
    dose: ArticleDose
    alternatives: tuple[str, ...] = ()


@dataclass
class Unmatched:
    name: str
    evidence: list[str]


@dataclass
class Analysis:
    title: str | None
    exercises: list[MatchedExercise] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    english: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "exercises": [
                {
                    "exercise_id": m.exercise_id,
                    "confidence": round(m.confidence, 2),
                    "evidence": m.evidence,
                    "dose": m.dose.as_json(),
                    "dose_note": m.dose.note,
                }
                for m in self.exercises
            ],
            "unmatched": [{"name": u.name, "evidence": u.evidence} for u in self.unmatched],
            "removed": [{"text": t, "reason": r} for t, r in self.removed],
            "kept": self.kept,
            "advice": [
                {"text": a.text, "maps_to": list(a.maps_to), "note": a.note, "lesson": a.lesson}
                for a in self.advice
            ],
            "conflicts": [
                {"text": c.text, "why": c.why, "lesson": c.lesson} for c in self.conflicts
            ],
        }


def analyse(data: bytes | str, exercises: Iterable[Exercise]) -> Analysis:
    """Read an article (HTML, Markdown or text) against the catalogue's ``exercises``.
    ArticleError (a plain message) when it cannot be read at all: too large, a URL, empty."""
    text = check_input(data)
    doc = read_document(text)
    return analyse_document(doc, Index.of(exercises))


def analyse_document(doc: Document, index: Index) -> Analysis:
    statements = split(doc.blocks)
    result = Analysis(doc.title or _first_heading(statements))
    body = " ".join(st.text for st in statements)
    if statements and not noise.is_english(body):
        result.english = False
        result.removed = [(st.text, noise.NOT_ENGLISH) for st in statements]
        return result

    def protected(st: Statement) -> bool:
        return _exercise_bearing(st.text, index)

    reasons = noise.removal_reasons(statements, protected)
    for st, reason in zip(statements, reasons, strict=True):
        if reason is not None:
            result.removed.append((st.text, reason))
    result.removed += [(c, noise.COMMENTS) for c in doc.comments]
    rescued: list[Statement] = []
    next_block = (statements[-1].block + 1) if statements else 0
    for piece, hint in doc.outside:
        reason = noise.outside_reason(piece, hint)
        picture = hint == "picture" and reason == noise.OUTSIDE
        if reason not in noise.STRONG and (picture or _exercise_bearing(piece, index)):
            # Text the article detection left out but that describes an exercise or a dose:
            # kept, so no instruction is ever dropped silently.
            rescued.append(Statement(piece, "caption", next_block, extra=True))
            next_block += 1
            continue
        result.removed.append((piece, reason))
    statements = statements + rescued
    kept = [i for i, st in enumerate(statements) if i >= len(reasons) or reasons[i] is None]
    result.kept = [statements[i].text for i in kept]
    _match(result, statements, kept, index)
    kept_texts = result.kept
    result.advice = advice_of(kept_texts)
    result.conflicts = conflicts_of(
        kept_texts, (index.exercises[m.exercise_id] for m in result.exercises)
    )
    return result


def _first_heading(statements: list[Statement]) -> str | None:
    return next((st.text for st in statements if st.kind == "heading"), None)


def _exercise_bearing(text: str, index: Index) -> bool:
    """Names a catalogue exercise, or gives a hold or repetitions with a body position."""
    if name_hits(text, index):
        return True
    found = read_dose(text)
    return bool(found.hold or found.reps) and bool(positions_in(text) or _other_name(text))


def _match(result: Analysis, statements: list[Statement], kept: list[int], index: Index) -> None:
    evidence: dict[str, list[int]] = {}
    confidence: dict[str, float] = {}
    alternatives: dict[str, tuple[str, ...]] = {}
    doses: dict[str, list[Found]] = {}
    unmatched: dict[str, list[int]] = {}
    for chunk in chunks(statements, kept, index):
        texts = [statements[i].text for i in chunk.statements]
        if not chunk.named and chunk.weak:
            scores = describe_score(" ".join(texts), index)
            # A position alone ("lie face down") names the exercise only when the description
            # does not clearly fit another one.
            fits = scores[0][1] if scores and scores[0][0] >= DESCRIPTION_MIN else None
            if fits is None or fits in chunk.weak:
                chunk.named = dict(chunk.weak)
        _settle_alternatives(chunk, texts, index)
        if chunk.named:
            sole = len(chunk.named) == 1
            for ex_id, hit in chunk.named.items():
                used = chunk.statements if sole else chunk.name_evidence[ex_id]
                _add(evidence, ex_id, used)
                confidence[ex_id] = max(confidence.get(ex_id, 0.0), hit.confidence)
                if hit.alternatives:
                    alternatives[ex_id] = hit.alternatives
                parts = [read_dose(statements[i].text) for i in used]
                doses.setdefault(ex_id, []).extend(parts)
            continue
        if chunk.extra:
            continue
        other = _other_name(chunk.label or "") or next(
            (n for n in (_other_name(t) for t in texts) if n), None
        )
        joined = " ".join(texts)
        if other is None:
            scores = describe_score(joined, index)
            if (
                scores
                and scores[0][0] >= DESCRIPTION_MIN
                and (len(scores) == 1 or scores[0][0] >= scores[1][0] * DESCRIPTION_MARGIN)
            ):
                best, ex_id = scores[0]
                _add(evidence, ex_id, chunk.statements)
                conf = min(0.85, 0.5 + (best - DESCRIPTION_MIN) / 20)
                confidence[ex_id] = max(confidence.get(ex_id, 0.0), conf)
                doses.setdefault(ex_id, []).extend(read_dose(t) for t in texts)
                continue
        if other or _looks_like_exercise(chunk, joined):
            name = other or _name_of(chunk, texts)
            unmatched.setdefault(name, []).extend(chunk.statements)
    for ex_id in sorted(evidence, key=lambda i: min(evidence[i])):
        ex = index.exercises[ex_id]
        dose = compare(merge(doses.get(ex_id, [])), ex)
        alts = alternatives.get(ex_id, ())
        if alts:
            names = ", ".join(index.exercises[a].name for a in alts)
            dose = ArticleDose(
                dose.hold_seconds, dose.reps, dose.sets, dose.per_side, dose.text,
                f"The article's name could also mean {names}. {dose.note}",
            )  # fmt: skip
        result.exercises.append(
            MatchedExercise(
                ex_id,
                ex.name,
                confidence[ex_id],
                [statements[i].text for i in sorted(set(evidence[ex_id]))],
                dose,
                alts,
            )
        )
    for name, idx in unmatched.items():
        result.unmatched.append(Unmatched(name, [statements[i].text for i in sorted(set(idx))]))


def _settle_alternatives(chunk: Chunk, texts: list[str], index: Index) -> None:
    """A shared name ("knee to chest") settled by the rest of the chunk ("pull one knee")."""
    from backcoach.articles.match import FUZZY_CONFIDENCE, NameHit, _settle

    for ex_id, hit in list(chunk.named.items()):
        if not hit.alternatives:
            continue
        chosen = _settle(" ".join(texts), sorted([ex_id, *hit.alternatives]), index)
        if chosen is not None:
            del chunk.named[ex_id]
            chunk.named[chosen] = NameHit(chosen, FUZZY_CONFIDENCE)
            chunk.name_evidence[chosen] = chunk.name_evidence.pop(ex_id, [])


def _add(evidence: dict[str, list[int]], ex_id: str, indexes: Iterable[int]) -> None:
    evidence.setdefault(ex_id, []).extend(indexes)


def _looks_like_exercise(chunk: Chunk, text: str) -> bool:
    if chunk.exercise_like:
        found = read_dose(text)
        return bool(positions_in(text) or found.hold or found.reps)
    found = read_dose(text)
    return bool(positions_in(text)) and bool(found.hold or found.reps)


def _name_of(chunk: Chunk, texts: list[str]) -> str:
    from backcoach.articles.match import _NUMBERING

    if chunk.label:
        label = _NUMBERING.sub("", chunk.label).strip().rstrip(":").strip()
        if label:
            return label
    words = texts[0].split()
    return " ".join(words[:6]) + ("…" if len(words) > 6 else "")
