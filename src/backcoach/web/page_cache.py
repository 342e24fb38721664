"""Pages kept as rendered, under the revision tag of the records they were built from.

A page such as ``/today`` is the same bytes until the person's records change (or the day, or
the catalogue), yet building it reads the screen, the profile, the programme state and the
live session, and renders a template: milliseconds, where answering with bytes already made
takes a fraction of one. ``records.revision`` gives each person a tag that every committed
write replaces, in any process, so a page kept under (page, person, tag, day, catalogue) is
exactly what building it again would give, and one small read of the tag decides.

The one thing in a page that is not the person's records is the request's CSRF token (in a
``<meta>`` tag, for the page's scripts): kept pages hold the places it goes, and each answer
puts the request's own token there. Pages are ``Cache-Control: no-store`` for the browser
(``web.security``): this cache is the server's own memory, per app, bounded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

MAX_PAGES = 512
"""Pages kept per app: a clinic worker serves many patients; a page is about 7 kB, so 512 take
under 4 MB."""

MIN_TOKEN = 32
"""Shorter tokens are not split out (``web.security`` makes 43-character ones): a short string
could also occur in the page by chance."""


class PageCache:
    """Rendered pages by key, least recently used out; safe to share between threads."""

    def __init__(self, size: int = MAX_PAGES) -> None:
        self._size = size
        self._pages: OrderedDict[Hashable, tuple[bytes, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, request: Request, key: Hashable | None) -> Response | None:
        """The kept page for ``key``, with this request's CSRF token; None when there is none
        (or ``key`` is None: nothing may be kept)."""
        if key is None:
            return None
        with self._lock:
            parts = self._pages.get(key)
            if parts is None:
                return None
            self._pages.move_to_end(key)
        token = _token(request)
        if token is None:
            return None
        return HTMLResponse(token.encode().join(parts))

    def keep(self, request: Request, key: Hashable | None, response: Response) -> None:
        """Keep a successful page made for ``request`` under ``key`` (None: keep nothing)."""
        token = _token(request)
        if key is None or token is None or response.status_code != 200:
            return
        body = bytes(response.body)
        parts = tuple(body.split(token.encode()))
        with self._lock:
            self._pages[key] = parts
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


def _token(request: Request) -> str | None:
    token = getattr(request.state, "csrf_token", None)
    return token if isinstance(token, str) and len(token) >= MIN_TOKEN else None
