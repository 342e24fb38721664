"""The `backcoach` command. Sub-commands import heavy libraries only when they run, and a command
that runs imports only its own module (``make_app``)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import typer


def _group(name: str) -> Callable[[typer.Typer, ModuleType], None]:
    return lambda app, module: app.add_typer(module.app, name=name)


def _commands(*names: str) -> Callable[[typer.Typer, ModuleType], None]:
    def add(app: typer.Typer, module: ModuleType) -> None:
        for name in names:
            app.command(name)(getattr(module, name.replace("-", "_")))

    return add


def _registered(app: typer.Typer, module: ModuleType) -> None:
    module.register(app)


MODULES: dict[str, tuple[tuple[str, ...], Callable[[typer.Typer, ModuleType], None]]] = {
    "exercises": (("exercises",), _group("exercises")),
    "catalogue_cmd": (("catalogue",), _group("catalogue")),
    "figures": (("figures",), _commands("figures")),
    "profile_cmd": (("profile",), _group("profile")),
    "screen_cmd": (("screen", "clearance"), _commands("screen", "clearance")),
    "plan_cmd": (("plan",), _commands("plan")),
    "direction_cmd": (("check-direction", "flare-up"), _commands("check-direction", "flare-up")),
    "start_cmd": (("start", "history"), _commands("start", "history")),
    "progress_cmd": (("progress", "report", "handout", "checkin", "activities"), _registered),
    "share_cmd": (("remind", "export", "import", "forget"), _registered),
    "serve_cmd": (("serve",), _registered),
    "worker_cmd": (("worker",), _registered),
    "coach_cmd": (("coach",), _registered),
    "clinic_cmd": (("clinic",), _group("clinic")),
    "article_cmd": (("article",), _registered),
    "learn_cmd": (("learn",), _group("learn")),
}
"""Each command module (``backcoach.cli.<module>``), the commands it adds, and how it adds
them, in the order ``--help`` lists them."""

MODULE_OF = {command: module for module, (commands, _) in MODULES.items() for command in commands}


def make_app(command: str | None = None) -> typer.Typer:
    """The ``backcoach`` command with all its sub-commands, or, given the name of the one about
    to run, with that one alone: a command imports only its own module (``exercises list``
    starts without the modules of the other twenty). An unknown name gets them all, so Typer
    can say what there is."""
    app = typer.Typer(
        name="backcoach",
        help="An offline exercise coach for lower back pain. Run with no command to see where "
        "you stand and what to do next.",
        invoke_without_command=True,
        no_args_is_help=False,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    only = MODULE_OF.get(command) if command is not None else None
    for name, (_, add) in MODULES.items():
        if only is None or name == only:
            add(app, importlib.import_module(f"backcoach.cli.{name}"))
    app.callback()(main_callback)
    return app


def main_callback(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        from backcoach.cli.status import show_status

        show_status()


def __getattr__(name: str) -> Any:
    """``app``: the whole command (tests and the README check run it with Typer's runner)."""
    if name == "app":
        globals()["app"] = made = make_app()
        return made
    raise AttributeError(name)


def main() -> None:
    """Run the CLI. A service error that a command did not handle itself (a damaged saved
    profile or plan met half-way through a command) still ends in its plain message and exit
    code 2, never a traceback."""
    from backcoach.catalogue import UnknownExercise
    from backcoach.cli.common import fail
    from backcoach.config import SettingsError
    from backcoach.errors import BackcoachError

    command = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        make_app(command)()
    except (BackcoachError, UnknownExercise, SettingsError) as exc:
        raise SystemExit(fail(str(exc)).exit_code) from None
