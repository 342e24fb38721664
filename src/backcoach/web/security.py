"""Who may talk to the app, and how: LAN pairing, CSRF, same-origin, security headers.

A pure ASGI middleware (no ``BaseHTTPMiddleware``), so a form body it reads to find the CSRF
token is replayed to the app untouched and streaming answers are not buffered.

* Local mode (the default, bound to 127.0.0.1): no pairing; the Host must be a loopback name,
  so a web page that rebinds its DNS name to 127.0.0.1 cannot read the person's data.
* LAN mode (``serve --lan``): every request needs the signed session cookie that a one-time
  pairing link sets; without it, 401.
* Every POST, PUT, PATCH and DELETE carries the CSRF token (double submit: cookie
  ``backcoach_csrf`` = header ``X-CSRF-Token`` or form field ``csrf_token``) and must not come
  from another origin.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "backcoach_session"
CSRF_COOKIE = "backcoach_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
PAIR_PATH = "/pair"
SECRET_FILE = "web-secret"

SESSION_DAYS = 30
"""A paired phone stays paired this long (then pair again), or until the secret file goes."""
PAIRING_CODE_MINUTES = 15
"""A pairing link not used within this long stops working; start serve again for a new one."""
MAX_FORM_BYTES = 20 * 1024 * 1024
"""Largest form body read to find its CSRF token (an export file being imported fits)."""

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "testserver"})
"""Host names local mode answers to (``testserver`` is the in-process test client's)."""

CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; media-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

PAIR_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>backcoach: pair this device</title>
<h1>Pair this device first</h1>
<p>{text}</p>
<p>On the computer running backcoach, start <code>backcoach serve --lan</code> and open the
link it shows (or scan its QR code) on this device.</p></html>"""


def load_secret(home: Path) -> bytes:
    """The key that signs session cookies, kept in the data folder (readable only by its owner)
    so a paired phone stays paired across restarts; deleting the file unpairs every device."""
    path = home / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        pass
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key.hex())
    return key


@dataclass
class Guard:
    """The app's security settings and its one-time pairing codes."""

    secret: bytes
    lan: bool = False
    clock: Callable[[], float] = time.time
    _codes: dict[str, float] = field(default_factory=dict)

    def new_code(self) -> str:
        """A fresh pairing code; it works once, within ``PAIRING_CODE_MINUTES``."""
        code = secrets.token_urlsafe(12)
        self._codes[code] = self.clock() + PAIRING_CODE_MINUTES * 60
        return code

    def redeem(self, code: str) -> bool:
        for known, expires in list(self._codes.items()):
            if hmac.compare_digest(known.encode(), code.encode()):
                del self._codes[known]  # once only, whether or not it was still in time
                return self.clock() <= expires
        return False

    def session_value(self) -> str:
        issued = str(int(self.clock()))
        nonce = secrets.token_urlsafe(12)
        return f"{issued}.{nonce}.{self._sign(issued, nonce)}"

    def valid_session(self, value: str | None) -> bool:
        if not value or value.count(".") != 2:
            return False
        issued, nonce, signature = value.split(".")
        if not hmac.compare_digest(signature, self._sign(issued, nonce)):
            return False
        return issued.isdigit() and self.clock() - int(issued) <= SESSION_DAYS * 86400

    def _sign(self, *parts: str) -> str:
        return hmac.new(self.secret, ".".join(parts).encode(), hashlib.sha256).hexdigest()


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        cookies = _cookies(headers.get("cookie", ""))
        nonce = secrets.token_urlsafe(16)
        csrf = cookies.get(CSRF_COOKIE, "")
        set_cookies: list[str] = []
        if not _plausible_token(csrf):
            csrf = secrets.token_urlsafe(32)
            set_cookies.append(_cookie(CSRF_COOKIE, csrf, http_only=False))
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf
        state["csp_nonce"] = nonce
        send = _with_headers(send, nonce, set_cookies)
        path: str = scope["path"]

        if not self.guard.lan and _host(headers) not in LOOPBACK_HOSTS:
            await _refuse(scope, send, 400, "bad-host", "this address is not served here")
            return
        if path == PAIR_PATH:
            await self._pair(scope, send)
            return
        if self.guard.lan and not self.guard.valid_session(cookies.get(SESSION_COOKIE)):
            await _refuse(scope, send, 401, "not-paired", "pair this device first")
            return
        if scope["method"] in UNSAFE_METHODS:
            problem = _cross_origin(headers)
            if problem:
                await _refuse(scope, send, 403, "cross-origin", problem)
                return
            sent = headers.get(CSRF_HEADER)
            if sent is None and _is_form(headers):
                try:
                    body, receive = await _buffer(receive)
                except OverflowError:
                    await _refuse(scope, send, 413, "too-large", "the form is too large")
                    return
                sent = await _form_token(scope, body)
            if not (sent and _plausible_token(csrf) and hmac.compare_digest(sent, csrf)):
                await _refuse(
                    scope,
                    send,
                    403,
                    "csrf",
                    f"the request has no matching CSRF token; send the {CSRF_COOKIE} cookie's "
                    f"value as the X-CSRF-Token header (or the form field {CSRF_FIELD})",
                )
                return
        await self.app(scope, receive, send)

    async def _pair(self, scope: Scope, send: Send) -> None:
        code = parse_qs(scope.get("query_string", b"").decode()).get("code", [""])[0]
        if not self.guard.lan:
            await _redirect(send, "/", [])
            return
        if not self.guard.redeem(code):
            await _refuse(
                scope, send, 401, "not-paired", "this pairing link is wrong, used or too old"
            )
            return
        value = self.guard.session_value()
        cookie = _cookie(SESSION_COOKIE, value, max_age=SESSION_DAYS * 86400)
        await _redirect(send, "/", [cookie])


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _cookies(raw: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header counts as no cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _plausible_token(value: str) -> bool:
    return 32 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)


def _cookie(name: str, value: str, *, http_only: bool = True, max_age: int | None = None) -> str:
    parts = [f"{name}={value}", "Path=/", "SameSite=Strict"]
    if http_only:
        parts.append("HttpOnly")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def _host(headers: dict[str, str]) -> str:
    host = headers.get("host", "")
    if host.startswith("["):  # [::1]:8000
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cross_origin(headers: dict[str, str]) -> str | None:
    if headers.get("sec-fetch-site") == "cross-site":
        return "requests from other sites are refused"
    origin = headers.get("origin")
    if origin is not None and origin != "null":
        if urlsplit(origin).netloc != headers.get("host", ""):
            return f"requests from {origin} are refused; use backcoach's own pages"
    elif origin == "null":
        return "requests from an opaque origin are refused"
    return None


def _is_form(headers: dict[str, str]) -> bool:
    kind = headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body, and a ``receive`` that gives it to the app again."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise OverflowError(size)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _form_token(scope: Scope, body: bytes) -> str | None:
    from starlette.requests import Request

    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        async with Request(scope, once).form() as form:
            value = form.get(CSRF_FIELD)
    except Exception:  # an unreadable form has no token
        return None
    return value if isinstance(value, str) else None


def _with_headers(send: Send, nonce: str, cookies: Iterable[str]) -> Send:
    extra = [
        (b"content-security-policy", CSP.format(nonce=nonce).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        *((b"set-cookie", c.encode()) for c in cookies),
    ]

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sending


async def _refuse(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    if scope["path"].startswith("/api") or status != 401:
        body = json.dumps({"detail": {"code": code, "message": message}}).encode()
        kind = b"application/json"
    else:
        body = PAIR_PAGE.format(text=html.escape(message.capitalize() + ".")).encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, cookies: list[str]) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0")]
    headers += [(b"set-cookie", c.encode()) for c in cookies]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
