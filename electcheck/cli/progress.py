"""One progress bar for long commands: rich on a terminal, nothing (or one line per item) otherwise."""

from __future__ import annotations

import sys


class Bar:
    """A rich bar on ``stream`` (stderr) — done / total, a description, elapsed time — only when
    the stream is a terminal and -q is not given. ``lines=True``: off a terminal, each
    :meth:`advance` prints its description as a line instead (CI logs, pipes).
    """

    def __init__(self, label: str, quiet: bool, total: int | None = None, stream=None, lines: bool = False):
        self.live = None
        self.quiet = quiet
        self.stream = sys.stderr if stream is None else stream
        self.lines = lines and not quiet
        if not quiet and self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.live = Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=Console(file=self.stream), transient=True)
            self.task = self.live.add_task("starting", total=total)
            self.lines = False

    def __enter__(self):
        if self.live:
            self.live.__enter__()
        return self

    def __exit__(self, *a):
        if self.live:
            self.live.__exit__(*a)

    def update(self, completed: int, total: int | None = None, description: str | None = None) -> None:
        if self.live:
            kw = {"completed": completed}
            if total is not None:
                kw["total"] = total
            if description is not None:
                kw["description"] = description
            self.live.update(self.task, **kw)

    def advance(self, description: str) -> None:
        if self.live:
            self.live.update(self.task, advance=1, description=description)
        elif self.lines:
            print(description, file=self.stream)
