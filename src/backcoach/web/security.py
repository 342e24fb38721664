"""Who may talk to the app, and how: LAN pairing, CSRF, same-origin, security headers.

A pure ASGI middleware (no ``BaseHTTPMiddleware``), so a form body it reads to find the CSRF
token is replayed to the app untouched and streaming answers are not buffered.

* Local mode (the default, bound to 127.0.0.1): no pairing; the Host must be exactly
  ``127.0.0.1``, ``localhost`` or ``[::1]`` with the bound port, so a web page that rebinds its
  DNS name to 127.0.0.1 cannot read the person's data (``testserver``, the in-process test
  client's name, only in an app built with ``test_client=True``).
* LAN mode (``serve --lan``): every request needs the signed session cookie that a one-time
  pairing link sets; without it, 401. Wrong pairing codes are limited per device (address) with
  a lockout, and too many from everywhere withdraw the code (``Guard.pair``).
* Every POST, PUT, PATCH and DELETE carries the CSRF token (double submit: cookie
  ``backcoach_csrf`` = header ``X-CSRF-Token`` or form field ``csrf_token``) and must not come
  from another origin.
* Clinic mode (``serve --clinic``, behind a TLS proxy): the Host must be the public URL's;
  every path but ``SIGNED_OUT_PATHS`` (and ``/static/``) needs a live sign-in session
  (``__Host-backcoach-session``, looked up in the clinic's database): without one, an API path
  answers 401 ``signed-out`` and a page redirects to ``/signin``. The signed-in person goes to
  the request's ``state.who`` for ``web.deps``. Cookies are ``Secure``; HSTS is sent.
* Every answer, errors and refusals included, carries the security headers; everything but the
  app's own files and the exercise pictures carries ``Cache-Control: no-store`` (health data).
  An exception in the app becomes a calm 500 (an HTML page, or JSON under ``/api``) with those
  headers; the traceback goes to the server's log only.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import logging
import math
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qs, quote, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from backcoach.clinic import Who

SESSION_COOKIE = "backcoach_session"
CSRF_COOKIE = "backcoach_csrf"
CLINIC_CSRF_COOKIE = "__Host-backcoach-csrf"
"""Clinic mode's CSRF cookie: ``__Host-`` makes browsers accept it only Secure, from this host,
for path ``/``, so a neighbouring subdomain cannot plant a token of its choosing."""
SIGNIN_COOKIE = "__Host-backcoach-session"
"""Clinic mode: the sign-in session's token (``web.auth`` sets it)."""
SIGNIN_PATH = "/signin"
SIGNED_OUT_PATHS = frozenset(
    {
        SIGNIN_PATH,
        "/invite",
        "/api/auth/login",
        "/api/auth/invite",
        "/healthz",
        "/manifest.webmanifest",
        "/sw.js",
    }
)
"""Clinic mode: the only paths (besides ``/static/``) answered without a sign-in. The manifest
(fetched without cookies) and the service worker (``web.pages_app``) hold nothing personal."""
HSTS = "max-age=31536000"
"""Sent in clinic mode only (behind its TLS proxy with a real certificate). Never for `serve
--lan`'s https (web.lan_tls): its certificate is made on the person's computer, and a browser
told to insist on https for that address would lock them out, with no way to click through,
the day the certificate is made again (deleted folder, new computer on the same address)."""
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
PAIR_PATH = "/pair"
SECRET_FILE = "web-secret"

SESSION_DAYS = 30
"""A paired phone stays paired this long (then pair again), or until the secret file goes."""
PAIRING_CODE_MINUTES = 15
"""A pairing link not used within this long stops working; start serve again for a new one."""
PAIRING_MAX_FAILURES = 5
"""Wrong pairing codes one device (client address) may send before it is locked out.

A real code comes in a link or QR code, never typed, so more than a few wrong ones are a
script guessing, not a person. OWASP ASVS 4.0.3 2.2.1 asks for anti-automation that stops
brute force, at most 100 failed attempts an hour per account; 5 wrong codes and then
``PAIRING_LOCKOUT_MINUTES`` locked allow one address at most 20 an hour, and the code itself is
96 random bits (``secrets.token_urlsafe(12)``)."""
PAIRING_LOCKOUT_MINUTES = 15
"""How long a device that sent ``PAIRING_MAX_FAILURES`` wrong codes is refused (429), whatever
it sends; wrong codes older than this no longer count towards a lockout."""
PAIRING_MAX_FAILURES_TOTAL = 20
"""Wrong codes from all devices together after which every open pairing code is withdrawn (and
``serve --lan`` prints a new link): many addresses cannot share out the guessing of one code."""
MAX_TRACKED_DEVICES = 4096
"""Addresses whose wrong codes are remembered at once; beyond this the oldest are forgotten
(the overall limit above still holds)."""
MAX_FORM_BYTES = 20 * 1024 * 1024
"""Largest form body read to find its CSRF token (an export file being imported fits)."""

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
"""Host names local mode answers to, each with the bound port."""
TEST_CLIENT_NAME = "testserver"
"""The in-process test client's host name: accepted only by an app built with
``create_app(..., test_client=True)``, a parameter, never a setting a request could change."""

NO_STORE = "no-store"
CACHEABLE = re.compile(
    r"^/static/|^/figures/[^/]+\.svg$|^/figures/[^/]+/moving\.svg$"
    r"|^/api/exercises/[^/]+/(figure|animation)\.svg$"
)
"""Paths whose successful answers hold no personal data and keep their own caching: the app's
files and the exercise pictures. Every other answer (pages, JSON, downloads, errors) gets
``Cache-Control: no-store``, so no browser or proxy cache keeps a copy of health data."""

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; media-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

PAIR_HELP = (
    "On the computer running backcoach, start <code>backcoach serve --lan</code> and open the "
    "link it shows (or scan its QR code) on this device."
)

ERROR_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light">
  <title>{title} · backcoach</title>
  <link rel="icon" href="/static/icon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/app.css">
</head>
<body>
  <header class="topbar"><a class="brand" href="/"><span>backcoach</span></a></header>
  <main id="main" class="page">
    <h1>{title}</h1>
    <p>{text}</p>
    {more}
  </main>
</body>
</html>
"""
"""The page for every refusal and error a browser sees: standalone (no template, no database),
so it can be shown whatever else has failed."""

ERROR_TITLES = {
    400: "That address or request cannot be used",
    401: "Pair this device first",
    403: "That was refused",
    404: "Nothing here",
    405: "That cannot be done here",
    409: "Not just now",
    413: "That is too large",
    422: "Something in the request is not right",
    429: "Too many tries",
    500: "Something went wrong",
}

SERVER_ERROR_MESSAGE = (
    "something went wrong inside backcoach while answering; what was saved before is safe. "
    "Try again, or reload the page; if it keeps happening, restart backcoach serve and report "
    "the error shown in its window"
)


def error_page(status: int, message: str, more_html: str = "") -> str:
    """A friendly HTML page: a title for ``status``, the message (escaped, as a sentence) and
    optional extra HTML (already safe) below it."""
    title = ERROR_TITLES.get(status, "That did not work")
    text = html.escape(message[:1].upper() + message[1:])
    if text and text[-1] not in ".!?":
        text += "."
    text = text.replace("\n", "<br>\n")  # validation errors: one line per field
    more = more_html or '<p><a href="/">Go to the start page</a></p>'
    return ERROR_PAGE.format(title=html.escape(title), text=text, more=more)


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


@dataclass(frozen=True)
class Pairing:
    """What a pairing attempt came to: ``paired``, ``wrong`` or ``locked`` (then
    ``retry_after`` seconds until the device may try again)."""

    outcome: Literal["paired", "wrong", "locked"]
    retry_after: int = 0


@dataclass
class Guard:
    """The app's security settings and its one-time pairing codes.

    ``port`` is the port the server is bound to (``backcoach serve`` passes it): the Host must
    carry exactly it. None (an app made in-process, port unknown) accepts any port with a
    loopback name. ``test_client`` also accepts the test client's ``testserver``. ``clock`` is
    wall time, replaceable in tests. ``on_codes_withdrawn`` is called after too many wrong codes
    withdrew the open ones (``serve --lan`` prints a new link then)."""

    secret: bytes
    lan: bool = False
    port: int | None = None
    test_client: bool = False
    public_url: str | None = None
    """Clinic mode: the address patients open (``BACKCOACH_PUBLIC_URL``); its host and port
    are the only Host answered, and sign-in is required. None: personal mode."""
    clock: Callable[[], float] = time.time
    on_codes_withdrawn: Callable[[], None] | None = None
    _codes: dict[str, float] = field(default_factory=dict)
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked: dict[str, float] = field(default_factory=dict)
    _failures_total: int = 0

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

    def pair(self, code: str, device: str) -> Pairing:
        """Try ``code`` from ``device`` (its address), counting wrong codes against it: after
        ``PAIRING_MAX_FAILURES`` within ``PAIRING_LOCKOUT_MINUTES`` it is locked for that long,
        and after ``PAIRING_MAX_FAILURES_TOTAL`` from everywhere the open codes are withdrawn.
        Each wrong code and each lockout is logged (a warning, with the address)."""
        now = self.clock()
        window = PAIRING_LOCKOUT_MINUTES * 60
        until = self._locked.get(device)
        if until is not None:
            if now < until:
                return Pairing("locked", math.ceil(until - now))
            del self._locked[device]
        if self.redeem(code):
            self._failures.pop(device, None)
            return Pairing("paired")
        recent = [t for t in self._failures.pop(device, []) if now - t < window] + [now]
        self._failures_total += 1
        log.warning(
            "pairing: a wrong or expired code from %s (%d of %d before a lockout)",
            device,
            len(recent),
            PAIRING_MAX_FAILURES,
        )
        outcome = Pairing("wrong")
        if len(recent) >= PAIRING_MAX_FAILURES:
            self._locked[device] = now + window
            outcome = Pairing("locked", window)
            log.warning(
                "pairing: %s locked out for %d minutes after %d wrong codes",
                device,
                PAIRING_LOCKOUT_MINUTES,
                len(recent),
            )
        else:
            self._failures[device] = recent
        if self._failures_total >= PAIRING_MAX_FAILURES_TOTAL:
            self._withdraw_codes()
        self._forget_old(now, window)
        return outcome

    def _withdraw_codes(self) -> None:
        log.warning(
            "pairing: %d wrong codes from all devices; the pairing link was withdrawn%s",
            self._failures_total,
            "" if self.on_codes_withdrawn else " (start `backcoach serve --lan` again for one)",
        )
        self._codes.clear()
        self._failures_total = 0
        if self.on_codes_withdrawn is not None:
            self.on_codes_withdrawn()

    def _forget_old(self, now: float, window: float) -> None:
        """Keep the memory of wrong codes bounded, however many addresses send them."""
        for table in (self._failures, self._locked):
            if len(table) <= MAX_TRACKED_DEVICES:
                continue
            for device in list(table):
                value = table[device]
                latest = max(value) if isinstance(value, list) else value - window
                if now - latest >= window:
                    del table[device]
            while len(table) > MAX_TRACKED_DEVICES:
                del table[next(iter(table))]

    @property
    def clinic(self) -> bool:
        return self.public_url is not None

    @property
    def csrf_cookie(self) -> str:
        return CLINIC_CSRF_COOKIE if self.clinic else CSRF_COOKIE

    def host_allowed(self, host: str | None) -> bool:
        """Whether local mode answers a request with this Host header: a loopback name
        (``LOOPBACK_NAMES``) with the bound port, exactly; nothing else, however spelt. In
        clinic mode: the public URL's host with its port (the scheme's default if none)."""
        if not host:
            return False
        name, port = _split_host(host.lower())
        if self.public_url is not None:
            if self.test_client and name == TEST_CLIENT_NAME:
                return True
            public = urlsplit(self.public_url)
            default = "443" if public.scheme == "https" else "80"
            want_name, want_port = _split_host(public.netloc.lower())
            return name == want_name and (port or default) == (want_port or default)
        names = (*LOOPBACK_NAMES, TEST_CLIENT_NAME) if self.test_client else LOOPBACK_NAMES
        if name not in names:
            return False
        if port is None:  # no port: the HTTP default, 80
            return self.port in (None, 80)
        if not (port.isascii() and port.isdigit()) or str(int(port)) != port:
            return False
        return int(port) == self.port if self.port is not None else 0 < int(port) < 65536

    def local_address(self) -> str:
        """Where local mode answers, for the message that turns another address away."""
        if self.public_url is not None:
            return f"{self.public_url}/"
        if self.port is None:
            return "http://127.0.0.1/ or http://localhost/ (with the port backcoach serve shows)"
        return f"http://127.0.0.1:{self.port}/ (or http://localhost:{self.port}/)"

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
        clinic = self.guard.clinic
        csrf = cookies.get(self.guard.csrf_cookie, "")
        set_cookies: list[str] = []
        if not _plausible_token(csrf):
            csrf = secrets.token_urlsafe(32)
            set_cookies.append(
                _cookie(self.guard.csrf_cookie, csrf, http_only=False, secure=clinic)
            )
        state = scope.setdefault("state", {})
        state["csrf_token"] = csrf
        state["csp_nonce"] = nonce
        state["clinic"] = clinic
        state["who"] = None
        path: str = scope["path"]
        send, started = _with_headers(send, nonce, set_cookies, path, hsts=clinic)
        try:
            await self._guarded(scope, receive, send, headers, cookies, csrf)
        except Exception:
            # Not a traceback for the person: the log gets it, they get a calm page.
            log.exception("error answering %s %s", scope.get("method"), path)
            if started():
                raise  # half an answer went out already: the server closes the connection
            await _refuse(scope, send, 500, "server-error", SERVER_ERROR_MESSAGE)

    async def _guarded(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[str, str],
        cookies: dict[str, str],
        csrf: str,
    ) -> None:
        path: str = scope["path"]
        if not self.guard.lan and not self.guard.host_allowed(headers.get("host")):
            await _refuse(
                scope,
                send,
                400,
                "bad-host",
                "this address is not served here: backcoach answers on this computer only at "
                f"{self.guard.local_address()}; open that address instead",
            )
            return
        if path == PAIR_PATH:
            await self._pair(scope, send)
            return
        if self.guard.lan and not self.guard.valid_session(cookies.get(SESSION_COOKIE)):
            await _refuse(scope, send, 401, "not-paired", "pair this device first")
            return
        if self.guard.clinic and not await self._signed_in(scope, send, cookies):
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
                    f"value as the X-CSRF-Token header (or the form field {CSRF_FIELD}); on a "
                    "page, reload it and try again",
                )
                return
        await self.app(scope, receive, send)

    async def _signed_in(self, scope: Scope, send: Send, cookies: dict[str, str]) -> bool:
        """Clinic mode: put the signed-in person on ``state.who``; False (and the refusal
        sent) when there is none and the path needs one."""
        from anyio import to_thread

        token = cookies.get(SIGNIN_COOKIE, "")
        who: Who | None = None
        if token:
            clinic = getattr(scope["app"].state, "clinic", None)
            if clinic is None:  # clinic mode without its clinic: refuse, never guess
                raise RuntimeError("clinic mode needs app.state.clinic")
            who = await to_thread.run_sync(clinic.who, token)
        scope["state"]["who"] = who
        path: str = scope["path"]
        if who is not None or path in SIGNED_OUT_PATHS or path.startswith("/static/"):
            return True
        if wants_json(path):
            await _refuse(
                scope,
                send,
                401,
                "signed-out",
                "you are not signed in (or your sign-in has ended); sign in again",
                fix="clinicians: POST /api/auth/login; patients: open the invite link again "
                "or ask the clinician for a new invite",
            )
        else:
            back = path if scope["method"] in ("GET", "HEAD") else "/"
            await _redirect(send, f"{SIGNIN_PATH}?next={quote(back, safe='/')}", [])
        return False

    async def _pair(self, scope: Scope, send: Send) -> None:
        code = parse_qs(scope.get("query_string", b"").decode()).get("code", [""])[0]
        if not self.guard.lan:
            await _redirect(send, "/", [])
            return
        client = scope.get("client")
        result = self.guard.pair(code, str(client[0]) if client else "unknown")
        if result.outcome == "locked":
            minutes = max(1, math.ceil(result.retry_after / 60))
            await _refuse(
                scope,
                send,
                429,
                "pairing-locked",
                f"too many wrong pairing links came from this device, so pairing is locked "
                f"for it for {minutes} minute{'s' if minutes != 1 else ''}; then open the "
                "newest link that backcoach serve --lan shows",
                extra_headers=[(b"retry-after", str(result.retry_after).encode())],
            )
            return
        if result.outcome == "wrong":
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


def _cookie(
    name: str,
    value: str,
    *,
    http_only: bool = True,
    max_age: int | None = None,
    secure: bool = False,
) -> str:
    parts = [f"{name}={value}", "Path=/", "SameSite=Strict"]
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def _split_host(host: str) -> tuple[str, str | None]:
    """A Host header as (name, port or None): ``[::1]:8765`` -> (``[::1]``, ``8765``). A
    malformed one gives a name no list holds."""
    if host.startswith("["):
        name, bracket, rest = host.partition("]")
        if not bracket:
            return host, None
        if not rest:
            return name + "]", None
        return (name + "]", rest[1:]) if rest.startswith(":") else (host, None)
    name, colon, port = host.partition(":")
    if not colon:
        return name, None
    return (name, port) if ":" not in port else (host, None)


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


def _with_headers(
    send: Send, nonce: str, cookies: Iterable[str], path: str, *, hsts: bool = False
) -> tuple[Send, Callable[[], bool]]:
    """``send`` adding the security headers (and ``Cache-Control: no-store`` unless the path is
    ``CACHEABLE`` and the answer a success; HSTS when ``hsts``) to every answer; and whether an
    answer started."""
    extra = [
        *([(b"strict-transport-security", HSTS.encode())] if hsts else []),
        (b"content-security-policy", CSP.format(nonce=nonce).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        *((b"set-cookie", c.encode()) for c in cookies),
    ]
    cacheable = CACHEABLE.match(path) is not None
    started = False

    async def sending(message: Message) -> None:
        nonlocal started
        if message["type"] == "http.response.start":
            started = True
            own = list(message.get("headers", []))
            if not (cacheable and message["status"] < 400):
                own = [(k, v) for k, v in own if k.lower() != b"cache-control"]
                own.append((b"cache-control", NO_STORE.encode()))
            message = {**message, "headers": [*own, *extra]}
        await send(message)

    return sending, lambda: started


def wants_json(path: str) -> bool:
    """Errors under /api (and the OpenAPI description) are JSON; pages get an HTML page."""
    return path.startswith("/api") or path == "/openapi.json"


async def _refuse(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    message: str,
    extra_headers: Iterable[tuple[bytes, bytes]] = (),
    fix: str | None = None,
) -> None:
    if wants_json(scope["path"]):
        detail: dict[str, str | None] = {"code": code, "message": message}
        if fix is not None:
            detail |= {"field": None, "value": None, "fix": fix}
        body = json.dumps({"detail": detail}).encode()
        kind = b"application/json"
    else:
        more = f"<p>{PAIR_HELP}</p>" if code in ("not-paired", "pairing-locked") else ""
        body = error_page(status, message, more).encode()
        kind = b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, *extra_headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, cookies: list[str]) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0")]
    headers += [(b"set-cookie", c.encode()) for c in cookies]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
