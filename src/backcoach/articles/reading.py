"""Reading an article: a saved web page, Markdown or plain text, into headed blocks.

Nothing is fetched: backcoach works offline, so a URL is refused with a plain message (save
the page first). HTML goes through trafilatura, which finds the article's main text and keeps
headings and lists; everything else on the page (menus, sharing buttons, advertising boxes,
comment threads) is read separately so the result can list what was left out and why, and so
no instruction is ever dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

MAX_BYTES = 5 * 1024 * 1024
"""The largest article accepted: 5 MB. A saved article page is well under 1 MB; this keeps a
pasted or uploaded file from tying up the machine."""

FAST_ABOVE = 300_000
"""Characters of HTML above which trafilatura skips its slower fallback extractor."""

BlockKind = Literal["heading", "item", "paragraph", "caption"]


class ArticleError(ValueError):
    """An article that cannot be read at all, with a message that says what to do."""


class ArticleTooLarge(ArticleError):
    """An article over ``MAX_BYTES``."""


@dataclass(frozen=True)
class Block:
    """A heading, list item, paragraph or picture caption of the article's main text."""

    kind: BlockKind
    text: str
    level: int = 0


@dataclass
class Document:
    """The article's title and main text, and the page text that is not part of it (each
    piece with a hint of where on the page it sat: ``nav``, ``advert``, ``comments``...)."""

    title: str | None
    blocks: list[Block] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)


_URL = re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.IGNORECASE)


def check_input(data: bytes | str) -> str:
    """The article as text, or ArticleError: too large, a bare URL, or empty."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise ArticleTooLarge(
            f"the article is {len(raw) / 1024 / 1024:.1f} MB, more than the {MAX_BYTES // 2**20} "
            "MB backcoach reads; save only the article's page (not a whole site) or paste its "
            "text"
        )
    text = data if isinstance(data, str) else _decode(data)
    if not text.strip():
        raise ArticleError("the article is empty; paste its text or give a saved page")
    if _URL.match(text):
        raise ArticleError(
            "that is a web address, and backcoach never goes online to fetch pages; open the "
            "page in your browser, save it (File > Save page as) or copy its text, and give "
            "backcoach the saved file or the text"
        )
    return text


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def looks_like_html(text: str) -> bool:
    head = text[:4000].lower()
    return bool(re.search(r"<(html|body|article|div|p|h[1-6]|ul|ol|!doctype)\b", head))


def read_document(text: str) -> Document:
    """Blocks of the article in ``text`` (HTML, Markdown or plain text)."""
    if looks_like_html(text):
        return read_html(text)
    return read_markdown(text)


# --- Markdown and plain text ----------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+(.*)$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def _md_inline(text: str) -> str:
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S.*?\S|\S)[*_](?!\w)", r"\1", text)
    return text.strip()


def read_markdown(text: str) -> Document:
    """Markdown (or plain text, which is Markdown without marks): headings, list items,
    paragraphs (lines joined until a blank line) and pictures' alt text as captions."""
    blocks: list[Block] = []
    para: list[str] = []
    title: str | None = None

    def flush() -> None:
        if para:
            joined = _md_inline(" ".join(para))
            if joined:
                blocks.append(Block("paragraph", joined))
            para.clear()

    for line in text.splitlines():
        images = _MD_IMAGE.findall(line)
        line = _MD_IMAGE.sub("", line)
        for alt in images:
            if alt.strip():
                flush()
                blocks.append(Block("caption", alt.strip()))
        if not line.strip():
            flush()
            continue
        heading = _MD_HEADING.match(line)
        item = _MD_ITEM.match(line)
        if heading:
            flush()
            words = _md_inline(heading.group(2))
            level = len(heading.group(1))
            if title is None and level == 1:
                title = words
            blocks.append(Block("heading", words, level))
        elif item:
            flush()
            blocks.append(Block("item", _md_inline(item.group(1))))
        else:
            para.append(line.strip())
    flush()
    if title is None and blocks and blocks[0].kind in ("heading", "paragraph"):
        first = blocks[0].text
        if len(first) <= 100 and not first.endswith("."):
            title = first
    return Document(title, blocks)


# --- HTML -----------------------------------------------------------------------------------

_HINTS: tuple[tuple[str, str], ...] = (
    ("comment", "comments"),
    ("reply", "comments"),
    ("related", "related"),
    ("recommended", "related"),
    ("popular", "related"),
    ("share", "sharing"),
    ("social", "sharing"),
    ("advert", "advert"),
    ("sponsor", "advert"),
    ("promo", "advert"),
    ("banner", "advert"),
    ("newsletter", "advert"),
    ("subscribe", "advert"),
    ("cookie", "nav"),
    ("breadcrumb", "nav"),
    ("menu", "nav"),
    ("nav", "nav"),
    ("footer", "nav"),
    ("header", "nav"),
    ("sidebar", "related"),
)
_AD_TOKEN = re.compile(r"(^|[-_ ])(ad|ads|adv)($|[-_ ])")
_BLOCK_TAGS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "section", "article",
    "aside", "nav", "header", "footer", "ul", "ol", "blockquote", "figcaption", "figure",
    "form", "dt", "dd", "br", "tr", "table", "main", "button",
}  # fmt: skip


def _hint_of(element: object) -> str | None:
    tag = str(getattr(element, "tag", "")).lower()
    if tag in ("nav", "header", "footer"):
        return "nav"
    if tag == "aside":
        return "related"
    if tag in ("form", "button"):
        return "sharing"
    get = getattr(element, "get", None)
    words = " ".join(str(get(k) or "") for k in ("class", "id", "role")).lower() if get else ""
    if not words:
        return None
    if _AD_TOKEN.search(words):
        return "advert"
    for token, hint in _HINTS:
        if token in words:
            return hint
    return None


def page_pieces(html: str) -> list[tuple[str, str | None]]:
    """Every piece of visible text on the page, one per block element, with the nearest
    ancestor's hint (or None): what a reader would see, before any article detection."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    pieces: list[tuple[str, str | None]] = []
    current: list[str] = []
    current_hint: list[str | None] = [None]

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(current)).strip()
        if text:
            pieces.append((text, current_hint[0]))
        current.clear()

    def walk(el: object, hint: str | None) -> None:
        if not isinstance(getattr(el, "tag", None), str):
            return
        hint = hint or _hint_of(el)
        tag = str(el.tag).lower()  # type: ignore[attr-defined]
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        current_hint[0] = hint
        if el.text:  # type: ignore[attr-defined]
            current.append(el.text)  # type: ignore[attr-defined]
        if tag == "img" and el.get("alt"):  # type: ignore[attr-defined]
            flush()
            pieces.append((el.get("alt").strip(), hint or "picture"))  # type: ignore[attr-defined]
        for child in el:  # type: ignore[attr-defined]
            walk(child, hint)
            current_hint[0] = hint
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    body = root.find("body")
    walk(body if body is not None else root, None)
    flush()
    return pieces


def read_html(html: str) -> Document:
    """The main text by trafilatura (headings, lists and pictures' alt text kept; comments
    apart), plus the rest of the page's text with where it sat."""
    import trafilatura
    from lxml import etree

    extracted = None
    try:
        extracted = trafilatura.extract(
            html,
            output_format="xml",
            include_comments=True,
            include_images=True,
            include_tables=True,
            include_links=False,
            with_metadata=len(html) <= FAST_ABOVE,  # the date search is slow on big pages too
            favor_recall=True,
            # trafilatura's second opinion (jusText) takes time that grows with the square of
            # the paragraphs: minutes on a page of megabytes. Big pages go without it.
            fast=len(html) > FAST_ABOVE,
        )
    except Exception:  # a page trafilatura cannot handle is read as plain page text below
        extracted = None
    doc = Document(None)
    if extracted:
        try:
            tree = etree.fromstring(extracted.encode("utf-8"))
        except etree.XMLSyntaxError:
            tree = None
        if tree is not None:
            doc.title = (tree.get("title") or "").strip() or None
            main = tree.find("main")
            if main is not None:
                _xml_blocks(main, doc.blocks)
            comments = tree.find("comments")
            if comments is not None:
                doc.comments = [
                    t for t in (_text(el) for el in comments.iter("p", "item", "head")) if t
                ]
    pieces = page_pieces(html)
    if not doc.blocks:
        # trafilatura found no article (a tiny or broken page): take the page's own text,
        # leaving out only what sat in menus, sidebars and comment boxes.
        for text, hint in pieces:
            if hint is None:
                doc.blocks.append(Block("paragraph", text))
    main_text = _norm(" ".join(b.text for b in doc.blocks) + " " + " ".join(doc.comments))
    seen: set[str] = set()
    for text, hint in pieces:
        key = _norm(text)
        if not key or key in main_text or key in seen:
            continue
        seen.add(key)
        doc.outside.append((text, hint or "page"))
    if doc.title is None:
        import lxml.html

        try:
            found = lxml.html.document_fromstring(html).findtext(".//title")
        except Exception:  # no title is fine
            found = None
        doc.title = found.strip() if found and found.strip() else None
    return doc


def _text(el: object) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()  # type: ignore[attr-defined]


def _xml_blocks(parent: object, out: list[Block]) -> None:
    for el in parent:  # type: ignore[attr-defined]
        tag = el.tag
        if tag == "head":
            rend = el.get("rend") or "h2"
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            text = _text(el)
            if text:
                out.append(Block("heading", text, level))
        elif tag == "list":
            for item in el.iterchildren("item"):
                text = _text(item)
                if text:
                    out.append(Block("item", text))
        elif tag == "graphic":
            alt = (el.get("alt") or el.get("title") or "").strip()
            if alt:
                out.append(Block("caption", alt))
        elif tag in ("p", "quote", "cell", "row", "table", "div", "code"):
            if tag in ("table", "row", "div"):
                _xml_blocks(el, out)
                continue
            text = _text(el)
            if text:
                out.append(Block("paragraph", text))
            for graphic in el.iter("graphic"):
                alt = (graphic.get("alt") or "").strip()
                if alt:
                    out.append(Block("caption", alt))
        else:
            _xml_blocks(el, out)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
