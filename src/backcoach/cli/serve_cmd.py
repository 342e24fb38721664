"""`backcoach serve`: the browser app (issue 8), on this machine or, paired, on the network;
with ``--clinic``, a clinic's server behind a TLS reverse proxy (issue 14, docs/clinic.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from backcoach.web.lan_tls import LanCertificate

LOCAL_HOST = "127.0.0.1"
LAN_HOST = "0.0.0.0"
DEFAULT_PORT = 8765
MAX_WORKERS = 64
PORT_VARIABLE = "BACKCOACH_SERVE_PORT"
"""Set by `serve --workers N` for its worker processes: the port their Host check expects."""
CLINIC_VARIABLE = "BACKCOACH_SERVE_CLINIC"
"""Set to 1 by `serve --clinic` for its worker processes: they run in clinic mode."""


def serve(
    host: Annotated[
        str | None,
        typer.Option(
            help="Address to bind (default 127.0.0.1; with --lan, 127.0.0.1 over http and "
            "this machine's network address over https; a --lan wildcard such as 0.0.0.0 "
            "serves every address over https)."
        ),
    ] = None,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Serve the network too (to use a phone), over https with a certificate made "
            "on this computer: prints a one-time pairing link and QR code; unpaired devices "
            "get 401.",
        ),
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the app in this machine's browser.")
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="Web worker processes. More than 1 needs PostgreSQL "
            "(BACKCOACH_DATABASE_URL) and serves this machine only (e.g. behind a reverse "
            "proxy); --lan pairing needs 1.",
        ),
    ] = 1,
    clinic: Annotated[
        bool,
        typer.Option(
            "--clinic",
            help="Clinic mode: clinicians and patients sign in on every page; needs "
            "PostgreSQL and a TLS reverse proxy in front (BACKCOACH_PUBLIC_URL is its "
            "address, BACKCOACH_TRUSTED_PROXIES its IP addresses; see docs/clinic.md).",
        ),
    ] = False,
) -> None:
    """Start the browser app: today's plan, the session player, progress and the library."""
    from backcoach.cli.common import console, fail

    if clinic:
        _serve_clinic(host or LOCAL_HOST, port, workers, lan)
        return
    bind = host or (LAN_HOST if lan else LOCAL_HOST)
    if not lan and not _is_loopback(bind):
        raise fail(
            f"--host {bind} would let other machines reach your health data without pairing; "
            "add --lan to require pairing, or leave out --host"
        )
    if workers > 1:
        _check_workers(workers, lan)
    try:
        app = _make_app(lan, port)
    except ValueError as exc:
        raise fail(str(exc)) from None
    _log_warnings()
    local_url = f"http://127.0.0.1:{port}/"
    if workers > 1:
        del app  # each worker process makes its own (worker_app)
        _prepare_database()
        console.print(
            f"backcoach is running at [bold]{local_url}[/] with {workers} worker processes "
            "(Ctrl-C stops them)"
        )
        if open_browser:
            _open_later(local_url)
        _run_workers(bind, port, workers)
        return
    if not lan:
        console.print(f"backcoach is running at [bold]{local_url}[/]  (Ctrl-C stops it)")
        if open_browser:
            _open_later(local_url)
        _run(app, bind, port)
        return
    listeners = _lan_listeners(app, bind, host is None, port)
    _say_where(listeners)
    _show_pairing(app, listeners)
    # Too many wrong codes withdraw the link (web.security.Guard.pair): show a new one.
    app.state.guard.on_codes_withdrawn = lambda: _show_pairing(app, listeners)  # type: ignore[attr-defined]
    _run_listeners(app, listeners)


@dataclass(frozen=True)
class Listener:
    """One address `serve --lan` answers on: ``tls`` set for https on the network (with the
    certificate made for it), None for plain http on this computer (a secure context for its
    browser without any certificate). ``shown`` is the address as a link names it."""

    bind: str
    port: int
    shown: str
    tls: LanCertificate | None = None

    @property
    def url(self) -> str:
        host = f"[{self.shown}]" if ":" in self.shown else self.shown
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}/"


def _lan_listeners(app: Any, bind: str, default_bind: bool, port: int) -> list[Listener]:
    """Where `serve --lan` answers. By default: http on 127.0.0.1 (this computer's browser,
    no warning) and https on this machine's network address (the phone; browsers open the
    camera only over https). Both serve the one app, so live sessions and pairing codes are
    shared. ``--host`` a wildcard (0.0.0.0, ::): https on every address, this computer's too
    (one port cannot be both); a loopback address, or no network yet: http on it only."""
    from backcoach.web.lan_tls import ensure_certificate, machine_names, network_address

    wildcard = bind in (LAN_HOST, "::")
    network = network_address() if wildcard else bind
    if network is None or _is_loopback(network):
        local = bind if _is_loopback(bind) else LOCAL_HOST
        return [Listener(local, port, local)]
    tls = ensure_certificate(_home(), [network], machine_names())
    app.state.lan_fingerprint = tls.short_fingerprint  # for the Settings page
    if wildcard and not default_bind:
        return [Listener(bind, port, network, tls)]
    return [Listener(LOCAL_HOST, port, LOCAL_HOST), Listener(network, port, network, tls)]


def _home() -> Any:
    from backcoach.config import Settings

    return Settings.from_environ().home


def _say_where(listeners: list[Listener]) -> None:
    from backcoach.cli.common import console

    where = " and ".join(
        f"[bold]{x.url}[/] {'on your network' if x.tls else 'on this computer'}" for x in listeners
    )
    console.print(f"backcoach is running at {where}  (Ctrl-C stops it)")
    if not any(x.tls for x in listeners) and not _is_loopback(listeners[0].bind):
        console.print(
            "This computer has no network address yet, so a phone cannot reach it: join the "
            "network the phone is on, then start backcoach serve --lan again."
        )


def _serve_clinic(bind: str, port: int, workers: int, lan: bool) -> None:
    """Check the clinic's settings and database here, once (exit 2 with what to fix), migrate,
    then run the workers with the proxy's forwarded client address trusted from the proxy
    only."""
    import os

    from backcoach.cli.common import console, fail
    from backcoach.clinic.errors import NeedsPostgres
    from backcoach.clinic.settings import ClinicSettings
    from backcoach.config import Settings, trusted_proxies

    if lan:
        raise fail(
            "--clinic with --lan: a clinic is reached through its TLS reverse proxy and its "
            "people sign in, so there is nothing to pair; leave out --lan"
        )
    try:
        settings = Settings.from_environ()
        public_url = ClinicSettings.from_environ().public_url
        proxies = trusted_proxies()
    except ValueError as exc:
        raise fail(str(exc)) from None
    if settings.is_sqlite:
        raise fail(str(NeedsPostgres()))
    _log_warnings()
    try:
        _prepare_database()
    except Exception as exc:  # the database is unreachable or refuses: say so, no traceback
        first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["no answer"])[0]
        raise fail(
            f"cannot prepare the database ({first}); check BACKCOACH_DATABASE_URL and that "
            "PostgreSQL is running"
        ) from None
    os.environ[CLINIC_VARIABLE] = "1"
    console.print(
        f"backcoach clinic is serving http://{bind}:{port}/ with {workers} worker "
        f"process{'es' if workers != 1 else ''} for the TLS proxy at [bold]{public_url}[/] "
        f"(client addresses trusted from {proxies}; Ctrl-C stops it)"
    )
    _run_workers(bind, port, workers, proxies=proxies)


def _make_app(lan: bool, port: int) -> object:
    from backcoach.web.app import create_app

    return settled(create_app(lan=lan, port=port))


def settled(app: Any) -> Any:
    """The app of a server process, with what it loads once loaded (the catalogue) and
    everything made so far moved out of the garbage collector's sight (``gc.freeze``): a
    long-lived server's full collections otherwise walk those objects again and again, each
    pausing a request for a fifth of a second (bench/clinic_patients.py measured it)."""
    import gc

    _ = app.state.app_context.catalogue
    gc.collect()
    gc.freeze()
    return app


def _check_workers(workers: int, lan: bool) -> None:
    """Several processes need a database they can all write at once, and one place for what
    a request may change: PostgreSQL, without --lan (pairing codes live in one process)."""
    from backcoach.cli.common import fail
    from backcoach.config import Settings

    try:
        settings = Settings.from_environ()
    except ValueError as exc:
        raise fail(str(exc)) from None
    if settings.is_sqlite:
        raise fail(
            f"--workers {workers} needs PostgreSQL: on SQLite (personal mode) one process "
            "serves the app. Set BACKCOACH_DATABASE_URL=postgresql://USER@HOST/DATABASE, or "
            "leave out --workers"
        )
    if lan:
        raise fail(
            f"--lan with --workers {workers}: a pairing code lives in the process that printed "
            "it, so the other workers would refuse the phone; use --workers 1 with --lan"
        )


def _prepare_database() -> None:
    """Migrate the database (and make the job queue's tables) once, before the workers start,
    so they do not race for it and a fault is shown here, once."""
    from backcoach.config import Settings
    from backcoach.jobs.queue import QUEUE, queue_choice
    from backcoach.records.db import make_engine, upgrade

    settings = Settings.from_environ()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        if queue_choice(settings.database_url) == QUEUE:
            from backcoach.jobs.pgqueue import ensure_schema

            ensure_schema(engine)
    finally:
        engine.dispose()


def worker_app() -> object:
    """The app of one worker process (``uvicorn --factory``): the settings come from the
    environment the workers inherit, the port from PORT_VARIABLE."""
    import os

    from backcoach.web.app import create_app

    _log_warnings()
    clinic = os.environ.get(CLINIC_VARIABLE) == "1"
    return settled(create_app(port=int(os.environ[PORT_VARIABLE]), clinic=clinic))


def _run_workers(host: str, port: int, workers: int, proxies: str | None = None) -> None:
    """Run ``workers`` processes of ``worker_app``. ``proxies`` (clinic mode): the only
    addresses whose ``X-Forwarded-For`` / ``-Proto`` are believed; None: uvicorn's default
    (``FORWARDED_ALLOW_IPS`` or 127.0.0.1), as before clinic mode."""
    import os

    import uvicorn

    os.environ[PORT_VARIABLE] = str(port)  # the workers are spawned with this environment
    uvicorn.run(
        f"{__name__}:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=True,  # uvicorn's default; None below is its default list too
        forwarded_allow_ips=proxies,
    )


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


def _show_pairing(app: object, listeners: list[Listener]) -> None:
    """Print the one-time pairing links: the phone's (https, with its QR code and how to
    check the certificate) and this computer's (its own code: each code pairs one browser)."""
    import segno

    from backcoach.cli.common import console

    guard = app.state.guard  # type: ignore[attr-defined]
    network = next((x for x in listeners if x.tls is not None), None)
    local = next((x for x in listeners if x.tls is None), None)
    if network is not None and network.tls is not None:
        url = f"{network.url}pair?code={guard.new_code()}"
        console.print(
            "To use backcoach on your phone, join the same network and open this link once "
            f"(or scan the code). It works one time only.\n[bold]{url}[/]"
        )
        segno.make(url).terminal(compact=True)
        console.print(
            "The phone will warn once that the connection is not private: backcoach made its "
            "own certificate for this computer, and no company vouches for it. Check that it "
            "is yours: in the warning, open the certificate's details; the one named "
            f'"{network.tls.authority}" must have a SHA-256 fingerprint starting '
            f"[bold]{network.tls.short_fingerprint}[/] (backcoach's Settings page shows it "
            "too). Then go on (Advanced, then Proceed). Watch me (the camera) needs this "
            "https address. To stop the warning for good, install the certificate on the "
            f"phone ({network.tls.ca_file}; see docs/web.md)."
        )
    code = guard.new_code()
    if local is not None:
        url = f"{local.url}pair?code={code}"
        console.print(f"On this computer, open this link once (it needs pairing too):\n{url}")
    elif network is not None:
        url = f"https://127.0.0.1:{network.port}/pair?code={code}"
        console.print(
            "On this computer, open this link once (it needs pairing too; served over https "
            f"on every address, this browser warns once as well):\n{url}"
        )


def _open_later(url: str) -> None:
    import threading
    import webbrowser

    threading.Timer(1.0, lambda: webbrowser.open(url)).start()


def _run(app: object, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning")  # type: ignore[arg-type]


def _run_listeners(app: object, listeners: list[Listener]) -> None:
    """Serve ``app`` on every listener from one process and one event loop, so they share its
    state (live sessions, pairing codes); when one server stops (Ctrl-C, or it cannot bind),
    the others stop too."""
    import asyncio

    import uvicorn

    servers = [
        uvicorn.Server(
            uvicorn.Config(
                app,  # type: ignore[arg-type]
                host=x.bind,
                port=x.port,
                log_level="warning",
                lifespan="auto" if i == 0 else "off",  # the app starts up once
                ssl_certfile=x.tls.cert_file if x.tls else None,
                ssl_keyfile=x.tls.key_file if x.tls else None,
            )
        )
        for i, x in enumerate(listeners)
    ]

    async def serve_all() -> None:
        tasks = [asyncio.ensure_future(server.serve()) for server in servers]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for server in servers:
            server.should_exit = True
        await asyncio.gather(*tasks)

    asyncio.run(serve_all())


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `backcoach` app."""
    app.command("serve")(serve)
