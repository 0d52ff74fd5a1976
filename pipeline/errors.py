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

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled by a build worker that found bad input, for the main process to report.
        return (_rebuild, (type(self), self.__dict__))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def _rebuild(cls: type[LeafletError], state: dict[str, object]) -> LeafletError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message"))
    error.__dict__.update(state)
    return error
