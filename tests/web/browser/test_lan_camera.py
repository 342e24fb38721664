"""Watch me on a phone needs a secure context: in a real Chromium, the page that
`backcoach serve --lan` serves on the network address (https, its own certificate) is one, and
the camera opens there; this computer's http://127.0.0.1 page is one too (loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.web.test_lan_https import LAN_IP, LanServer, needs_network, start_lan_server

OPEN_CAMERA = """async () => {
    const stream = await navigator.mediaDevices.getUserMedia({video: true});
    const tracks = stream.getVideoTracks().length;
    stream.getTracks().forEach((track) => track.stop());
    return tracks;
}"""


@pytest.fixture
def camera_browser(playwright: Any) -> Iterator[Any]:
    """A Chromium of its own with a fake camera that grants itself (the shared one has none)."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def lan_server(web_home: Path) -> Iterator[LanServer]:
    server = start_lan_server(web_home)
    yield server
    server.stop()


@needs_network
@pytest.mark.slow
def test_the_network_page_is_a_secure_context_where_the_camera_opens(
    camera_browser: Any, lan_server: LanServer
) -> None:
    # The phone clicks through the one-time warning: ignore_https_errors stands for that.
    phone = camera_browser.new_context(viewport=PHONE, ignore_https_errors=True)
    try:
        page = phone.new_page()
        answer = page.goto(lan_server.link("https"))
        assert answer is not None and answer.ok, "pairing over https failed"
        assert page.url.startswith(f"https://{LAN_IP}:{lan_server.port}/")
        assert page.evaluate("window.isSecureContext") is True
        assert page.evaluate("navigator.mediaDevices !== undefined") is True
        assert page.evaluate(OPEN_CAMERA) == 1
    finally:
        phone.close()
    # Without accepting the certificate, the browser does not open the page at all.
    strict = camera_browser.new_context()
    try:
        with pytest.raises(Exception, match="ERR_CERT"):
            strict.new_page().goto(f"https://{LAN_IP}:{lan_server.port}/")
    finally:
        strict.close()


@needs_network
@pytest.mark.slow
def test_this_computers_http_page_stays_secure_and_the_network_has_no_plain_http(
    camera_browser: Any, lan_server: LanServer
) -> None:
    here = camera_browser.new_context()
    try:
        page = here.new_page()
        answer = page.goto(lan_server.link("http"))
        assert answer is not None and answer.ok
        assert page.url.startswith(f"http://127.0.0.1:{lan_server.port}/")
        assert page.evaluate("window.isSecureContext") is True
        assert page.evaluate(OPEN_CAMERA) == 1
        # The network address speaks only https: a plain http page is never served there,
        # so no phone ends up on a page where the camera is refused.
        # (Chromium says ERR_EMPTY_RESPONSE or ERR_CONNECTION_RESET, or under load gives up
        # waiting: any of them means no page.)
        with pytest.raises(Exception, match=r"ERR_|Timeout"):
            page.goto(f"http://{LAN_IP}:{lan_server.port}/", timeout=10_000)
    finally:
        here.close()
