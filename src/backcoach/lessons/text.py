"""Lesson text as plain words: for the reading grade, and for reading aloud.

The grade is the Flesch-Kincaid grade (textstat): roughly the school year a reader needs.
Health information for the public is usually aimed at grade 8 or below (issue 19; the same
target as NHS and US National Library of Medicine guidance on plain language).
"""

from __future__ import annotations

import re

MAX_GRADE = 8.0
"""The highest reading grade a lesson may have (issue 19)."""

MAX_PARAGRAPH_WORDS = 70
"""Short paragraphs: about three or four short sentences. Longer blocks are hard to follow on
a phone screen (a product choice, after the NHS content style guide's advice on short
paragraphs)."""

_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`]+")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def blocks(markdown: str) -> list[tuple[int, str]]:
    """The paragraphs and list items of ``markdown`` (headings left out), each with the
    0-based index of the line it starts on."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(markdown.splitlines()):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _ITEM.match(line):
            if current:
                out.append((start, " ".join(current)))
                current = []
            if _ITEM.match(line):
                out.append((n, _ITEM.sub("", line).strip()))
            continue
        if not current:
            start = n
        current.append(stripped)
    if current:
        out.append((start, " ".join(current)))
    return out


def plain(text: str) -> str:
    """One block without Markdown marks, ending like a sentence (a list item often has no
    full stop; without one, the grade formula would run it into the next sentence)."""
    text = _MARKS.sub("", _LINK.sub(r"\1", text)).strip()
    if text and text[-1] not in ".!?:":
        text += "."
    return text


def plain_paragraphs(markdown: str) -> list[str]:
    return [plain(block) for _, block in blocks(markdown) if plain(block)]


def reading_grade(markdown_parts: list[str]) -> float:
    """The Flesch-Kincaid grade of the text of these Markdown parts together."""
    import textstat  # a few hundred milliseconds (its pronouncing dictionary): only when needed

    words = " ".join(p for part in markdown_parts for p in plain_paragraphs(part))
    return float(textstat.flesch_kincaid_grade(words)) if words else 0.0


def word_count(text: str) -> int:
    return len(text.split())
