"""Noise: statements that are not part of the article's advice, each with a plain reason.

Every removed statement is listed with its reason so a person can check nothing useful was
dropped. A statement that names an exercise or gives a dose is never removed for a weak
reason (unrelated text, clinic promotion): the caller says which statements those are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from backcoach.articles.statements import Statement

ADVERTISING: Final = "advertising"
LINK_BAIT: Final = "link bait"
UNRELATED: Final = "unrelated text"
COMMENTS: Final = "comments"
RELATED: Final = "related posts"
CLINIC: Final = "clinic promotion"
NAVIGATION: Final = "navigation or sharing"
OUTSIDE: Final = "outside the article"
NOT_ENGLISH: Final = "not in English"

STRONG = frozenset({ADVERTISING, LINK_BAIT, COMMENTS, RELATED, NAVIGATION})
"""Reasons that remove a statement even when it names an exercise (a "read more" link to
another article about bridges is still a link)."""

_I = re.IGNORECASE
_ADVERT = re.compile(
    r"\b(advertisement|advertising|sponsored|promoted content|shop now|buy now|buy one|"
    r"add to (cart|basket)|order (now|today)|discount|coupon|promo code|use code|"
    r"\d+ ?% off|free (shipping|delivery)|limited[- ]time|best price|sale ends|"
    r"on sale|affiliate|newsletter|subscribe (now|today|to)|sign up (now|today|for)|"
    r"free trial|money[- ]back)\b|[$£€]\s?\d",
    _I,
)
_LINK_BAIT = re.compile(
    r"\b(click here|tap here|read more|read next|read on|you won'?t believe|"
    r"(this|one) (weird |simple )?trick|doctors hate|see also|find out more|learn more|"
    r"keep reading|continue reading|must[- ]see|don'?t miss|check out (our|this|these)|"
    r"watch the video|see the full list|what happened next|will shock you|"
    r"go viral|number \d+ will)\b",
    _I,
)
_RELATED_HEAD = re.compile(
    r"^(related( posts?| articles?| stories| reading| content)?|you (may|might) also like|"
    r"more (from|like this|articles)|recommended( for you| reading)?|popular( posts| articles)?|"
    r"further reading|recent posts|trending( now)?|latest (posts|articles)|read these next)\b",
    _I,
)
_COMMENT_HEAD = re.compile(
    r"^(\d+\s+)?(comments?|responses?|replies|leave a (reply|comment)|discussion|"
    r"what readers say|join the conversation)\b",
    _I,
)
_COMMENT = re.compile(
    r"\b(leave a (reply|comment)|\d+ (comments?|replies)|posted by|log in to (reply|comment)|"
    r"upvote|report abuse|your email address will not be published|says:|wrote:|"
    r"reply$|^reply\b)",
    _I,
)
_CLINIC = re.compile(
    r"\b(book (an |your |a )?(appointment|assessment|consultation|session|visit)|call us|"
    r"our (clinic|clinics|practice|physiotherapists|physios|team|therapists|chiropractors|"
    r"specialists|experts)|visit us|book online|contact us|schedule (a|your) (visit|"
    r"consultation)|first (visit|consultation) (is )?free|award[- ]winning|"
    r"we (offer|provide|specialise|specialize|treat|see)|at (\w+ ){1,3}(clinic|physio|"
    r"physiotherapy|chiropractic))\b",
    _I,
)
_NAV = re.compile(
    r"^(home|about( us)?|contact( us)?|menu|search|skip to (main )?content|"
    r"share( this( article| post)?)?( on \w+)?|tweet|pin it|facebook|twitter|instagram|x|"
    r"pinterest|linkedin|whatsapp|email|print|subscribe|sign in|log ?in|sign up|"
    r"privacy( policy)?|terms( of use| and conditions)?|cookies?( policy| settings)?|"
    r"accept( all)?( cookies)?|copyright|©|all rights reserved|back to top|next( post)?|"
    r"previous( post)?|prev|tags?:|categories:|filed under)\b",
    _I,
)
_SHARE = re.compile(r"\bshare this (article|post|page|story)\b|\bfollow us on\b", _I)
_CRUMBS = re.compile(r"^\S[^.!?]{0,80}(\s[>»/|]\s\S[^.!?]{0,40}){1,}$")

TOPIC_WORDS = re.compile(
    r"\b(back|spine|spinal|lumbar|pelvi\w*|hip|hips|knee|knees|leg|legs|arm|arms|hand|hands|"
    r"foot|feet|shoulder\w*|neck|belly|stomach|tummy|abdominal|abs|core|muscle\w*|stretch\w*|"
    r"exercis\w*|pose|posture|position|lie|lying|sit|sitting|stand|standing|kneel\w*|bend\w*|"
    r"lift\w*|hold\w*|breath\w*|repeat|reps?|repetitions?|pain\w*|"
    r"ache|aching|sore|stiff\w*|hurt\w*|injur\w*|doctor|physio\w*|gp|clinician|symptoms?|"
    r"numb\w*|tingl\w*|bladder|bowel|walk\w*|move|moving|movement|gentl\w*|slowly|floor|mat|"
    r"chair|body|health\w*|heal\w*|relax\w*|routine|workout|yoga|pilates|flexib\w*|strength\w*|"
    r"weak\w*|active|activity)\b",
    _I,
)
"""Words of exercise and back care: a long paragraph with none of them is unrelated text."""

UNRELATED_MIN_WORDS = 20
"""A paragraph needs this many words with no exercise or back-care word to be called unrelated:
a short linking sentence ("It only takes ten minutes.") stays."""

_ENGLISH = re.compile(
    r"\b(the|and|your|you|to|of|a|is|in|for|with|on|it|this|that|do|be|are|or|if|as|at)\b",
    _I,
)


def english_share(text: str) -> float:
    """The share of words that are common English words: about 0.3-0.5 for English prose,
    under 0.05 for other languages."""
    words = re.findall(r"[^\W\d_]+", text)
    if not words:
        return 1.0
    return len(_ENGLISH.findall(text)) / len(words)


def is_english(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text)
    return len(words) < 8 or english_share(text) >= 0.08


def statement_reason(text: str, kind: str) -> str | None:
    """The reason to remove one statement read on its own, or None to keep it."""
    words = len(text.split())
    if _LINK_BAIT.search(text):
        return LINK_BAIT
    if _ADVERT.search(text):
        return ADVERTISING
    if kind == "heading" and _RELATED_HEAD.match(text):
        return RELATED
    if kind == "heading" and _COMMENT_HEAD.match(text):
        return COMMENTS
    if _COMMENT.search(text):
        return COMMENTS
    if words <= 10 and (_NAV.match(text) or _CRUMBS.match(text)):
        return NAVIGATION
    if _SHARE.search(text):
        return NAVIGATION
    if kind != "heading" and _CLINIC.search(text):
        return CLINIC
    return None


def removal_reasons(
    statements: Sequence[Statement], protected: Callable[[Statement], bool]
) -> list[str | None]:
    """A reason (or None) for each statement, in order. Headings of related posts and
    comment sections remove what follows them until the next heading at the same or a
    higher level; a paragraph of 20 words or more with no exercise or back-care word is
    unrelated text."""
    reasons: list[str | None] = [None] * len(statements)
    section: str | None = None
    section_level = 0
    by_block: dict[int, list[int]] = {}
    for i, st in enumerate(statements):
        by_block.setdefault(st.block, []).append(i)
    for i, st in enumerate(statements):
        if st.kind == "heading":
            level = st.level or 2
            if section is not None and level <= section_level:
                section = None
            own = statement_reason(st.text, "heading")
            if own in (RELATED, COMMENTS):
                section, section_level = own, level
        reason = section or statement_reason(st.text, st.kind)
        if reason is not None and reason not in STRONG and protected(st):
            reason = None
        reasons[i] = reason
    for indexes in by_block.values():
        members = [statements[i] for i in indexes]
        if members[0].kind not in ("paragraph", "item"):
            continue
        text = " ".join(m.text for m in members)
        if len(text.split()) >= UNRELATED_MIN_WORDS and not TOPIC_WORDS.search(text):
            for i in indexes:
                if reasons[i] is None and not protected(statements[i]):
                    reasons[i] = UNRELATED
    return reasons


def outside_reason(text: str, hint: str) -> str:
    """Why page text outside the article's main text was left out, from where it sat."""
    own = statement_reason(text, "paragraph")
    if hint == "comments":
        return COMMENTS
    if hint == "related":
        return own if own in (ADVERTISING, LINK_BAIT) else RELATED
    if hint == "advert":
        return ADVERTISING
    if hint in ("nav", "sharing"):
        return NAVIGATION
    return own or OUTSIDE
