"""`backcoach serve --workers 2` on PostgreSQL: two worker processes, each answering requests
on the connections it accepted; SQLite and --lan are refused with the fix."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BACKCOACH, run_cli
from tests.dbfixtures import pg_schema_url
from tests.web.conftest import TODAY, free_port

MAX_CONNECTIONS = 64
"""Connections opened, one at a time and kept open, until each worker holds one: the kernel
hands each to whichever idle worker accepts first, so two workers share a few quickly."""


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_schema_url()


def children(pid: int) -> list[int]:
    """The worker processes uvicorn spawned (not its multiprocessing helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def established_on(port: int) -> dict[int, tuple[str, int]]:
    """Socket inode -> the client end (address, port) of each connection accepted on ``port``."""
    found = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state, inode = fields[1], fields[2], fields[3], int(fields[9])
        if state == "01" and int(local.split(":")[1], 16) == port:
            found[inode] = ("127.0.0.1", int(remote.split(":")[1], 16))
    return found


def holder(pids: list[int], port: int, client_port: int) -> int | None:
    """Which of ``pids`` holds the server end of the connection from ``client_port``."""
    inodes = {inode for inode, (_, p) in established_on(port).items() if p == client_port}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            match = re.fullmatch(r"socket:\[(\d+)\]", target)
            if match and int(match.group(1)) in inodes:
                return pid
    return None


def get_status(sock: socket.socket, port: int) -> int:
    sock.sendall(f"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("the server closed the connection")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split(b" ", 2)[1])


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_both_answer(tmp_path: Path, pg_url: str) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    env.update(BACKCOACH_HOME=str(tmp_path), BACKCOACH_DATABASE_URL=pg_url, BACKCOACH_TODAY=TODAY)
    serve = subprocess.Popen(
        [BACKCOACH, "serve", "--workers", "2", "--port", str(port), "--no-open"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    connections: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 90
        pids: list[int] = []
        while len(pids) < 2 or not _listening(port):
            assert serve.poll() is None, serve.stdout.read()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
            pids = children(serve.pid)
        assert len(pids) == 2
        answered: dict[int, int] = {}
        for _ in range(MAX_CONNECTIONS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            connections.append(sock)
            assert get_status(sock, port) == 200
            pid = holder(pids, port, sock.getsockname()[1])
            assert pid is not None, "an accepted connection held by no worker"
            assert get_status(sock, port) == 200  # and again, on the same worker
            answered[pid] = answered.get(pid, 0) + 2
            if len(answered) == 2:
                break
        assert set(answered) == set(pids), f"only {answered} answered"
    finally:
        for sock in connections:
            sock.close()
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
    assert children(serve.pid) == []


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_several_workers_need_postgresql_and_no_lan(tmp_path: Path) -> None:
    sqlite = run_cli("serve", "--workers", "2", "--no-open", home=tmp_path)
    assert sqlite.returncode == 2 and "--workers 2 needs PostgreSQL" in sqlite.stderr
    assert "BACKCOACH_DATABASE_URL=postgresql://" in sqlite.stderr
    lan = run_cli(
        "serve",
        "--workers",
        "3",
        "--lan",
        "--no-open",
        home=tmp_path,
        BACKCOACH_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/test",
    )
    assert lan.returncode == 2 and "use --workers 1 with --lan" in lan.stderr
    assert "Traceback" not in sqlite.stderr + lan.stderr
