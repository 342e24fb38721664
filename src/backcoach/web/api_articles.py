"""POST /api/articles: an article (pasted text, or a saved page uploaded) read against the
catalogue; the same JSON as `backcoach article --json` (docs/articles.md). Nothing is fetched:
a web address is refused with a plain message."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from backcoach.articles import MAX_BYTES, Analysis, ArticleError, ArticleTooLarge, analyse
from backcoach.catalogue import Catalogue
from backcoach.web.api_errors import ERROR_RESPONSES, ApiError, ErrorBody
from backcoach.web.deps import PersonDep

router = APIRouter(tags=["articles"], responses=ERROR_RESPONSES)

FORM_OVERHEAD = 64 * 1024
"""Room for the multipart boundaries and headers around an uploaded page."""


class ArticleText(BaseModel):
    text: str = Field(description="The article: HTML of a saved page, Markdown or plain text.")


ARTICLE_BODY = {
    "required": True,
    "description": 'JSON {"text": ...}, or a form (multipart/form-data) with a `file` (a '
    f"saved page) or a `text` field. Up to {MAX_BYTES // 2**20} MB; larger is refused with 413.",
    "content": {
        "application/json": {"schema": ArticleText.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "text": {"type": "string"},
                },
            }
        },
    },
}


async def _bounded(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(
                413,
                "too-large",
                f"the article is more than {MAX_BYTES // 2**20} MB",
                field="text",
                fix="send only the article's page or its text",
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def article_data(request: Request) -> bytes | str:
    """The article from a JSON body or a form; ApiError naming the field when missing."""
    kind = request.headers.get("content-type", "")
    if "multipart/form-data" in kind or "application/x-www-form-urlencoded" in kind:
        form = await request.form(max_part_size=MAX_BYTES + 1)
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            raw = await upload.read(MAX_BYTES + 1)
            await upload.close()
            if raw.strip():
                return raw
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            return text
        raise ApiError(
            422,
            "missing",
            "no article was sent",
            field="file",
            fix="upload a saved page as 'file' or paste the text as 'text'",
        )
    raw = await _bounded(request, MAX_BYTES * 2 + FORM_OVERHEAD)
    try:
        body = ArticleText.model_validate_json(raw)
    except ValueError:
        raise ApiError(
            422,
            "invalid",
            "the body must be JSON with the article in 'text'",
            field="text",
            fix='send {"text": "..."} or a form with a file',
        ) from None
    return body.text


@router.post(
    "/articles",
    openapi_extra={"requestBody": ARTICLE_BODY},
    responses={413: {"model": ErrorBody, "description": "The article is too large."}},
)
async def read_article(request: Request, person: PersonDep) -> dict[str, Any]:
    """Read an article: the exercises backcoach recognises (with the article's dose compared
    with backcoach's), the exercises it does not know, what was removed as noise and why, and
    the advice checked against backcoach's warning signs, stop rules and guidelines."""
    result = await analysed(request, person.catalogue, "give a saved page or the article's text")
    data_out: dict[str, Any] = result.as_json()
    return data_out


async def analysed(request: Request, catalogue: Catalogue, fix: str) -> Analysis:
    """The request's article, read and analysed off the event loop; an article that cannot be
    read is a 413 (too large) or 422 naming the field and ``fix``."""
    data = await article_data(request)
    try:
        return await run_in_threadpool(analyse, data, catalogue)
    except ArticleError as exc:
        too_large = isinstance(exc, ArticleTooLarge)
        raise ApiError(
            413 if too_large else 422,
            "too-large" if too_large else "unreadable",
            str(exc),
            field="text",
            fix=fix,
        ) from None
