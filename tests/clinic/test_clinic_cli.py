"""`backcoach clinic ...` end to end: the real command against a real PostgreSQL schema."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.clinic.conftest import PASSWORD
from tests.conftest import run_cli

pytestmark = pytest.mark.postgres


def clinic_cli(
    home: Path, url: str, *args: str, input: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return run_cli("clinic", *args, home=home, input=input, BACKCOACH_DATABASE_URL=url, **env)


def test_add_clinician_and_patient_then_list(tmp_path: Path, pg_url: str) -> None:
    added = clinic_cli(
        tmp_path,
        pg_url,
        "add-clinician",
        "--email",
        "Ana@Example.org",
        "--name",
        "Ana Silva",
        input=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert "Added clinician Ana Silva" in added.stdout

    secret = tmp_path / "pw.txt"
    secret.write_text("Mountain-Kettle-Orbit-47\n", encoding="utf-8")
    admin = clinic_cli(
        tmp_path,
        pg_url,
        "add-clinician",
        "--email",
        "admin@example.org",
        "--name",
        "Dee",
        "--admin",
        "--password-file",
        str(secret),
        "--json",
    )
    assert admin.returncode == 0, admin.stderr
    assert json.loads(admin.stdout)["role"] == "admin"

    patient = clinic_cli(
        tmp_path,
        pg_url,
        "add-patient",
        "--name",
        "Bo Chen",
        "--birth-year",
        "1980",
        "--clinician",
        "ana@example.org",
        "--json",
        BACKCOACH_PUBLIC_URL="https://physio.example.org/",
    )
    assert patient.returncode == 0, patient.stderr
    shown = json.loads(patient.stdout)
    assert set(shown) >= {"patient_id", "invite_code", "invite_url"}
    assert shown["invite_url"] == f"https://physio.example.org/invite#code={shown['invite_code']}"

    again = clinic_cli(tmp_path, pg_url, "reissue-invite", str(shown["patient_id"]), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["invite_code"] != shown["invite_code"]
    assert json.loads(again.stdout)["invite_url"].startswith("https://localhost/invite#code=")

    listed = clinic_cli(tmp_path, pg_url, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert [(c["email"], c["role"], c["patients"]) for c in data["clinicians"]] == [
        ("ana@example.org", "clinician", 1),
        ("admin@example.org", "admin", 0),
    ]
    assert [
        (p["name"], p["birth_year"], p["clinicians"], p["invite"]) for p in data["patients"]
    ] == [("Bo Chen", 1980, ["ana@example.org"], "open")]
    table = clinic_cli(tmp_path, pg_url, "list")
    assert table.returncode == 0 and "Bo Chen" in table.stdout and "ana@example.org" in table.stdout

    engine = create_engine(pg_url)
    with engine.connect() as conn:
        stored = str(conn.execute(text("SELECT * FROM accounts, invites")).all())
    engine.dispose()
    assert PASSWORD not in stored and "$argon2id$" in stored
    assert (
        shown["invite_code"] not in stored and shown["invite_code"].replace("-", "") not in stored
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pw", "use at least 12"),
        ("password1234", "common passwords"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("", "no password in standard input"),
    ],
)
def test_a_weak_password_exits_2_with_the_reason(
    tmp_path: Path, pg_url: str, password: str, reason: str
) -> None:
    result = clinic_cli(
        tmp_path,
        pg_url,
        "add-clinician",
        "--email",
        "ana@example.org",
        "--name",
        "Ana",
        input=password + "\n",
    )
    assert result.returncode == 2
    assert reason in result.stderr and "Traceback" not in result.stderr


def test_plain_errors_never_tracebacks(tmp_path: Path, pg_url: str) -> None:
    cases = [
        (("add-clinician", "--email", "not-an-email", "--name", "Ana"), "not an e-mail address"),
        (
            (
                "add-clinician",
                "--email",
                "a@example.org",
                "--name",
                "A",
                "--password-file",
                str(tmp_path / "missing"),
            ),
            "--password-file: cannot read",
        ),
        (
            (
                "add-patient",
                "--name",
                "Bo",
                "--birth-year",
                "1980",
                "--clinician",
                "zed@example.org",
            ),
            "no account for zed@example.org",
        ),
        (
            (
                "add-patient",
                "--name",
                "Bo",
                "--birth-year",
                "3000",
                "--clinician",
                "zed@example.org",
            ),
            "birth year: 3000",
        ),
        (("reissue-invite", "41"), "no patient 41"),
    ]
    for args, message in cases:
        result = clinic_cli(tmp_path, pg_url, *args, input=PASSWORD + "\n")
        assert result.returncode == 2, (args, result.stdout)
        assert message in result.stderr and "Traceback" not in result.stderr, args
    twice = [
        clinic_cli(
            tmp_path,
            pg_url,
            "add-clinician",
            "--email",
            "a@example.org",
            "--name",
            "A",
            input=PASSWORD + "\n",
        )
        for _ in range(2)
    ]
    assert twice[0].returncode == 0 and twice[1].returncode == 2
    assert "exists already" in twice[1].stderr
    bad_url = clinic_cli(tmp_path, pg_url, "list", BACKCOACH_PUBLIC_URL="physio.example.org")
    assert bad_url.returncode == 2 and "BACKCOACH_PUBLIC_URL='physio.example.org'" in bad_url.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("add-patient", "--name", "Bo", "--birth-year", "1980", "--clinician", "a@example.org"),
        ("add-clinician", "--email", "a@example.org", "--name", "Ana"),
        ("reissue-invite", "2"),
    ],
)
def test_sqlite_is_refused_with_a_plain_message(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_cli("clinic", *args, home=tmp_path, input=PASSWORD + "\n")
    assert result.returncode == 2
    assert "set BACKCOACH_DATABASE_URL=postgresql://" in result.stderr
    assert "Traceback" not in result.stderr
