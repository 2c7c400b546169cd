"""How long-running commands show progress: rich on a terminal, silent in tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table


class Reporter(Protocol):
    def step(self, title: str) -> None: ...
    def info(self, text: str) -> None: ...
    def table(
        self, title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
    ) -> None: ...
    def start_progress(self, label: str, total: int) -> None: ...
    def advance(self, done: int) -> None: ...
    def end_progress(self) -> None: ...


class RichReporter:
    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def step(self, title: str) -> None:
        self.console.rule(f"[bold]{title}")

    def info(self, text: str) -> None:
        self.console.print(text)

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*(str(c) for c in row))
        self.console.print(table)

    def start_progress(self, label: str, total: int) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=total)

    def advance(self, done: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done)

    def end_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
        self._progress = None


class SilentReporter:
    """For tests: records what would have been shown."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def step(self, title: str) -> None:
        self.lines.append(f"== {title}")

    def info(self, text: str) -> None:
        self.lines.append(text)

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        self.lines.append(f"{title}: {len(rows)} rows")

    def start_progress(self, label: str, total: int) -> None:
        self.lines.append(f"{label} (0/{total})")

    def advance(self, done: int) -> None:
        pass

    def end_progress(self) -> None:
        pass
