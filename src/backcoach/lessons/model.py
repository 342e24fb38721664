"""A lesson: a short read about back pain, as a Markdown file with a small YAML header.

The header says what the lesson is (id, title, topics, minutes to read), where its claims come
from (``sources``), and which exercises and conditions it relates to. The body is Markdown in
sections; every section ends with a line naming the sources its claims rest on::

    [sources: smith-2017, nice-ng59]

so a reader (and a test) can tell where each claim comes from (CLINICAL.md keeps the facts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backcoach.catalogue.vocabulary import ConditionId

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Ids and source keys: lowercase letters, digits and single hyphens (as exercise ids)."""

MAX_MINUTES = 10
"""A lesson is a short read: Hinge and selfBACK send lessons of a few minutes each (issue 19);
ten minutes is already long for a phone."""


class LessonSource(BaseModel):
    """One source a lesson cites: a short key used in the body, and the citation in full."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=SLUG, max_length=60)
    cite: str = Field(min_length=3, max_length=300)


class LessonHeader(BaseModel):
    """The YAML header of a lesson file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG, max_length=80)
    title: str = Field(min_length=3, max_length=80)
    topics: list[str] = Field(min_length=1, max_length=8)
    minutes: int = Field(ge=1, le=MAX_MINUTES)
    sources: list[LessonSource] = Field(min_length=1, max_length=20)
    exercises: list[str] = Field(default_factory=list, max_length=20)
    """Related exercises (ids in the catalogue): shown as links under the lesson."""
    conditions: list[ConditionId] = Field(default_factory=list)
    """Conditions the lesson speaks to (the profile's ids)."""

    @model_validator(mode="after")
    def _unique_source_keys(self) -> LessonHeader:
        keys = [s.key for s in self.sources]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(
                f"source keys are used twice: {', '.join(twice)}; give each source its own key"
            )
        return self


@dataclass(frozen=True)
class Section:
    """One section of a lesson's body: its heading (None for the text before the first
    heading), its Markdown without the sources line, the source keys it cites, and the line
    the section starts on in the file."""

    heading: str | None
    markdown: str
    source_keys: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Lesson:
    """A validated lesson, with the file it came from and its reading grade."""

    header: LessonHeader
    sections: tuple[Section, ...]
    grade: float | None
    """Flesch-Kincaid grade of its text (textstat), 8 or below; None when not measured
    (``loader.load_file``)."""
    path: Path
    builtin: bool

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def title(self) -> str:
        return self.header.title

    def cite(self, key: str) -> str:
        return next(s.cite for s in self.header.sources if s.key == key)

    def markdown(self) -> str:
        """The lesson as Markdown to show: each section followed by its sources in words."""
        parts = []
        for section in self.sections:
            if section.heading is not None:
                parts.append(f"## {section.heading}")
            parts.append(section.markdown)
            cites = "; ".join(self.cite(k) for k in section.source_keys)
            parts.append(f"*Source: {cites}*" if cites else "")
        return "\n\n".join(p for p in parts if p).strip() + "\n"

    def spoken(self) -> list[str]:
        """The lesson's words to read aloud, paragraph by paragraph (no sources, no marks)."""
        from backcoach.lessons.text import plain_paragraphs

        out = [self.title]
        for section in self.sections:
            if section.heading is not None:
                out.append(section.heading)
            out.extend(plain_paragraphs(section.markdown))
        return out
