"""The camera coach's measured accuracy, gathered across tests and printed as a summary."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class Figures:
    runs: int = 0
    exact_counts: int = 0
    count_errors: list[int] = field(default_factory=list)
    hold_errors: list[float] = field(default_factory=list)
    true_faults: int = 0
    false_faults: int = 0
    missed_faults: int = 0
    notes: list[str] = field(default_factory=list)

    def add_run(self, counted: int, truth: int) -> None:
        self.runs += 1
        self.exact_counts += counted == truth
        self.count_errors.append(counted - truth)

    @property
    def precision(self) -> float:
        found = self.true_faults + self.false_faults
        return self.true_faults / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_faults + self.missed_faults
        return self.true_faults / wanted if wanted else 1.0


FIGURES = Figures()


def summary() -> list[str]:
    f = FIGURES
    if not f.runs and not f.notes:
        return []
    lines = []
    if f.runs:
        holds = f.hold_errors or [0.0]
        lines += [
            f"synthetic runs: {f.runs}; rep count exact in {f.exact_counts} "
            f"({f.exact_counts / f.runs:.1%}); mean |count error| "
            f"{statistics.fmean(abs(e) for e in f.count_errors):.3f} reps",
            f"hold time error over {len(f.hold_errors)} holds: mean |error| "
            f"{statistics.fmean(abs(e) for e in holds):.2f} s, "
            f"worst {max(abs(e) for e in holds):.2f} s, "
            f"mean signed {statistics.fmean(holds):+.2f} s",
            f"form faults: precision {f.precision:.1%}, recall {f.recall:.1%} "
            f"({f.true_faults} found, {f.false_faults} false, {f.missed_faults} missed)",
        ]
    return lines + f.notes
