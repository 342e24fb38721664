"""What every page module shares: one way to render a template."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from backcoach.web.templating import templates


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render ``templates/<name>``; ``nav`` in the context marks the current menu entry."""
    response: HTMLResponse = templates.TemplateResponse(
        request, name, context or {}, status_code=status
    )
    return response
