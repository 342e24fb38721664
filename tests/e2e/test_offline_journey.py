"""The whole journey through the real CLI with the network made to fail: backcoach never
needs it.

Two layers, each checked before it is trusted:
- an audit hook (netguard/sitecustomize.py, first on PYTHONPATH) in every backcoach process
  refuses and logs any connection or name lookup that is not loopback or a local socket;
- when `unshare --net` works (root on Linux), every step also runs in a fresh network
  namespace with only the loopback interface, so even code outside Python has no way out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backcoach.safety.signs import SIGNS
from tests.conftest import BACKCOACH

GUARD = Path(__file__).with_name("netguard")
TEST_NET = "192.0.2.1"  # TEST-NET-1 (RFC 5737): never a real host

PROBE = f"""
import json, socket
result = {{}}
for name, attempt in [
    ("connect", lambda: socket.socket().connect(("{TEST_NET}", 80))),
    ("create_connection", lambda: socket.create_connection(("{TEST_NET}", 443), timeout=2)),
    ("lookup", lambda: socket.getaddrinfo("example.org", 443)),
]:
    try:
        attempt()
        result[name] = "connected"
    except OSError as exc:
        result[name] = f"{{type(exc).__name__}}: {{exc}}"
server = socket.create_server(("127.0.0.1", 0))
client = socket.create_connection(server.getsockname(), timeout=2)
result["loopback"] = "ok"
a, b = socket.socketpair(socket.AF_UNIX)
result["unix"] = "ok"
print(json.dumps(result))
"""


def namespace_prefix() -> list[str]:
    """Run a command in a fresh network namespace with loopback up, when this machine can."""
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        return []
    if subprocess.run([unshare, "--net", "true"], capture_output=True).returncode != 0:
        return []
    if shutil.which("ip") is None:
        return [unshare, "--net", "--"]
    return [unshare, "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "netns"]


class Journey:
    def __init__(self, tmp_path: Path, prefix: list[str]) -> None:
        self.home = tmp_path / "home"
        self.log = tmp_path / "network-attempts.log"
        self.armed = tmp_path / "guarded-processes.log"
        self.prefix = prefix
        env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
        env.update(
            {
                "BACKCOACH_HOME": str(self.home),
                "BACKCOACH_NET_LOG": str(self.log),
                "BACKCOACH_NET_ARMED": str(self.armed),
                "PYTHONPATH": os.pathsep.join(
                    [str(GUARD), *filter(None, [os.environ.get("PYTHONPATH")])]
                ),
                "COLUMNS": "200",
                "NO_COLOR": "1",
            }
        )
        self.env = env

    def run(self, command: list[str], netns: bool = True) -> subprocess.CompletedProcess[str]:
        full = [*self.prefix, *command] if netns else command
        return subprocess.run(
            full, capture_output=True, text=True, env=self.env, timeout=180, check=False
        )

    def step(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = self.run([BACKCOACH, *args])
        assert result.returncode == 0, f"backcoach {' '.join(args)}:\n{result.stderr}"
        assert "Traceback" not in result.stderr
        return result

    def attempts(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []


@pytest.mark.slow
def test_screen_to_export_without_the_network(tmp_path: Path) -> None:
    journey = Journey(tmp_path, namespace_prefix())

    # 1. The guard works: outside connections and lookups fail and are logged; loopback and
    #    local sockets still work (the browser app needs them).
    probe = journey.run([sys.executable, "-c", PROBE], netns=False)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)
    for name in ("connect", "create_connection", "lookup"):
        assert seen[name].startswith("NetworkBlocked"), seen
    assert seen["loopback"] == seen["unix"] == "ok"
    assert len(journey.attempts()) == 3
    journey.log.unlink()

    # 2. The namespace works (when available): even without the guard nothing gets out.
    if journey.prefix:
        bare = {k: v for k, v in journey.env.items() if k != "PYTHONPATH"}
        outside = subprocess.run(
            [*journey.prefix, sys.executable, "-c", PROBE],
            capture_output=True,
            text=True,
            env=bare,
            timeout=60,
        )
        assert outside.returncode == 0, outside.stderr
        unguarded = json.loads(outside.stdout)
        assert unguarded["connect"].startswith("OSError"), unguarded  # network unreachable
        assert unguarded["loopback"] == "ok"
    journey.armed.unlink()

    # 3. The journey, every step a real `backcoach` process.
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({s.id: False for s in SIGNS}), encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"pain_before": 4, "pain_after": 3}), encoding="utf-8")
    steps = [
        ("screen", "--answers", str(screen), "--json"),
        ("profile", "set", "--days", "mon,wed,fri", "--minutes", "10"),
        ("plan", "--json"),
        ("start", "--auto", "--minutes", "10", "--answers", str(answers)),
        ("checkin", "--pain-now", "3", "--worst", "5"),
        ("progress", "--json", "--chart", str(tmp_path / "progress.png")),
        ("report", "--out", str(tmp_path / "report.pdf")),
        ("handout", "--out", str(tmp_path / "handout.pdf")),
        ("remind", "--out", str(tmp_path / "backcoach.ics")),
        ("export", "--out", str(tmp_path / "export.json"), "--csv", str(tmp_path / "csv")),
        ("import", str(tmp_path / "export.json"), "--yes"),
    ]
    results = [journey.step(*args) for args in steps]

    assert json.loads(results[0].stdout)["tier"] == "clear"
    assert json.loads(results[2].stdout)["items"]
    assert "Session finished." in results[3].stdout
    summary = json.loads(results[5].stdout)  # the progress summary is plain JSON
    assert [p["score"] for p in summary["pain"]["worst_24h"]["series"]] == [5]
    assert (tmp_path / "progress.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "handout.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "csv" / "sessions.csv").exists()
    assert "saved first to" in results[-1].stdout  # replaced after a backup, offline too
    assert b"BEGIN:VCALENDAR" in (tmp_path / "backcoach.ics").read_bytes()
    exported = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    sessions = exported["tables"]["sessions"]
    assert len(sessions) == 1 and sessions[0]["status"] == "finished"
    assert exported["tables"]["set_logs"]

    # 4. Every step ran guarded, and nothing tried to reach the network.
    guarded = journey.armed.read_text(encoding="utf-8").splitlines()
    for args in steps:
        assert any(repr(args[0]) in line for line in guarded), f"{args[0]} ran unguarded"
    assert journey.attempts() == [], "backcoach tried to use the network"
