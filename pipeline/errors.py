"""Errors the pipeline reports to its users."""

from __future__ import annotations


class LeafletError(Exception):
    """Bad input: a file the pipeline cannot read as a leaflet, or bad usage.

    The CLI prints it as one line, ``path:line: message``, and exits with 2.
    """

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
