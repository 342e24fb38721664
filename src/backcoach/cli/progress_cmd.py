"""`backcoach progress`, `report` and `handout`: trends, the clinician's PDF, the printable
programme. The check-in and activity commands live in checkin_cmd and are registered here."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from backcoach.cli.common import console, err_console, fail, person_context, print_json

SPARKS = "▁▂▃▄▅▆▇█"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `backcoach` app."""
    from backcoach.cli import checkin_cmd

    app.command("progress")(progress)
    app.command("report")(report)
    app.command("handout")(handout)
    checkin_cmd.register(app)


def sparkline(values: list[float], top: float = 10.0) -> str:
    """One character per reading on a fixed 0-``top`` scale, so lines compare at a glance."""
    last = len(SPARKS) - 1
    return "".join(SPARKS[max(0, min(last, round(v / top * last)))] for v in values)


def _out_file(path: Path, suffixes: tuple[str, ...], option: str) -> Path:
    if path.suffix.lower() not in suffixes:
        raise fail(
            f"{option}: {path} should end in {' or '.join(suffixes)}; "
            f"e.g. {option} progress{suffixes[0]}"
        )
    if not path.parent.is_dir():
        raise fail(f"{option}: the folder {path.parent} does not exist; create it or pick another")
    return path


def _write(path: Path, data: bytes, option: str) -> None:
    """Charts, the report and the handout hold the person's health data: owner-only (0600)."""
    from backcoach.services.sharing import write_private

    try:
        write_private(path, data)
    except OSError as exc:
        raise fail(f"{option}: cannot write {path}: {exc.strerror}; pick another file") from None


def progress(
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    chart: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Also draw the chart to FILE.png or FILE.svg."),
    ] = None,
) -> None:
    """How your pain, activities and sessions are going, in plain words."""
    from backcoach.services.progress import progress_summary

    if chart is not None:
        _out_file(chart, (".png", ".svg"), "--chart")
    person = person_context()
    summary = progress_summary(person.store, person.catalogue, person.today())
    if chart is not None:
        from backcoach.reports.charts import progress_chart

        svg = chart.suffix.lower() == ".svg"
        _write(chart, progress_chart(summary, "svg" if svg else "png"), "--chart")
    if as_json:
        print_json(summary)
        return
    show_summary(summary)
    if chart is not None:
        console.print(f"\nChart saved to {chart}")


def _number(value: float) -> str:
    """A score as a person says it: 7.666 -> "7.7", 3.0 -> "3"."""
    return f"{round(value, 1):g}"


def show_summary(summary: dict[str, Any]) -> None:
    from rich.table import Table

    console.print(f"[bold]Your progress[/] (up to {summary['today']})\n")
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    rows = (
        ("Worst pain in 24 h", summary["pain"]["worst_24h"]["series"], "lower is better"),
        ("Pain now", summary["pain"]["now"]["series"], "lower is better"),
        ("Activity score", summary["activities"]["mean_series"], "higher is better"),
    )
    for label, series, hint in rows:
        if not series:
            table.add_row(label, "[dim]no readings yet[/]", "", "")
            continue
        values = [p["score"] for p in series]
        span = _number(values[0])
        if len(values) > 1:
            span += f" → {_number(values[-1])}"
        table.add_row(label, f"[cyan]{sparkline(values)}[/]", span, f"[dim]{hint}[/]")
    console.print(table)
    for message in summary["messages"]:
        console.print(f"  • {message}")
    _show_adherence(summary["adherence"])
    changes = [d for d in summary["decisions"] if d["action"] not in ("same", "start")]
    if changes:
        console.print("\n[bold]Recent dose changes[/]")
        for d in changes[-5:]:
            console.print(f"  {d['date']}  {d['reason']}")
    due = summary["due"]
    if due["weekly_checkin"] or due["activities"]:
        console.print("\nYour weekly check-in is due: [bold cyan]backcoach checkin[/]")
    if not summary["activities"]["current"]:
        console.print(
            "Name 3 to 5 activities your back makes hard, to see them improve: "
            '[bold cyan]backcoach activities add "putting on socks"[/]'
        )
    elif due["activities_missing"]:
        console.print(
            "You could add another activity your back makes hard (3 to 5 give a fair "
            "picture): [bold cyan]backcoach activities add NAME[/]"
        )


def _show_adherence(a: dict[str, Any]) -> None:
    console.print("\n[bold]Sessions[/]")
    if not a["weeks"]:
        console.print("  None yet. Start one with [bold cyan]backcoach start[/].")
        return
    total, streak = a["total"], a["streak"]
    console.print(f"  {done_text(total, a['summary_weeks'])}")
    console.print(f"  {run_text(streak)}")
    done = [
        min(w["done"], w["planned"]) / w["planned"] * 10 if w["planned"] else 10 for w in a["weeks"]
    ]
    console.print(f"  Weekly: [cyan]{sparkline(done)}[/] [dim](done of planned, week by week)[/]")
    week = a["weeks"][-1]
    if week["current"]:
        console.print(f"  This week so far: {week_text(week)}.")
    if a["stopped"]:
        console.print(f"\n[bold]Stopped by a stop rule[/] ({len(a['stopped'])})")
        for s in a["stopped"][-3:]:
            console.print(f"  {s['date']}  {s['name']}: {'; '.join(s['reasons'])}")
    for f in a["flare_ups"]:
        console.print(f"\n[bold]Flare-up[/] {f['date']} to {f['until']}: {f['reason']}")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def done_text(total: dict[str, Any], weeks: int) -> str:
    """Sessions done against the planned days so far, never "1 done of 0 planned": sessions
    beyond the plan (an extra day, a day before the first planned one) are said as extras."""
    done, due = total["done"], total["due"]
    minutes = f"about {round(total['minutes'])} min of exercise"
    if due == 0:
        return f"{_plural(done, 'session')} done in the last {weeks} weeks, {minutes}."
    text = f"{done} done of {due} planned in the last {weeks} weeks"
    if done > due:
        text = (
            f"{_plural(done, 'session')} done in the last {weeks} weeks, more than the {due} "
            "planned so far"
        )
    return f"{text}, {minutes}."


def week_text(week: dict[str, Any]) -> str:
    """This week so far: "2 of 3", or on a week with nothing planned yet, "1 session"."""
    if not week["planned"]:
        return f"{_plural(week['done'], 'session')} (none planned)"
    return f"{week['done']} of {week['planned']}"


def run_text(streak: dict[str, int]) -> str:
    """The streak in kind words: planned days done in a row; a run that ended is a fresh
    start, not a failure."""
    if not streak["days"]:
        return "Your next planned session starts a new run."
    forgiven = streak["forgiven"]
    text = f"Current run: {_plural(streak['days'], 'planned day')} done in a row"
    if forgiven:
        text += f" ({_plural(forgiven, 'missed day')} forgiven)"
    return text + "."


def report(
    out: Annotated[Path, typer.Option(metavar="FILE.pdf", help="Where to save the PDF.")],
) -> None:
    """A PDF report for your physiotherapist: profile, screen, programme, adherence, trends."""
    _out_file(out, (".pdf",), "--out")
    from backcoach.services.documents import report_pdf

    person = person_context()
    _write(out, report_pdf(person.store, person.catalogue, person.today()), "--out")
    console.print(f"Report saved to {out}")


def handout(
    out: Annotated[Path, typer.Option(metavar="FILE.pdf", help="Where to save the PDF.")],
) -> None:
    """Your programme on paper: each exercise with its picture, steps, dose and cautions."""
    _out_file(out, (".pdf",), "--out")
    from backcoach.errors import PlanRefused
    from backcoach.services.documents import handout_pdf

    person = person_context()
    try:
        pdf = handout_pdf(person.store, person.catalogue, person.today())
    except PlanRefused as exc:
        err_console.print(f"[bold yellow]No programme yet.[/] {exc}")
        raise typer.Exit(3) from None
    _write(out, pdf, "--out")
    console.print(f"Handout saved to {out}")
