"""The clinic as docs/clinic.md deploys it, for browser tests: Caddy (Debian's package) with
TLS (``tls internal``) in front of ``backcoach serve --clinic --workers 2`` on a PostgreSQL
schema of its own, and Debian's Chromium opening it over HTTPS through the proxy.

Shared by test_journey_browser.py and test_signin_browser.py (tests/clinic/test_proxy_e2e.py
checks the proxy itself). Every wait has a deadline; every page only reaches the proxy.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.clinic.conftest import PASSWORD
from tests.clinic.test_proxy_e2e import BACKCOACH, CADDY, CADDYFILE, START_SECONDS, cli, stop
from tests.web.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Pages
from tests.web.conftest import free_port

NEEDS = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("caddy") is None, reason="needs caddy: scripts/system-deps.sh test"
    ),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"needs Chromium at {CHROMIUM}: make test"
    ),
]
"""The marks of every test here: PostgreSQL, slow, and Caddy and Chromium installed."""


@dataclass
class Deployment:
    url: str
    """The proxy's HTTPS address, the one people open (``BACKCOACH_PUBLIC_URL``)."""
    authority: Path
    """The folder of Caddy's own certificate authority (``tls internal``): root.crt and
    intermediate.crt, which signs the proxy's certificate."""
    db: str
    env: dict[str, str]
    logs: Path

    def cli(self, *args: str, stdin: str | None = None) -> str:
        return cli(self.env, *args, stdin=stdin)

    def add_clinician(self, email: str, name: str) -> None:
        self.cli("clinic", "add-clinician", "--email", email, "--name", name, stdin=PASSWORD)

    def add_patient(self, name: str, birth_year: int, clinician: str) -> dict[str, Any]:
        """``backcoach clinic add-patient --json``: patient_id, invite_code, invite_url."""
        added = self.cli(
            "clinic", "add-patient", "--name", name, "--birth-year", str(birth_year),
            "--clinician", clinician, "--json",
        )  # fmt: skip
        found: dict[str, Any] = json.loads(added)
        return found

    def problems(self) -> str:
        """The servers' error output, for a failure message."""
        return "\n".join(
            f"{path.name}: {path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.logs.glob("*.err"))
        )


@contextlib.contextmanager
def deployed(folder: Path, db_url: str) -> Iterator[Deployment]:
    """Start the workers and the proxy; stop both afterwards, whatever happened."""
    port, upstream, http_port = free_port(), free_port(), free_port()
    url = f"https://localhost:{port}"
    env = {
        **os.environ,
        "BACKCOACH_HOME": str(folder / "home"),
        "BACKCOACH_DATABASE_URL": db_url,
        "BACKCOACH_PUBLIC_URL": url,
        "BACKCOACH_TRUSTED_PROXIES": "127.0.0.1",
        "BACKCOACH_PRACTICE_NAME": "Riverside Physio",
        "BACKCOACH_JOBS": "in-process",
    }
    logs = folder / "logs"
    logs.mkdir(parents=True)
    server = subprocess.Popen(
        [BACKCOACH, "serve", "--clinic", "--workers", "2", "--port", str(upstream)],
        env=env,
        stdout=(logs / "serve.out").open("wb"),
        stderr=(logs / "serve.err").open("wb"),
        start_new_session=True,
    )
    storage = folder / "caddy"
    caddyfile = folder / "Caddyfile"
    caddyfile.write_text(
        CADDYFILE.format(port=port, http_port=http_port, upstream=upstream, storage=storage)
    )
    proxy = subprocess.Popen(
        [CADDY, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env={**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "xdg")},
        stdout=(logs / "caddy.out").open("wb"),
        stderr=(logs / "caddy.err").open("wb"),
        start_new_session=True,
    )
    root = storage / "pki" / "authorities" / "local" / "root.crt"
    try:
        deadline = time.monotonic() + START_SECONDS
        problem = ""
        while True:
            try:
                trust = ssl.create_default_context(cafile=str(root))
                ready = httpx.get(url + "/healthz", verify=trust, timeout=5)
                if ready.status_code == 200:
                    break
                problem = f"/healthz answered {ready.status_code}"
            except (httpx.HTTPError, OSError) as exc:  # OSError: no root.crt yet
                problem = repr(exc)
            for name, process in (("serve", server), ("caddy", proxy)):
                if process.poll() is not None:
                    raise AssertionError(
                        f"{name} stopped: {(logs / f'{name}.err').read_text()[-2000:]}"
                    )
            if time.monotonic() > deadline:
                raise AssertionError(f"the proxy and workers did not answer: {problem}")
            time.sleep(0.2)
        yield Deployment(url=url, authority=root.parent, db=db_url, env=env, logs=logs)
    finally:
        stop(proxy)
        stop(server)


def spki_hash(certificate: Path) -> str:
    """The base64 SHA-256 of a certificate's public key, as Chromium's
    ``--ignore-certificate-errors-spki-list`` takes it (with the ``openssl`` command)."""
    key = subprocess.run(
        ["openssl", "x509", "-pubkey", "-noout", "-in", str(certificate)],
        capture_output=True, check=True, timeout=30,
    ).stdout  # fmt: skip
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"],
        input=key, capture_output=True, check=True, timeout=30,
    ).stdout  # fmt: skip
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@contextlib.contextmanager
def chromium(playwright: Any, trusting: Path) -> Iterator[Any]:
    """Chromium trusting the certificates the authority in folder ``trusting`` signs, as a
    phone does once the authority's root is installed on it (docs/clinic.md): a service worker
    registers only on a page whose certificate the browser accepts. Launched from the test
    process's one Playwright (``playwright``, tests/conftest.py)."""
    # The chain Chromium sees is the proxy's certificate and the authority's intermediate
    # (the root is what a device would install): trust the keys of both.
    keys = [spki_hash(trusting / name) for name in ("intermediate.crt", "root.crt")]
    trust = f"--ignore-certificate-errors-spki-list={','.join(keys)}"
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, trust])
    try:
        yield browser
    finally:
        browser.close()


class ProxiedPages(Pages):
    """Browser contexts on the proxy's HTTPS address only; anything else is aborted and recorded,
    as are console errors and failed requests (tests/web/browser/conftest.py)."""

    def __init__(self, browser: Any, url: str) -> None:
        super().__init__(browser)
        self.origin = urlsplit(url)

    def open(self, viewport: dict[str, int] = PHONE) -> Any:
        context = self.browser.new_context(
            viewport=viewport,
            device_scale_factor=2 if viewport is PHONE else 1,
            base_url=self.origin.geturl(),
        )
        context.route("**/*", self._only_loopback)
        self.contexts.append(context)
        return self.open_in(context)

    def open_in(self, context: Any) -> Any:
        """Another page (a tab) in the same browser context: the same cookies and storage."""
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        return page

    def desktop(self) -> Any:
        return self.open(DESKTOP)

    def _only_loopback(self, route: Any) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob") or parts.netloc == self.origin.netloc:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def check(self) -> None:
        assert self.blocked == [], f"requests to other origins were made: {self.blocked}"
        assert self.console_errors == [], f"errors in the browser console: {self.console_errors}"
        assert self.failed == [], f"requests that failed: {self.failed}"


class Shots:
    """Full-page screenshots into ``folder`` (and ``$BACKCOACH_SCREENSHOTS`` when set), each
    one of a page someone sees. On the phone, the page must not scroll sideways."""

    def __init__(self, folder: Path) -> None:
        self.folders = [folder]
        extra = os.environ.get("BACKCOACH_SCREENSHOTS")
        if extra:
            self.folders.append(Path(extra))
        for f in self.folders:
            f.mkdir(parents=True, exist_ok=True)
        self.taken: list[str] = []

    def __call__(self, page: Any, name: str) -> Path:
        page.wait_for_load_state("load")
        # pictures the page's script added after "load" (lazy ones load only when scrolled to)
        page.wait_for_function(
            "() => [...document.images].every(i => i.complete || i.loading === 'lazy')"
        )
        width = page.viewport_size["width"]
        if width == PHONE["width"]:
            scrolled = page.evaluate("document.scrollingElement.scrollWidth")
            assert scrolled <= width, f"{name}: the page scrolls sideways ({scrolled} px)"
        first = self.folders[0] / f"{name}.png"
        page.screenshot(path=str(first), full_page=True)
        for f in self.folders[1:]:
            shutil.copyfile(first, f / first.name)
        self.taken.append(name)
        return first


def builder_said(page: Any) -> str:
    """What the programme builder says after its save button: "Saved version N: what changed"
    (the page loads again after a save) or "Not saved: why"."""
    page.wait_for_function(
        "() => /^(Saved version \\d+:|Not saved)/.test("
        "document.querySelector('.builder-status').textContent)"
    )
    return str(page.locator(".builder-status").inner_text())
