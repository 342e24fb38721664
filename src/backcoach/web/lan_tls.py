"""The certificate `backcoach serve --lan` serves https with on the home network.

Browsers open the camera (``getUserMedia``, the player's "Watch me") only in a secure context:
https, or http on 127.0.0.1 / localhost. A phone on the home network therefore needs https,
and nobody hands out certificates for a computer's private address, so this machine makes its
own: a small certificate authority ("backcoach on <host>", ten years) that signs a server
certificate for this machine's network addresses and names (a year). A phone warns once about
the authority it does not know; it can also be told to trust it for good (docs/web.md), and
since the authority stays the same when the server certificate is renewed or the address
changes, that trust lasts.

The authority may sign only for private network addresses and local names (X.509 name
constraints), so its key, were it ever stolen from this computer, could not be used to pose
as a web site on a phone that trusts it. Everything lives in ``$BACKCOACH_HOME/lan-tls/``
(the folder 0700, every file 0600), is made on this computer and is never sent anywhere but
to the browsers that connect. Files that are missing, unreadable, about to expire or made for
other addresses are made again at the next start.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TLS_FOLDER = "lan-tls"
CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"

CA_DAYS = 3650
"""The authority lasts ten years: a phone told to trust it keeps trusting it that long."""
SERVER_DAYS = 397
"""The server certificate's life. Apple devices refuse server certificates from an authority a
person added that are valid for more than 825 days, and browsers cap public ones at 398
(https://support.apple.com/en-us/103769, https://support.apple.com/en-us/102028)."""
RENEW_DAYS = 30
"""A certificate with fewer days left than this is made again at start-up, so a server left
running for weeks does not reach its certificate's end."""

PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "127.0.0.0/8",
        "100.64.0.0/10",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    )
)
"""The addresses the authority may sign for besides the ones it was made for (RFC 1918 home
networks, link-local, loopback, carrier-grade NAT, IPv6 unique-local and link-local)."""
LOCAL_NAMES = ("localhost", "local")
"""Names the authority may sign for besides this machine's own: ``localhost`` and any
``*.local`` (the names phones find computers by on a home network, mDNS)."""

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class LanCertificate:
    """Where the server's certificate (with the authority after it) and key are, the
    authority's own file (to install on a phone), and the authority's SHA-256 fingerprint."""

    cert_file: Path
    key_file: Path
    ca_file: Path
    fingerprint: str
    """The authority's SHA-256 fingerprint, ``AB:CD:...`` (32 pairs)."""
    authority: str
    """The authority's name, as a browser's certificate details show it."""

    @property
    def short_fingerprint(self) -> str:
        """The fingerprint's first 8 pairs: enough to tell this certificate from another."""
        return self.fingerprint[: 8 * 3 - 1]


def network_address() -> str | None:
    """This machine's IPv4 address on the local network, or None when it has no route off
    the machine (no packet is sent: a UDP socket is only pointed at a private address to
    learn the route's source address)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        address = str(probe.getsockname()[0])
    except OSError:
        return None
    finally:
        probe.close()
    return None if ipaddress.ip_address(address).is_loopback else address


def machine_names() -> list[str]:
    """The names a phone may reach this machine by: its host name and ``<host>.local``."""
    host = socket.gethostname().strip().rstrip(".").lower()
    if not host or host == "localhost" or not _is_dns_name(host):
        return []
    short = host.split(".")[0]
    return list(dict.fromkeys([host, short, f"{short}.local"]))


def ensure_certificate(
    home: Path,
    addresses: Iterable[str],
    names: Iterable[str] = (),
    *,
    now: dt.datetime | None = None,
) -> LanCertificate:
    """The certificate for ``addresses`` (IP addresses) and ``names`` (host names), with
    127.0.0.1, ::1 and localhost always added: the ones kept under ``home`` when they still
    cover them and have more than ``RENEW_DAYS`` left, else new ones (a new authority only
    when the old one is unusable, about to expire, or not allowed to sign for them)."""
    now = now or dt.datetime.now(dt.UTC)
    ips = list(dict.fromkeys([*map(ipaddress.ip_address, addresses), *_LOOPBACK]))
    dns = list(dict.fromkeys([*(n.lower() for n in names), "localhost"]))
    folder = home / TLS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    ca_pair = _load(folder / CA_FILE, folder / CA_KEY_FILE)
    if ca_pair is None or not _ca_usable(ca_pair[0], ips, dns, now):
        ca_pair = _new_authority(ips, dns, now)
        _write(folder / CA_KEY_FILE, _key_pem(ca_pair[1]))
        _write(folder / CA_FILE, ca_pair[0].public_bytes(serialization.Encoding.PEM))
    ca, ca_key = ca_pair
    server = _load(folder / CERT_FILE, folder / KEY_FILE)
    if server is None or not _server_usable(server[0], ca, ips, dns, now):
        cert, key = _new_server(ca, ca_key, ips, dns, now)
        _write(folder / KEY_FILE, _key_pem(key))
        chain = cert.public_bytes(serialization.Encoding.PEM)
        _write(folder / CERT_FILE, chain + ca.public_bytes(serialization.Encoding.PEM))
    for name in (CA_FILE, CA_KEY_FILE, CERT_FILE, KEY_FILE):
        (folder / name).chmod(0o600)  # files kept from before this rule, or copied in
    return LanCertificate(
        cert_file=folder / CERT_FILE,
        key_file=folder / KEY_FILE,
        ca_file=folder / CA_FILE,
        fingerprint=fingerprint(ca),
        authority=common_name(ca),
    )


def fingerprint(cert: x509.Certificate) -> str:
    """A certificate's SHA-256 fingerprint as browsers show it: ``AB:CD:...``."""
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def common_name(cert: x509.Certificate) -> str:
    """A certificate's subject common name ("backcoach on <host>" for the authority)."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = names[0].value if names else ""
    return value if isinstance(value, str) else value.decode(errors="replace")


def subject_alt_names(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    """A certificate's (IP addresses, DNS names)."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return [], []
    ips = [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    return ips, [n.lower() for n in san.get_values_for_type(x509.DNSName)]


_LOOPBACK = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))


def _is_dns_name(name: str) -> bool:
    labels = name.split(".")
    return all(
        0 < len(label) <= 63
        and label.isascii()
        and all(c.isalnum() or c == "-" for c in label)
        and not label.startswith("-")
        for label in labels
    )


def _permitted_networks(ips: Sequence[Address]) -> list[Network]:
    """The private networks, and the /24 (IPv4) or /64 (IPv6) of any address outside them."""
    networks: list[Network] = list(PRIVATE_NETWORKS)
    for ip in ips:
        if not any(ip in n for n in networks):
            prefix = 24 if ip.version == 4 else 64
            networks.append(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
    return networks


def _permitted_names(dns: Sequence[str]) -> list[str]:
    names = list(LOCAL_NAMES)
    for name in dns:
        if not _name_covered(name, names):
            names.append(name)
    return names


def _name_covered(name: str, permitted: Iterable[str]) -> bool:
    return any(name == p or name.endswith("." + p) for p in permitted)


def _new_authority(
    ips: Sequence[Address], dns: Sequence[str], now: dt.datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname() or "this computer"
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"backcoach on {host}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "backcoach (this computer only)"),
        ]
    )
    constraints = x509.NameConstraints(
        permitted_subtrees=[
            *(x509.IPAddress(n) for n in _permitted_networks(ips)),
            *(x509.DNSName(n) for n in _permitted_names(dns)),
        ],
        excluded_subtrees=None,
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(constraints, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _new_server(
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    ips: Sequence[Address],
    dns: Sequence[str],
    now: dt.datetime,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    first = dns[0] if dns and dns[0] != "localhost" else str(ips[0])
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, first[:64])]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(min(now + dt.timedelta(days=SERVER_DAYS), ca.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName(
                [*(x509.DNSName(n) for n in dns), *(x509.IPAddress(ip) for ip in ips)]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def _load(
    cert_file: Path, key_file: Path
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """A kept certificate and its key, or None when either is missing, unreadable, or they do
    not belong together."""
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        return None
    return cert, key


def _time_left(cert: x509.Certificate, now: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= now and cert.not_valid_after_utc - now > dt.timedelta(
        days=RENEW_DAYS
    )


def _ca_usable(
    ca: x509.Certificate, ips: Sequence[Address], dns: Sequence[str], now: dt.datetime
) -> bool:
    try:
        constraints = ca.extensions.get_extension_for_class(x509.NameConstraints).value
        basic = ca.extensions.get_extension_for_class(x509.BasicConstraints).value
        ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    except x509.ExtensionNotFound:
        return False
    permitted = constraints.permitted_subtrees or []
    networks = [
        g.value
        for g in permitted
        if isinstance(g, x509.IPAddress)
        and isinstance(g.value, ipaddress.IPv4Network | ipaddress.IPv6Network)
    ]
    names = [g.value for g in permitted if isinstance(g, x509.DNSName)]
    return (
        basic.ca
        and _time_left(ca, now)
        and all(any(ip in n for n in networks) for ip in ips)
        and all(_name_covered(name, names) for name in dns)
    )


def _server_usable(
    cert: x509.Certificate,
    ca: x509.Certificate,
    ips: Sequence[Address],
    dns: Sequence[str],
    now: dt.datetime,
) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):  # another authority's, or forged
        return False
    have_ips, have_dns = subject_alt_names(cert)
    return (
        _time_left(cert, now)
        and {str(ip) for ip in ips} <= set(have_ips)
        and set(dns) <= set(have_dns)
    )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, whole or not at all."""
    temporary = path.with_name(f".{path.name}.new")
    temporary.unlink(missing_ok=True)  # a left-over one may have looser permissions
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
