"""Worker processes: run one function over many items on every core.

The build forks its workers (Linux and macOS ``fork``), so they start with everything
the main process has already read and checked; only item numbers go to a worker and
only results come back.  The main process stays the one writer of anything shared
(manifests, the source index, the terminal): a worker's log records come back with
its result and are logged by the main process, in the order results arrive.

Stopping: Ctrl-C reaches the workers too (same process group); either way the main
process tells any worker still running to stop (SIGTERM), waits up to
:data:`STOP_WAIT` seconds and then kills it.  A worker that stops raises
``KeyboardInterrupt`` where it is, so what it started (LibreOffice) is ended on the way
out, and a worker whose main process dies is stopped by the kernel (Linux).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

STOP_WAIT = 1.5
"""Seconds a worker has to stop after it is told to, before it is killed."""

_in_worker = False


def in_worker() -> bool:
    """True inside a worker process (e.g. to draw no progress bars of its own)."""
    return _in_worker


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """True where worker processes can start as copies of this one."""
    return "fork" in multiprocessing.get_all_start_methods()


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from Linux's /proc (empty elsewhere): a build's workers and
    what they started, for measuring and testing."""
    from pathlib import Path

    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class WorkerDied(RuntimeError):
    """A worker process ended without reporting (killed, or crashed inside a library)."""


def run(work: Callable[[int], Result], count: int, jobs: int, *, batches: Sequence[Sequence[int]] | None = None,
        prepare: Callable[[Sequence[int]], None] | None = None,
        finish: Callable[[], None] | None = None) -> Iterator[tuple[int, Result]]:
    """Yield ``(i, work(i))`` for ``i`` in ``range(count)``, as workers finish them.

    ``batches`` groups item numbers that one worker takes together (default: one item
    each), in the order they are handed out; ``prepare(batch)`` runs in the worker before
    the batch's items (e.g. one LibreOffice run for all its PDFs).  ``finish()`` runs in
    each worker before it exits.  An exception in ``work`` is raised here, in the main
    process, once the other workers have stopped.  With ``jobs <= 1`` (or no ``fork``)
    everything runs in this process, in order.
    """
    groups = [list(b) for b in batches] if batches is not None else [[i] for i in range(count)]
    if jobs <= 1 or len(groups) <= 1 or not can_fork():
        try:
            for group in groups:
                if prepare is not None:
                    prepare(group)
                for i in group:
                    yield i, work(i)
        finally:
            if finish is not None:
                finish()
        return
    yield from _Pool(work, prepare, finish, min(jobs, len(groups))).map(groups)


class _Pool:
    def __init__(self, work: Callable[[int], Any], prepare: Callable[[Sequence[int]], None] | None,
                 finish: Callable[[], None] | None, size: int) -> None:
        self.work, self.prepare, self.finish, self.size = work, prepare, finish, size

    def map(self, groups: list[list[int]]) -> Iterator[tuple[int, Any]]:
        context = multiprocessing.get_context("fork")
        workers: list[tuple[Any, Any]] = []
        pending = list(reversed(groups))
        outstanding: dict[Any, int] = {}  # connection -> items of its batch not yet reported
        failure: BaseException | None = None
        finished = False
        try:
            for _ in range(self.size):
                mine, theirs = context.Pipe()
                process = context.Process(target=self._serve, args=(theirs,), daemon=True)
                process.start()
                theirs.close()
                workers.append((process, mine))
            for _, conn in workers:
                self._hand_out(conn, pending, outstanding)
            while outstanding and failure is None:
                # A worker that dies leaves its end of the pipe closed: its connection is then ready.
                ready = multiprocessing.connection.wait(list(outstanding))
                for conn in [c for c in outstanding if c in ready]:
                    try:
                        kind, index, payload, records = conn.recv()
                    except EOFError:  # it ended without reporting
                        process = next(p for p, c in workers if c is conn)
                        process.join(STOP_WAIT)
                        signum = (process.exitcode or 0) - 128
                        if signum in (signal.SIGTERM, signal.SIGHUP):
                            # The worker was stopped by the signal sent to the whole group, and says
                            # which in its exit code: named as such, however slow this process is to
                            # see its own copy.
                            raise Interrupted(signum) from None
                        if process.exitcode == 0:
                            # A worker leaves its work undone with a clean exit only when it was interrupted
                            # (Ctrl-C to the terminal's group): the build was interrupted, it did not fail,
                            # even when this process is slower than the worker to see its own signal.  A
                            # moment first, so that signal (SIGTERM, SIGHUP, sent to the whole group) is
                            # the one named, not taken for Ctrl-C.
                            time.sleep(0.2)
                            raise KeyboardInterrupt from None
                        failure = WorkerDied(f"a build worker stopped unexpectedly (exit code {process.exitcode}); "
                                             "what it was making was not recorded")
                        break
                    replay(records)
                    if kind == "error":
                        failure = payload
                        break
                    outstanding[conn] -= 1
                    yield index, payload
                    if outstanding[conn] == 0:
                        del outstanding[conn]
                        self._hand_out(conn, pending, outstanding)
            finished = failure is None
        finally:
            _stop(workers, graceful=finished)
        if failure is not None:
            raise failure

    def _hand_out(self, conn: Any, pending: list[list[int]], outstanding: dict[Any, int]) -> None:
        if pending:
            group = pending.pop()
            conn.send(group)
            outstanding[conn] = len(group)

    def _serve(self, conn: Any) -> None:
        """A worker's life: take a batch, report each item, until told to stop."""
        global _in_worker
        _in_worker = True
        _die_with_parent()
        for stop in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(stop, _interrupt)
        collector = _collect_logs()
        try:
            while True:
                group = conn.recv()
                if group is None:
                    break
                if self.prepare is not None:
                    with contextlib.suppress(Exception):
                        self.prepare(group)
                for index in group:
                    try:
                        message: tuple[str, int, Any, list[logging.LogRecord]] = (
                            "ok", index, self.work(index), collector.take())
                    except Exception as exc:  # noqa: BLE001 - raised again in the main process
                        message = ("error", index, _portable(exc), collector.take())
                    conn.send(message)
                    if message[0] == "error":
                        return
        except (KeyboardInterrupt, EOFError, BrokenPipeError):
            pass
        finally:
            if self.finish is not None:
                with contextlib.suppress(BaseException):
                    self.finish()
            with contextlib.suppress(BaseException):
                conn.close()
        if _signalled in (signal.SIGTERM, signal.SIGHUP):
            sys.exit(128 + _signalled)  # the exit code says which signal stopped it


class Interrupted(KeyboardInterrupt):
    """The build was stopped by ``signum`` (SIGTERM, SIGHUP), as a worker reported it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(workers: list[tuple[Any, Any]], graceful: bool) -> None:
    """Stop every worker: idle ones are told to, busy ones (an interrupted or failed build) are
    signalled at once; whatever is still running after :data:`STOP_WAIT` seconds is killed."""
    for process, conn in workers:
        if graceful:
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)
        elif process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT
    for process, _ in workers:
        process.join(max(0.0, deadline - time.monotonic()))
    for process, conn in workers:
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()


_stopping = False
_signalled = 0
"""The signal that stopped this worker (0: none)."""


def _interrupt(signum: int, frame: object) -> None:
    global _stopping, _signalled
    # Once is enough: a second signal (Ctrl-C, then the main process's SIGTERM) must not cut
    # short the clean-up, which ends LibreOffice.
    if not _stopping:
        _stopping = True
        _signalled = signum
        raise KeyboardInterrupt


def _die_with_parent() -> None:
    """Be told to stop (SIGTERM) when the main process dies, even by ``kill -9`` (Linux)."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _portable(exc: Exception) -> BaseException:
    """``exc`` if it survives the trip to the main process, else a RuntimeError saying the same."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any exception that does not pickle
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return RuntimeError(detail)
    return exc


class Collector(logging.Handler):
    """Keeps log records (made plain, so they pickle) to send to the main process."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        taken, self.records = self.records, []
        return taken


def _collect_logs() -> Collector:
    """In a worker: keep log records to send with the result, instead of writing them."""
    collector = Collector()
    for logger in [logging.getLogger(), *(v for v in logging.Logger.manager.loggerDict.values()
                                          if isinstance(v, logging.Logger))]:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
    logging.getLogger().addHandler(collector)
    return collector


def replay(records: list[logging.LogRecord]) -> None:
    """Log a worker's records in the main process, through its own handlers."""
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)
