"""`backcoach serve`: the browser app (issue 8), on this machine or, paired, on the network."""

from __future__ import annotations

from typing import Annotated

import typer

LOCAL_HOST = "127.0.0.1"
LAN_HOST = "0.0.0.0"
DEFAULT_PORT = 8765


def serve(
    host: Annotated[
        str | None,
        typer.Option(help="Address to bind (default 127.0.0.1; 0.0.0.0 with --lan)."),
    ] = None,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Serve the network too (to use a phone): prints a one-time pairing link and "
            "QR code; unpaired devices get 401.",
        ),
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the app in this machine's browser.")
    ] = True,
) -> None:
    """Start the browser app: today's plan, the session player, progress and the library."""
    from backcoach.cli.common import console, fail

    bind = host or (LAN_HOST if lan else LOCAL_HOST)
    if not lan and not _is_loopback(bind):
        raise fail(
            f"--host {bind} would let other machines reach your health data without pairing; "
            "add --lan to require pairing, or leave out --host"
        )
    try:
        app = _make_app(lan, port)
    except ValueError as exc:
        raise fail(str(exc)) from None
    _log_warnings()
    local_url = f"http://127.0.0.1:{port}/"
    console.print(f"backcoach is running at [bold]{local_url}[/]  (Ctrl-C stops it)")
    if lan:
        _show_pairing(app, bind, port)
        # Too many wrong codes withdraw the link (web.security.Guard.pair): show a new one.
        app.state.guard.on_codes_withdrawn = lambda: _show_pairing(app, bind, port)  # type: ignore[attr-defined]
    if open_browser and not lan:  # with --lan this browser needs the pairing link too
        _open_later(local_url)
    _run(app, bind, port)


def _make_app(lan: bool, port: int) -> object:
    from backcoach.web.app import create_app

    return create_app(lan=lan, port=port)


def _log_warnings() -> None:
    """Show backcoach's own warnings (wrong pairing codes, lockouts, errors answered with a
    500 and their tracebacks) in this window, with the time."""
    import logging

    logger = logging.getLogger("backcoach")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _show_pairing(app: object, bind: str, port: int) -> None:
    """Print the one-time pairing link and its QR code for the phone."""
    import segno

    from backcoach.cli.common import console

    address = _network_address() if bind == LAN_HOST else bind
    guard = app.state.guard  # type: ignore[attr-defined]
    url = f"http://{address}:{port}/pair?code={guard.new_code()}"
    console.print(
        "To use backcoach on your phone, join the same network and open this link once "
        "(or scan the code). It works one time only; on this computer, "
        f"http://127.0.0.1:{port}/ needs the link too.\n[bold]{url}[/]"
    )
    segno.make(url).terminal(compact=True)


def _network_address() -> str:
    """This machine's address on the local network (no packet is sent: a UDP socket is only
    pointed at a private address to learn the route's source address)."""
    import socket

    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return socket.gethostname()
    finally:
        probe.close()


def _open_later(url: str) -> None:
    import threading
    import webbrowser

    threading.Timer(1.0, lambda: webbrowser.open(url)).start()


def _run(app: object, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")  # type: ignore[arg-type]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `backcoach` app."""
    app.command("serve")(serve)
