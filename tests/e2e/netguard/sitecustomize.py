"""Loaded by every Python process the offline journey starts (this folder comes first on
PYTHONPATH): refuses any network connection that is not loopback or a local socket.

Python's audit hooks see every ``socket.connect``, ``sendto`` and name lookup before it
happens, in this process and in any Python it starts with the same environment. An attempt is
written to $BACKCOACH_NET_LOG and fails with OSError; the test asserts the log stays empty.
Each process also notes itself in $BACKCOACH_NET_ARMED, so the test knows the guard was there.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from typing import Any

LOG = os.environ.get("BACKCOACH_NET_LOG", "")
ARMED = os.environ.get("BACKCOACH_NET_ARMED", "")
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
LOOKUPS = {
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyname_ex",
    "socket.gethostbyaddr",
}
CHECKED_FAMILIES = {socket.AF_INET, socket.AF_INET6}


class NetworkBlocked(ConnectionRefusedError):
    """Raised instead of making a non-loopback connection."""


def is_local(host: Any) -> bool:
    if host is None:  # getaddrinfo(None, ...) means this machine
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).split("%", 1)[0].strip().lower().rstrip(".")
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _note(path: str, line: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def _refuse(event: str, target: Any) -> None:
    _note(LOG, f"{os.getpid()} {event} {target!r} argv={sys.argv!r}")
    raise NetworkBlocked(f"offline test: {event} to {target!r} refused (not loopback)")


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args[0], args[1]
        if getattr(sock, "family", None) in CHECKED_FAMILIES:
            host = address[0] if isinstance(address, tuple) else address
            if not is_local(host):
                _refuse(event, address)
    elif event in LOOKUPS and not is_local(args[0]):
        _refuse(event, args[0])


sys.addaudithook(_hook)
_note(ARMED, f"{os.getpid()} argv={sys.argv!r}")
