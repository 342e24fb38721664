"""Splitting an article's blocks into statements: the unit that is kept or removed, and that
is quoted as evidence. A heading or list item is one statement; a paragraph is split into
sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from backcoach.articles.reading import Block, BlockKind

MAX_STATEMENT = 600
"""Longer runs of text without a full stop are cut here so evidence stays readable."""

_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|approx|min|sec|Dr|Mr|Mrs|Ms|St|vs|No)\.$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")


@dataclass(frozen=True)
class Statement:
    """One statement with the block it came from: ``block`` numbers the blocks in order, so
    statements of one paragraph or list item share it."""

    text: str
    kind: BlockKind
    block: int
    level: int = 0
    extra: bool = False
    """Found outside the article's main text (kept because it describes an exercise)."""


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; abbreviations such as "e.g." do not end one."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        chunk = text[start : match.end()].strip()
        if _ABBREV.search(chunk.rstrip('"”’) ')):
            continue
        parts.append(chunk)
        start = match.end()
    parts.append(text[start:].strip())
    out: list[str] = []
    for part in parts:
        while len(part) > MAX_STATEMENT:
            cut = part.rfind(" ", 0, MAX_STATEMENT)
            cut = cut if cut > 0 else MAX_STATEMENT
            out.append(part[:cut].strip())
            part = part[cut:].strip()
        if part:
            out.append(part)
    return out


def split(blocks: list[Block]) -> list[Statement]:
    out: list[Statement] = []
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            out.append(Statement(block.text.strip(), "heading", index, block.level))
            continue
        for sentence in sentences(block.text):
            out.append(Statement(sentence, block.kind, index))
    return out
