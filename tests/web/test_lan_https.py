"""`backcoach serve --lan` answers the network over https with a certificate made on this
computer (web.lan_tls), so a phone gets a secure context (the camera, Watch me); this computer's
own browser keeps plain http on 127.0.0.1. The real command, on free ports."""

from __future__ import annotations

import datetime as dt
import os
import re
import ssl
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from backcoach.web import lan_tls
from backcoach.web.lan_tls import ensure_certificate, network_address, subject_alt_names
from tests.conftest import BACKCOACH
from tests.web.conftest import free_port

LAN_IP = network_address()  # the way serve finds it
needs_network = pytest.mark.skipif(
    LAN_IP is None, reason="this machine has no network address besides loopback"
)
LINK = re.compile(r"(https?)://(\S+?):(\d+)/pair\?code=[\w-]+")


@dataclass
class LanServer:
    """A running `backcoach serve --lan --no-open`: its output so far, its pairing links."""

    proc: subprocess.Popen[str]
    home: Path
    port: int
    lines: list[str] = field(default_factory=list)

    def link(self, scheme: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                found = LINK.search(line)
                if found and found[1] == scheme:
                    return found[0]
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {scheme} pairing link printed:\n{''.join(self.lines)}")

    @property
    def output(self) -> str:
        return "".join(self.lines)

    @property
    def ca_file(self) -> Path:
        return self.home / lan_tls.TLS_FOLDER / lan_tls.CA_FILE

    def trusting(self) -> ssl.SSLContext:
        """A TLS context that trusts this server's own authority and nothing else."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"serve --lan did not answer:\n{self.output}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def start_lan_server(home: Path, port: int | None = None) -> LanServer:
    port = port or free_port()
    env = {**os.environ, "BACKCOACH_HOME": str(home), "COLUMNS": "400"}
    proc = subprocess.Popen(
        [BACKCOACH, "serve", "--lan", "--port", str(port), "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    server = LanServer(proc, home, port)

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            server.lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    server.link("http")
    server.wait_ready()
    return server


@pytest.fixture
def lan_server(web_home: Path) -> Iterator[LanServer]:
    server = start_lan_server(web_home)
    yield server
    server.stop()


@needs_network
def test_the_phone_gets_https_it_can_check_against_this_computers_certificate(
    lan_server: LanServer,
) -> None:
    phone_link = lan_server.link("https")
    assert f"https://{LAN_IP}:{lan_server.port}/pair?code=" in phone_link
    status = f"https://{LAN_IP}:{lan_server.port}/api/status"
    # Checked against the authority backcoach made: a real TLS connection, then pairing.
    with httpx.Client(verify=lan_server.trusting(), follow_redirects=False) as phone:
        assert phone.get(status).json()["detail"]["code"] == "not-paired"
        paired = phone.get(phone_link)
        assert paired.status_code == 303, paired.text
        answer = phone.get(status)
        assert answer.status_code == 200
        assert "strict-transport-security" not in answer.headers  # no lock-out on renewal
        settings = phone.get(f"https://{LAN_IP}:{lan_server.port}/settings")
    # A client that trusts only the usual authorities refuses the certificate.
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(status)
    # Plain http is not spoken on the network address.
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://{LAN_IP}:{lan_server.port}/api/status", timeout=5)
    # The terminal and Settings name the fingerprint of the certificate the phone sees.
    ca = x509.load_pem_x509_certificate(lan_server.ca_file.read_bytes())
    short = lan_tls.fingerprint(ca)[:23]
    assert re.fullmatch(r"([0-9A-F]{2}:){7}[0-9A-F]{2}", short)
    assert short in lan_server.output and "warn once" in lan_server.output
    assert settings.status_code == 200 and short in settings.text
    chain = ssl.get_server_certificate((str(LAN_IP), lan_server.port))
    leaf = x509.load_pem_x509_certificate(chain.encode())
    leaf.verify_directly_issued_by(ca)
    ips, names = subject_alt_names(leaf)
    assert LAN_IP in ips and "localhost" in names


@needs_network
def test_this_computer_keeps_plain_http_and_shares_pairing_with_the_network(
    lan_server: LanServer,
) -> None:
    local = f"http://127.0.0.1:{lan_server.port}"
    assert httpx.get(f"{local}/api/status").status_code == 401
    code = lan_server.link("https").split("code=")[1]
    with httpx.Client(follow_redirects=False) as browser:
        # A code printed for the https address pairs over http too: one app, one guard.
        assert browser.get(f"{local}/pair", params={"code": code}).status_code == 303
        assert browser.get(f"{local}/api/status").status_code == 200
    phone = httpx.Client(verify=lan_server.trusting(), follow_redirects=False)
    with phone:
        used = phone.get(f"https://{LAN_IP}:{lan_server.port}/pair", params={"code": code})
        assert used.status_code == 401


@needs_network
def test_the_certificate_files_are_private_and_a_second_start_reuses_them(
    web_home: Path,
) -> None:
    first = start_lan_server(web_home)
    try:
        presented = ssl.get_server_certificate((str(LAN_IP), first.port))
    finally:
        first.stop()
    folder = web_home / lan_tls.TLS_FOLDER
    kept = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert set(kept) == {"ca.pem", "ca-key.pem", "server.pem", "server-key.pem"}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    second = start_lan_server(web_home)
    try:
        assert ssl.get_server_certificate((str(LAN_IP), second.port)) == presented
    finally:
        second.stop()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == kept


def _load(home: Path, name: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate((home / lan_tls.TLS_FOLDER / name).read_bytes())


def test_the_server_certificate_is_renewed_before_it_ends_under_the_same_authority(
    tmp_path: Path,
) -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    made = ensure_certificate(tmp_path, ["192.168.1.20"], ["box", "box.local"], now=now)
    leaf, ca = _load(tmp_path, "server.pem"), _load(tmp_path, "ca.pem")
    assert leaf.not_valid_after_utc - now <= dt.timedelta(days=398)
    again = now + dt.timedelta(days=lan_tls.SERVER_DAYS - lan_tls.RENEW_DAYS - 5)
    assert ensure_certificate(tmp_path, ["192.168.1.20"], ["box"], now=again) == made
    assert _load(tmp_path, "server.pem") == leaf
    late = now + dt.timedelta(days=lan_tls.SERVER_DAYS - lan_tls.RENEW_DAYS + 1)
    renewed = ensure_certificate(tmp_path, ["192.168.1.20"], ["box"], now=late)
    new_leaf = _load(tmp_path, "server.pem")
    assert new_leaf != leaf and new_leaf.not_valid_after_utc > leaf.not_valid_after_utc
    assert renewed.fingerprint == made.fingerprint and _load(tmp_path, "ca.pem") == ca
    new_leaf.verify_directly_issued_by(ca)


def test_a_new_address_gets_a_new_server_certificate_from_the_same_authority(
    tmp_path: Path,
) -> None:
    made = ensure_certificate(tmp_path, ["192.168.1.20"], [])
    moved = ensure_certificate(tmp_path, ["10.0.0.7"], [])
    ips, _ = subject_alt_names(_load(tmp_path, "server.pem"))
    assert "10.0.0.7" in ips and moved.fingerprint == made.fingerprint


def test_damaged_or_foreign_files_are_made_again(tmp_path: Path) -> None:
    made = ensure_certificate(tmp_path, ["192.168.1.20"], [])
    (tmp_path / lan_tls.TLS_FOLDER / "ca-key.pem").write_text("not a key")
    remade = ensure_certificate(tmp_path, ["192.168.1.20"], [])
    assert remade.fingerprint != made.fingerprint  # a key that does not match: new authority
    _load(tmp_path, "server.pem").verify_directly_issued_by(_load(tmp_path, "ca.pem"))


def test_the_authority_cannot_vouch_for_a_public_web_site(tmp_path: Path) -> None:
    """Even someone holding the authority's key could not pose as a real site to a phone
    that trusts it: its name constraints allow only local names and private addresses."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ensure_certificate(tmp_path, ["192.168.1.20"], ["box"])
    folder = tmp_path / lan_tls.TLS_FOLDER
    ca = _load(tmp_path, "ca.pem")
    key = serialization.load_pem_private_key((folder / "ca-key.pem").read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    now = dt.datetime.now(dt.UTC)
    store = Store([ca])

    def verify(name: str) -> None:
        leaf, _ = lan_tls._new_server(ca, key, [], [name], now)
        verifier = PolicyBuilder().store(store).time(now).build_server_verifier(x509.DNSName(name))
        verifier.verify(leaf, [])

    verify("box.local")  # allowed
    with pytest.raises(VerificationError):
        verify("bank.example.com")
