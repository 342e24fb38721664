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
    # The animation is written too, and plays.
    animation = (out / "prone-press-up.anim.svg").read_text()
    assert animation.startswith("<svg") and "<animate " in animation
    # --width sets the PNG's width; the contact sheet is twice as wide.
    assert _png_width(out / "prone-press-up.png") == 600
    assert _png_width(out / "contact-sheet.png") == 1200
    assert "Wrote 5 files" in result.stdout


def _png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big")


def test_a_file_that_cannot_be_written_is_named_with_the_reason(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "figs"
    (out / "prone-press-up.png").mkdir(parents=True)  # a folder where the PNG should go
    result = run_cli("figures", "--id", "prone-press-up", "--out", str(out), home=home)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    error = result.stderr.replace("\n", "")
    assert f"cannot write '{out / 'prone-press-up.png'}' (Is a directory)" in error
    assert "--out" in error


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


def test_a_version_is_drawn_under_its_own_name(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "figs"
    args = ("figures", "--id", "prone-press-up", "--no-png", "--out", str(out))
    result = run_cli(*args, "--version", "wrist", home=home)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "prone-press-up--wrist.anim.svg",
        "prone-press-up--wrist.svg",
    ]
    usual = run_cli(*args, home=home)
    assert usual.returncode == 0, usual.stderr
    # The wrist version (on the forearms) is another picture than the usual one.
    assert (out / "prone-press-up--wrist.svg").read_text() != (
        out / "prone-press-up.svg"
    ).read_text()
    # Without --id: every exercise that draws the version, and only those.
    every = tmp_path / "every"
    result = run_cli("figures", "--no-png", "--out", str(every), "--version", "wrist", home=home)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in every.glob("*.svg") if not p.name.endswith(".anim.svg"))
    assert "prone-press-up--wrist.svg" in names and "cat-cow--wrist.svg" in names
    assert all(name.endswith("--wrist.svg") for name in names)


def test_an_unknown_version_lists_the_drawn_ones(home: Path, tmp_path: Path) -> None:
    args = ("figures", "--no-png", "--out", str(tmp_path / "figs"), "--version")
    result = run_cli(*args, "wirst", "--id", "prone-press-up", home=home)
    assert result.returncode == 2
    error = " ".join(result.stderr.split())
    assert "has no drawn version 'wirst'; drawn versions: wrist" in error, error
    assert "leave --version out" in error
    result = run_cli(*args, "wirst", home=home)
    assert result.returncode == 2
    error = " ".join(result.stderr.split())
    assert "no exercise is drawn in a version for 'wirst'; drawn versions: " in error, error
    assert "wrist" in error.split("drawn versions: ")[1]
    assert not (tmp_path / "figs").exists() or not any((tmp_path / "figs").iterdir())
