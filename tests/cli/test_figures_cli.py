"""`backcoach figures`: the real command writes SVG, PNG, animation and a contact sheet."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_figures_for_one_exercise_and_a_contact_sheet(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "figs"
    result = run_cli(
        "figures",
        "--id",
        "prone-press-up",
        "--out",
        str(out),
        "--sheet",
        "--width",
        "600",
        home=home,
    )
    assert result.returncode == 0, result.stderr
    svg = (out / "prone-press-up.svg").read_text()
    assert svg.startswith("<svg") and "Press-up lying on your front" in svg
    assert (out / "prone-press-up.png").read_bytes().startswith(PNG_SIGNATURE)
    assert (out / "contact-sheet.svg").exists()
    assert (out / "contact-sheet.png").read_bytes().startswith(PNG_SIGNATURE)
    assert "to " + str(out) in result.stdout.replace("\n", "")


def test_unknown_id_is_an_error_with_a_suggestion(home: Path, tmp_path: Path) -> None:
    result = run_cli("figures", "--id", "prone-pres-up", "--out", str(tmp_path), home=home)
    assert result.returncode == 2
    assert "prone-press-up" in result.stderr


def test_no_png_writes_only_svg(home: Path, tmp_path: Path) -> None:
    result = run_cli(
        "figures", "--id", "prone-on-elbows", "--out", str(tmp_path), "--no-png", home=home
    )
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob("*.png"))
    assert (tmp_path / "prone-on-elbows.svg").exists()
