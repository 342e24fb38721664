"""The command is built with only the module of the sub-command about to run (cli.app.make_app):
every sub-command is found that way, with the same help as in the whole command, and a command
that does not exist still gets Typer's list of what there is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer.main

from backcoach.cli.app import MODULE_OF, make_app


def commands(app: typer.Typer) -> dict[str, Any]:
    """The sub-commands of the command Typer makes (its own vendored Click group)."""
    return dict(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def described(command: Any) -> tuple[str, list[str]]:
    return command.help or "", [p.name for p in command.params]


def test_each_command_alone_is_the_same_command_as_in_the_whole() -> None:
    whole = commands(make_app())
    assert set(MODULE_OF) == set(whole), "a command module added commands MODULES does not name"
    for name, command in whole.items():
        alone = commands(make_app(name))
        assert name in alone
        assert described(alone[name]) == described(command)
        assert set(alone) < set(whole)  # the others were not imported


def test_exercises_list_imports_no_other_command_module(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['backcoach', 'exercises', 'list', '--json']\n"
        "from backcoach.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('backcoach.cli.'))\n"
        "print(' '.join(loaded), file=sys.stderr)\n"
    )
    env = {**os.environ, "BACKCOACH_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(done.stderr.split())
    assert "backcoach.cli.exercises" in loaded
    assert not loaded & {f"backcoach.cli.{m}" for m in ("serve_cmd", "clinic_cmd", "start_cmd")}


def test_an_unknown_command_is_told_what_there_is(tmp_path: object) -> None:
    env = {**os.environ, "BACKCOACH_HOME": str(tmp_path)}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "backcoach"), "exercise", "list"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "No such command 'exercise'" in done.stderr


def test_no_pydantic_plugin_is_ever_loaded(tmp_path: object) -> None:
    """A pydantic plugin sees every validated value (a person's records); backcoach loads none,
    whatever the environment says, and does not scan the installed packages for them."""
    code = (
        "import backcoach, os\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "print(os.environ['PYDANTIC_DISABLE_PLUGINS'], tuple(get_plugins()))\n"
    )
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "", "BACKCOACH_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["__all__", "()"]


def test_a_server_process_settles_its_app_before_serving(tmp_path: Path) -> None:
    """`serve` loads the catalogue before the first request and freezes what it has made, so
    the garbage collector's full passes do not walk it during requests (a 0.2 s pause each)."""
    code = (
        "import gc\n"
        "from backcoach.cli.serve_cmd import settled\n"
        "from backcoach.web.app import create_app\n"
        "app = settled(create_app())\n"
        "print(gc.get_freeze_count() > 10000, '_catalogue' in app.state.app_context.__dict__)\n"
    )
    env = {**os.environ, "BACKCOACH_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"]
