"""The `backcoach` command. Sub-commands import heavy libraries only when they run."""

from __future__ import annotations

import typer

from backcoach.cli import (
    catalogue_cmd,
    clinic_cmd,
    coach_cmd,
    direction_cmd,
    exercises,
    figures,
    plan_cmd,
    profile_cmd,
    progress_cmd,
    screen_cmd,
    serve_cmd,
    share_cmd,
    start_cmd,
    worker_cmd,
)

app = typer.Typer(
    name="backcoach",
    help="An offline exercise coach for lower back pain. Run with no command to see where "
    "you stand and what to do next.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(exercises.app, name="exercises")
app.add_typer(catalogue_cmd.app, name="catalogue")
app.command("figures")(figures.figures)
app.add_typer(profile_cmd.app, name="profile")
app.command("screen")(screen_cmd.screen)
app.command("clearance")(screen_cmd.clearance)
app.command("plan")(plan_cmd.plan)
app.command("check-direction")(direction_cmd.check_direction)
app.command("flare-up")(direction_cmd.flare_up)
app.command("start")(start_cmd.start)
app.command("history")(start_cmd.history)
progress_cmd.register(app)
share_cmd.register(app)
serve_cmd.register(app)
worker_cmd.register(app)
coach_cmd.register(app)
app.add_typer(clinic_cmd.app, name="clinic")


@app.callback()
def main_callback(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        from backcoach.cli.status import show_status

        show_status()


def main() -> None:
    """Run the CLI. A service error that a command did not handle itself (a damaged saved
    profile or plan met half-way through a command) still ends in its plain message and exit
    code 2, never a traceback."""
    from backcoach.catalogue import UnknownExercise
    from backcoach.cli.common import fail
    from backcoach.errors import BackcoachError

    try:
        app()
    except (BackcoachError, UnknownExercise) as exc:
        raise SystemExit(fail(str(exc)).exit_code) from None
