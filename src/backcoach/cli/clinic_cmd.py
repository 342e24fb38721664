"""`backcoach clinic ...`: the clinic server's operator adds clinicians and patients, reissues
invites and lists who is there. PostgreSQL only (docs/clinic.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backcoach.cli.common import console, fail, print_json

if TYPE_CHECKING:
    from backcoach.clinic import AddedPatient, Clinic

app = typer.Typer(
    help="Run a clinic: clinicians, patients and their invites (PostgreSQL only; see "
    "docs/clinic.md).",
    no_args_is_help=True,
)

MAX_PASSWORD_INPUT = 4096
"""Bytes read from standard input or a password file at most (a password is at most 128
characters; anything longer is refused by the policy, not read whole)."""


def open_clinic() -> Clinic:
    """The clinic on BACKCOACH_DATABASE_URL, or exit 2 with what to do."""
    from sqlalchemy.exc import OperationalError

    from backcoach.clinic import Clinic
    from backcoach.clinic.errors import NeedsPostgres
    from backcoach.clinic.settings import ClinicSettings
    from backcoach.config import Settings
    from backcoach.records.db import open_database

    try:
        settings = Settings.from_environ()
        clinic_settings = ClinicSettings.from_environ()
    except ValueError as exc:
        raise fail(str(exc)) from None
    if settings.is_sqlite:
        raise fail(str(NeedsPostgres()))
    try:
        return Clinic(open_database(settings.database_url), settings=clinic_settings)
    except OperationalError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else "no answer"
        raise fail(
            f"cannot reach the database ({first}); check BACKCOACH_DATABASE_URL and that "
            "PostgreSQL is running"
        ) from None
    except NeedsPostgres as exc:
        raise fail(str(exc)) from None


def _read_password(password_file: Path | None) -> str:
    if password_file is not None:
        try:
            with password_file.open("r", encoding="utf-8") as handle:
                text = handle.read(MAX_PASSWORD_INPUT)
        except (OSError, UnicodeDecodeError) as exc:
            raise fail(f"--password-file: cannot read {password_file} ({exc})") from None
        source = f"{password_file}"
    elif sys.stdin is not None and sys.stdin.isatty():
        import getpass

        text = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != text:
            raise fail("the two passwords differ; run the command again")
        source = "the prompt"
    else:
        text = sys.stdin.read(MAX_PASSWORD_INPUT) if sys.stdin is not None else ""
        source = "standard input"
    password = text.split("\n", 1)[0].removesuffix("\r")
    if not password:
        raise fail(
            f"no password in {source}; give it on standard input (one line) or with "
            "--password-file FILE"
        )
    return password


def add_clinician(
    email: Annotated[str, typer.Option("--email", help="The e-mail they sign in with.")],
    name: Annotated[str, typer.Option("--name", help="Their name, as patients see it.")],
    password_file: Annotated[
        Path | None,
        typer.Option(
            "--password-file",
            metavar="FILE",
            help="Read the password from the first line of FILE (else from standard input).",
        ),
    ] = None,
    admin: Annotated[
        bool,
        typer.Option("--admin", help="A practice admin, who sees every patient of the practice."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Add a clinician who signs in with e-mail and password. The password is read from
    standard input (or --password-file): at least 12 characters, not a common one."""
    from backcoach.clinic.errors import ClinicError

    clinic = open_clinic()
    password = _read_password(password_file)
    try:
        person_id = clinic.add_clinician(email=email, name=name, password=password, admin=admin)
    except ClinicError as exc:
        raise fail(str(exc)) from None
    role = "practice admin" if admin else "clinician"
    if as_json:
        print_json({"person_id": person_id, "role": "admin" if admin else "clinician"})
        return
    console.print(f"Added {role} {name} <{email.strip()}> (person {person_id}).")


def add_patient(
    name: Annotated[str, typer.Option("--name", help="The patient's name.")],
    birth_year: Annotated[
        int,
        typer.Option("--birth-year", metavar="YYYY", help="Checked when they redeem the invite."),
    ],
    clinician: Annotated[
        str,
        typer.Option("--clinician", metavar="EMAIL", help="The clinician who looks after them."),
    ],
    as_json: Annotated[
        bool,
        typer.Option("--json", help='Print {"patient_id", "invite_code", "invite_url"} as JSON.'),
    ] = False,
) -> None:
    """Add a patient in a clinician's care, with an invite (a code and a link, valid 14 days)
    for their phone."""
    from backcoach.clinic.errors import ClinicError

    clinic = open_clinic()
    try:
        added = clinic.add_patient(name=name, birth_year=birth_year, clinician_email=clinician)
    except ClinicError as exc:
        raise fail(str(exc)) from None
    _show_invite(added, as_json, f"Added patient {name} (person {added.patient_id}).")


def reissue_invite(
    patient_id: Annotated[int, typer.Argument(metavar="PATIENT_ID", help="From `clinic list`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the new invite as JSON.")] = False,
) -> None:
    """Give a patient a new invite; their older invites stop working at once."""
    from backcoach.clinic.errors import ClinicError

    clinic = open_clinic()
    try:
        added = clinic.reissue_invite(patient_id)
    except ClinicError as exc:
        raise fail(str(exc)) from None
    _show_invite(added, as_json, f"New invite for patient {patient_id}; older ones are withdrawn.")


def _show_invite(added: AddedPatient, as_json: bool, headline: str) -> None:
    if as_json:
        print_json(
            {
                "patient_id": added.patient_id,
                "invite_code": added.invite_code,
                "invite_url": added.invite_url,
                "expires_at": added.expires_at.isoformat(),
            }
        )
        return
    console.print(headline)
    console.print(f"  invite code: {added.invite_code}")
    console.print(f"  invite link: {added.invite_url}")
    console.print(
        f"  valid until: {added.expires_at:%Y-%m-%d %H:%M} UTC, once; the patient also gives "
        "their birth year"
    )


def list_people(
    as_json: Annotated[bool, typer.Option("--json", help="Print everyone as JSON.")] = False,
) -> None:
    """List the clinicians, admins and patients on this server."""
    clinic = open_clinic()
    staff, patients = clinic.listing()
    if as_json:
        print_json(
            {
                "clinicians": [_plain(s) for s in staff],
                "patients": [_plain(p) for p in patients],
            }
        )
        return
    from rich.table import Table

    table = Table(title="Clinicians and admins")
    for column in ("id", "name", "e-mail", "role", "TOTP", "patients"):
        table.add_column(column)
    for s in staff:
        table.add_row(
            str(s.person_id),
            s.name or "",
            s.email,
            s.role,
            "yes" if s.totp else "no",
            str(s.patients),
        )
    console.print(table)
    table = Table(title="Patients")
    for column in ("id", "name", "born", "clinicians", "invite", "devices"):
        table.add_column(column)
    for p in patients:
        invite = p.invite
        if p.invite_expires is not None:
            invite += f" (until {p.invite_expires:%Y-%m-%d})"
        table.add_row(
            str(p.person_id),
            p.name or "",
            str(p.birth_year),
            ", ".join(p.clinicians),
            invite,
            str(p.devices),
        )
    console.print(table)


def _plain(item: Any) -> dict[str, Any]:
    import dataclasses
    import datetime as dt

    out = dataclasses.asdict(item)
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in out.items()}


app.command("add-clinician")(add_clinician)
app.command("add-patient")(add_patient)
app.command("reissue-invite")(reissue_invite)
app.command("list")(list_people)
