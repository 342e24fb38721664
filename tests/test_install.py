"""`make run` installs the app alone; `make test` everything the tests need. The app, started
and walked through its pages, imports nothing that only the test tools or the camera extra
bring: every third-party module it loads belongs to a distribution its own (extra-free)
requirements pull in."""

from __future__ import annotations

import importlib.metadata as md
import json
import re
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(target: str) -> str:
    done = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_make_run_installs_the_app_alone_and_make_test_everything() -> None:
    run = [line for line in make_dry_run("run").splitlines() if "pip install" in line]
    assert any(line.rstrip().endswith("install --quiet -e .") for line in run), run
    assert not any("[" in line for line in run), run
    test = make_dry_run("test")
    assert "-e '.[test,vision]'" in test


def _name(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


def app_closure() -> set[str]:
    """Every distribution backcoach's own requirements bring, without its extras."""
    seen: set[str] = set()
    todo = ["backcoach"]
    while todo:
        name = _name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            todo.append(req.name)
            for extra in req.extras:  # e.g. psycopg[binary]
                for sub in md.requires(req.name) or []:
                    subreq = Requirement(sub)
                    if subreq.marker is not None and subreq.marker.evaluate({"extra": extra}):
                        todo.append(subreq.name)
    return seen


WALK = """
import json, sys, tempfile
from pathlib import Path
from fastapi.testclient import TestClient
from backcoach.config import Settings
from backcoach.web.app import create_app
home = Path(tempfile.mkdtemp())
app = create_app(Settings.from_environ({"BACKCOACH_HOME": str(home)}), test_client=True)
client = TestClient(app)
for path in ["/", "/welcome", "/screen", "/today", "/library", "/library/bridge",
             "/progress", "/profile", "/settings", "/figures/bridge.svg", "/api/status",
             "/manifest.webmanifest"]:
    assert client.get(path).status_code < 500, path
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


HARNESS = """
import json, sys
from fastapi.testclient import TestClient
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""
"""What the interpreter and the test client load by themselves (site hooks, httpx): not the
app's."""


def loaded(code: str, cwd: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_app_imports_only_what_its_own_requirements_bring(tmp_path: Path) -> None:
    modules = loaded(WALK, tmp_path) - loaded(HARNESS, tmp_path)
    assert "backcoach" in modules and "fastapi" not in modules  # (fastapi: the harness's too)
    owners = md.packages_distributions()
    allowed = app_closure()
    foreign = {
        module: owners[module]
        for module in modules
        if module in owners
        and module not in sys.stdlib_module_names
        and not {_name(d) for d in owners[module]} & allowed
    }
    assert foreign == {}, f"the app imports what only the test or camera extras install: {foreign}"
