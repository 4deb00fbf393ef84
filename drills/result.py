"""What every drill reports: one line of figures, pass or fail."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DrillResult:
    """The outcome of one drill on one database backend."""

    number: int  # the drill's number in issue 8 (1..12)
    name: str  # short name, e.g. "broker crash"
    backend: str  # "sqlite" or "postgres"
    ok: bool
    figures: dict[str, int | float | str] = field(default_factory=dict)
    notes: str = ""  # what failed, or what was bounded (e.g. a smaller count than the full drill)
    seconds: float = 0.0

    def line(self) -> str:
        """One printable line: number, name, backend, PASS/FAIL and the figures."""
        figs = ", ".join(f"{k}={v}" for k, v in self.figures.items())
        status = "PASS" if self.ok else "FAIL"
        tail = f" — {self.notes}" if self.notes else ""
        head = f"{self.number:>2}. {self.name:<28} {self.backend:<8} {status}"
        return f"{head} {figs} ({self.seconds:.1f} s){tail}"
