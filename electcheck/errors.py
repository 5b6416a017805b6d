"""Errors that stop a command. Problems inside data are Findings, not exceptions."""

from __future__ import annotations


class ElectcheckError(Exception):
    """Base class: the CLI turns these into one line on stderr and exit code 2."""


class InputError(ElectcheckError):
    """Input that cannot be used at all, located as precisely as we can.

    ``row`` is the row number as a spreadsheet shows it (header = row 1).
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, value: str | None = None, hint: str | None = None):
        self.message, self.file, self.row, self.column = message, file, row, column
        self.value, self.hint = value, hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (got {shown!r})"
        if self.hint:
            text += f". {self.hint}"
        return text


class DataNotFound(ElectcheckError):
    """A named dataset file is not available locally and cannot be downloaded."""
