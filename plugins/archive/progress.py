"""Progress of a long export or import: the CLI draws rich bars, the API and tests ignore it."""

from __future__ import annotations

from typing import Any


class Progress:
    """Receives the steps of an export or import. This base class does nothing."""

    def start(self, step: str, label: str, total: int | None = None) -> None:
        """A step begins; ``total`` is the number of units when known."""

    def advance(self, step: str, amount: int = 1) -> None:
        """``amount`` more units of ``step`` are done."""

    def finish(self, step: str) -> None:
        """The step is over."""


class RichProgress(Progress):
    """Progress bars on the terminal (``rich``), one per step."""

    def __init__(self, console: Any = None) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import (
            Progress as Bars,
        )

        self.bars = Bars(SpinnerColumn(), TextColumn("{task.description:<28}"), BarColumn(),
                         MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=False)
        self.tasks: dict[str, Any] = {}
        self.started = False

    def __enter__(self) -> RichProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.started:
            self.bars.stop()

    def start(self, step: str, label: str, total: int | None = None) -> None:
        if not self.started:  # nothing drawn (not even a blank line) before the first step
            self.bars.start()
            self.started = True
        self.tasks[step] = self.bars.add_task(label, total=total)

    def advance(self, step: str, amount: int = 1) -> None:
        if step in self.tasks:
            self.bars.advance(self.tasks[step], amount)

    def finish(self, step: str) -> None:
        if step in self.tasks:
            task = self.tasks[step]
            completed = self.bars.tasks[task].completed
            self.bars.update(task, total=max(completed, 1) if completed else 1,
                             completed=max(completed, 1) if completed else 1)
