"""What the terminal player draws: pure functions from a screen description to Rich renderables.

Every region has a fixed height, so nothing on the screen moves as the timer runs or as a
question replaces the countdown; the eye finds the countdown in the same place every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from backcoach.session import Now, Progress, SessionDefinition, SessionSummary
from backcoach.session.cues import BREATH_WORDS
from backcoach.session.effects import BreathKind
from backcoach.session.now import PHASE_LABELS
from backcoach.session.timing import whole_seconds_left

BIG_FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
}
"""A 3x5 block font; each cell is drawn two characters wide so digits look square."""
BIG_HEIGHT = 5

PHASE_STYLES = {
    "move": "bold green",
    "hold": "bold cyan",
    "release": "bold green",
    "timed": "bold green",
    "rest": "bold blue",
    "switch-side": "bold magenta",
    "get-ready": "bold yellow",
}
STEP_LINES = 3
CUE_LINES = 2
CENTRE_LINES = 8
KEY_LINES = 2
CAMERA_LINES = 2
"""The key help may wrap on a narrow terminal; it always takes two lines so nothing jumps."""


def clock_text(seconds: int) -> str:
    """``45`` -> "45", ``75`` -> "1:15"."""
    if seconds < 60:
        return str(seconds)
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def big_text(text: str) -> list[str]:
    """``text`` (digits and colons) in the block font: ``BIG_HEIGHT`` lines of equal width."""
    rows = [""] * BIG_HEIGHT
    for position, char in enumerate(text):
        glyph = BIG_FONT.get(char)
        if glyph is None:
            raise ValueError(f"no big glyph for {char!r}; use digits and ':'")
        for row in range(BIG_HEIGHT):
            cells = "".join("██" if cell == "#" else "  " for cell in glyph[row])
            rows[row] += ("  " if position else "") + cells
    return rows


class Fixed:
    """A renderable cut or padded to exactly ``height`` lines."""

    def __init__(self, renderable: RenderableType, height: int) -> None:
        self.renderable = renderable
        self.height = height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = console.render_lines(self.renderable, options.update(height=self.height), pad=True)
        for line in lines:
            yield from line
            yield Segment.line()


@dataclass(frozen=True)
class Question:
    """A prompt shown in place of the countdown."""

    title: str
    text: str
    detail: str = ""
    style: str = "bold yellow"
    answered: str = ""
    """Answers given so far to a question in several parts."""


@dataclass(frozen=True)
class Screen:
    """Everything drawn in one frame: what is happening now (the model both players render),
    the question the keys are answering, and the key help."""

    now: Now
    question: Question | None
    keys: Sequence[tuple[str, str]]
    """(key, what it does) pairs for the help line."""
    camera: str | None = None
    """With --camera: what the camera coach sees now, or why it is not watching."""
    watched: bool = False
    """The session waits for the camera's count (``Watch``), not the timer."""

    @property
    def view(self) -> Progress:
        return self.now.progress

    @property
    def cue(self) -> str:
        return self.now.cue

    @property
    def breath(self) -> BreathKind | None:
        return self.now.breath


AT_YOUR_PACE = "At your own pace: press r or Enter when the repetition is done."
AT_YOUR_PACE_CAMERA = "At your own pace: the camera counts each repetition (or press r)."


def phase_line(view: Progress, breath: BreathKind | None) -> Text:
    label = PHASE_LABELS.get(view.phase, view.phase.replace("-", " ").capitalize())
    style = PHASE_STYLES.get(view.phase, "bold")
    if breath is not None and not view.paused:
        label, style = BREATH_WORDS[breath], "bold cyan"
    line = Text()
    if view.paused:
        line.append("Paused", "bold black on yellow")
        line.append("  ")
        line.append(label, "dim")
    else:
        line.append(label, style)
    details = []
    if view.rep is not None and view.reps_target:
        details.append(f"Rep {view.rep} of {view.reps_target}")
    if view.set_number is not None and view.sets_target:
        details.append(f"Set {view.set_number} of {view.sets_target}")
    if view.side is not None:
        details.append(f"{view.side} side")
    if details:
        line.append("   " + " · ".join(details))
    return line


def countdown(view: Progress, camera: bool = False) -> RenderableType:
    """The big countdown; while the reps wait for the person (or the camera's count, with
    ``camera``) there is none, and the box says so."""
    if view.seconds_left is None:
        if view.phase in ("move", "release") and camera:
            message = AT_YOUR_PACE_CAMERA
        elif view.phase == "move":
            message = AT_YOUR_PACE
        else:
            return Text("")
        return Text(f"\n\n{message}", justify="center", style="bold")
    seconds = whole_seconds_left(view.seconds_left)
    style = "dim" if view.paused else "bold"
    digits = Text("\n".join(big_text(clock_text(seconds))), style=style, justify="center")
    unit = "paused: press space to carry on" if view.paused else "seconds left"
    if seconds >= 60 and not view.paused:
        unit = "minutes left"
    return Group(Text(""), digits, Text(unit, style="dim", justify="center"))


def question(q: Question) -> RenderableType:
    parts = [
        Text(q.title, style=q.style),
        Text(""),
        Text(q.text, style="bold"),
        Text(""),
        Text(q.detail, style="yellow"),
    ]
    if q.answered:  # else the line is left to a long text (advice with its way on)
        parts.append(Text(q.answered, style="dim"))
    return Group(*parts)


def progress_line(fraction: float) -> RenderableType:
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=1)
    grid.add_column(width=12, justify="right")
    grid.add_row(
        ProgressBar(total=1.0, completed=max(0.0, min(1.0, fraction))),
        f"{round(fraction * 100):3d}% done",
    )
    return grid


KEY_SEPARATOR = "  ·  "


class KeyLine:
    """The key help, centred; on a narrow terminal it breaks between keys, never inside one."""

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        self.keys = keys

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = [Text(justify="center")]
        for key, meaning in self.keys:
            entry = Text()
            entry.append(key, "bold")
            entry.append(f" {meaning}", "dim")
            line = lines[-1]
            if line.plain:
                if line.cell_len + len(KEY_SEPARATOR) + entry.cell_len > options.max_width:
                    line = Text(justify="center")
                    lines.append(line)
                else:
                    line.append(KEY_SEPARATOR, "dim")
            line.append_text(entry)
        yield from lines


TITLES = {"pre-pain": "Today's session", "post-pain": "Last check-in", "finished": "Finished"}


def title_of(view: Progress) -> str:
    if view.phase in TITLES or view.exercise_name is None:
        return TITLES.get(view.phase, "backcoach")
    return view.exercise_name


def next_line(next_up: str) -> str:
    """The engine's "what's next" words, with "Next:" in front unless they already say it."""
    if not next_up or next_up.startswith("Next"):
        return next_up
    return f"Next: {next_up}"


def step_lines(now: Now) -> Text:
    """What to do in this phase: the person's own version when they have one (through every
    phase of the exercise: the usual steps would contradict it), else the phase's steps."""
    if now.version:
        text = Text("Your version: ", style="bold green")
        text.append(now.version, style="bold")
        return text
    return Text(now.instruction)


def camera_line(camera: str | None) -> list[RenderableType]:
    """With --camera, two lines (always two, so nothing moves) saying what the camera coach
    sees; without, nothing."""
    if camera is None:
        return []
    text = Text("Camera: ", style="bold magenta")
    text.append(camera)
    return [Fixed(text, CAMERA_LINES)]


def render(screen: Screen) -> RenderableType:
    view = screen.view
    centre = (
        question(screen.question)
        if screen.question is not None
        else countdown(view, screen.watched)
    )
    where = ""
    if view.item_index is not None:
        where = f"exercise {view.item_index + 1} of {view.items_total}"
    body = Group(
        Text(title_of(view).upper(), style="bold bright_white"),
        phase_line(view, screen.breath),
        Text(""),
        Fixed(step_lines(screen.now), STEP_LINES),
        Fixed(Text(f"» {screen.cue}" if screen.cue else "", style="italic"), CUE_LINES),
        Fixed(centre, CENTRE_LINES),
        Fixed(Text(next_line(view.next_up), style="dim"), 1),
        *camera_line(screen.camera),
        progress_line(view.fraction_done),
    )
    panel = Panel(
        body,
        title="[bold]backcoach[/]",
        subtitle=where,
        subtitle_align="right",
        padding=(0, 2),
    )
    return Group(panel, Fixed(KeyLine(screen.keys), KEY_LINES))


# --- after the session --------------------------------------------------------------------------

ENDINGS = {
    "completed": "Session finished.",
    "stopped": "Session stopped early.",
    "rescreen": "Session ended for your safety.",
}


def summary_panel(summary: SessionSummary, definition: SessionDefinition) -> Panel:
    """The session's summary: how it ended, exercises and sets done, active time, pain before
    and after, and which exercises were stopped or skipped (by name)."""
    lines = [
        f"[bold]{ENDINGS.get(summary.ended_by, summary.ended_by)}[/]",
        f"Exercises: {len(summary.finished)} finished, {len(summary.stopped)} stopped, "
        f"{len(summary.skipped)} skipped (of {summary.items_planned})",
        f"Sets done: {summary.sets_done} of {summary.sets_planned}",
        f"Active time: {minutes_text(summary.active_seconds)}",
    ]
    if summary.pain_before is not None or summary.pain_after is not None:
        lines.append(f"Pain: {score_text(summary.pain_before)} → {score_text(summary.pain_after)}")
    for label, ids in (("Stopped", summary.stopped), ("Skipped", summary.skipped)):
        if ids:
            names = (definition.exercise_name(i) or i for i in ids)
            lines.append(f"{label}: {', '.join(names)}")
    return Panel("\n".join(lines), title="Session summary", expand=False)


def minutes_text(seconds: float) -> str:
    """``75`` -> "1 min 15 s", ``40`` -> "40 s"."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def score_text(score: int | None) -> str:
    return "not given" if score is None else f"{score}/10"
