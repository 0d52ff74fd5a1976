"""Making a build's files on a Dask cluster: ``leaflet build --cluster ADDRESS``.

The one module that uses Dask distributed.  Its scheduler and workers are started with
Dask's own commands (``dask scheduler``, ``dask worker``; README, "A library on a
cluster"); the build connects as a client.  Phase 1 (reading, checking, deciding) stays
in the main process; each batch of phase 2 (making the files of some leaflet-locales)
is a Dask task whose result is every file's bytes with its SHA-256.  The main process
checks each against its SHA-256 and is the one writer of files, manifests and records,
so a worker needs no access to ``output/``.  The speech cache is content-addressed (a
piece's name is the hash of what was said and how) and locked per folder: workers that
share its folder (the same machine, or shared storage mounted at the same path)
synthesise each sentence once.

A worker that dies mid-task loses nothing: the scheduler gives its task to another
worker (Dask tries a task on up to ``distributed.scheduler.allowed-failures`` + 1 = 4
workers before giving up), and since a task writes nothing, a task made twice is the
same bytes.  Before any work is sent, every worker is checked to run the same pipeline
(code and library versions, as in the build key), the same LibreOffice and liblouis
and the same fonts as this process: otherwise its files would differ from ``--jobs 1``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from pipeline.errors import LeafletError

Item = TypeVar("Item")
Result = TypeVar("Result")

CONNECT_TIMEOUT = 10.0
"""Seconds to reach the scheduler before saying it cannot be reached (``LEAFLET_CLUSTER_TIMEOUT`` another)."""
WORKER_WAIT = 3
"""How many connection timeouts to wait for the scheduler to have at least one worker (30 s)."""
IN_FLIGHT = 3
"""Tasks sent ahead per worker: enough to keep it busy, few enough that the scheduler does not hold
the whole library's models at once."""

log = logging.getLogger("pipeline")


class Cluster:
    """A connected Dask client whose workers were checked to make the same files as this process."""

    def __init__(self, client: Any, address: str, workers: int) -> None:
        self.client, self.address, self.workers = client, address, workers

    def run(self, task: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[tuple[int, Result]]:
        """Yield ``(i, task(items[i]))`` as the workers finish them (about :data:`IN_FLIGHT` per worker
        sent ahead).  An exception in ``task`` is raised here; a worker that dies has its task made
        again elsewhere; if the scheduler is lost, the build stops with a :class:`RuntimeError`."""
        from distributed import as_completed

        from pipeline.workers import replay

        lost = _lost_errors()
        todo = list(enumerate(items))
        todo.reverse()
        window = max(2, IN_FLIGHT * self.workers)
        numbers: dict[Any, int] = {}

        def send() -> Any:
            i, item = todo.pop()
            future = self.client.submit(_run_task, task, item, pure=False)
            numbers[future] = i
            return future

        running = as_completed([send() for _ in range(min(window, len(todo)))], loop=self.client.loop)  # type: ignore[no-untyped-call]
        try:
            for future in running:
                i = numbers.pop(future)
                try:
                    result, records = future.result()
                except lost as exc:
                    raise RuntimeError(f"{self.address}: {_lost(exc)}") from None
                replay(records)
                future.release()
                if todo:
                    running.add(send())  # type: ignore[no-untyped-call]
                yield i, result
        finally:
            if numbers:  # stopped early (an error, Ctrl-C): take back what was sent
                with contextlib.suppress(Exception):
                    self.client.cancel(list(numbers))


@contextlib.contextmanager
def connected(address: str, formats: Sequence[Any]) -> Iterator[Cluster]:
    """Connect to the scheduler at ``address`` and check its workers; one :class:`LeafletError`
    (exit 2) when it cannot be reached, has no workers, or a worker would make other bytes."""
    client = _connect(address)
    try:
        workers = _check_workers(client, address, formats)
        yield Cluster(client, address, workers)
    finally:
        with _quiet():
            client.close(timeout=5)


def _connect(address: str) -> Any:
    from distributed import Client

    timeout = _timeout()
    try:
        # A plain connection first: a Client that fails half-way through starting hangs for 20 s
        # when it is collected, and whatever answers (an HTTP server, a proxy) must be one line.
        asyncio.run(asyncio.wait_for(_probe(address, timeout), timeout + 1))
        with _quiet():
            return Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the scheduler could not be used
        raise LeafletError(address, f"cannot reach the Dask scheduler ({_reason(exc)}): start it with "
                                    "'dask scheduler' and its workers with 'dask worker ADDRESS --nthreads 1' (README, "
                                    "'A library on a cluster'), or build on this machine without --cluster") from None


async def _probe(address: str, timeout: float) -> None:
    """Connect to ``address`` and go through Dask's handshake, then hang up."""
    from distributed.comm.core import connect

    with _quiet():
        comm = await connect(address, timeout=timeout)  # type: ignore[no-untyped-call]
        await comm.close()


def _timeout() -> float:
    """:data:`CONNECT_TIMEOUT`, or ``LEAFLET_CLUSTER_TIMEOUT`` seconds (a slow network)."""
    try:
        return max(1.0, float(os.environ.get("LEAFLET_CLUSTER_TIMEOUT", CONNECT_TIMEOUT)))
    except ValueError:
        return CONNECT_TIMEOUT


def _check_workers(client: Any, address: str, formats: Sequence[Any]) -> int:
    """The number of workers, once each is known to make the same files as this process."""
    wait = WORKER_WAIT * _timeout()
    try:
        client.wait_for_workers(1, timeout=wait)
    except TimeoutError:
        raise LeafletError(address, f"the Dask scheduler has no workers (waited {wait:g} s): start some with "
                                    f"'dask worker {address} --nthreads 1'") from None
    names = sorted({f.name for f in formats})
    here = facts(names)
    try:
        theirs: dict[str, dict[str, Any]] = client.run(facts, names)
    except (ImportError, AttributeError) as exc:
        raise LeafletError(address, f"a worker cannot load the pipeline ({exc}): start the workers from this "
                                    "project's venv (.venv/bin/dask worker ...)") from None
    for worker, found in sorted(theirs.items()):
        differences = _differences(here, found)
        if differences:
            raise LeafletError(address, f"worker {worker} would not make the same files as this machine: "
                                        f"{'; '.join(differences)}. Install the same commit there with make (the "
                                        "same locked packages), the same programs and fonts, and restart its workers "
                                        "(a worker keeps the code it started with)")
    threads = client.nthreads()
    many = sorted(w for w, n in threads.items() if n > 1)
    if many:
        log.warning("cluster: worker(s) %s run %d threads each, but a worker makes one leaflet at a time (LibreOffice "
                    "and the voices are one per process): start them with --nthreads 1 --nworkers N",
                    ", ".join(many), max(threads[w] for w in many))
    return len(threads)


def facts(formats: Sequence[str]) -> dict[str, Any]:
    """What decides the bytes a process makes: the pipeline's code and libraries, and the programs and
    fonts the ``formats`` use.  Run on every worker and compared with this process's."""
    from pipeline.build import engine_of
    from pipeline.exporters import FORMATS
    from pipeline.output import tool_fingerprint, tool_versions
    from pipeline.programs import missing_program

    found: dict[str, Any] = {"code": tool_fingerprint(), "versions": tool_versions()}
    for name in formats:
        fmt = FORMATS.get(name)
        if fmt is None or not fmt.requires:
            continue
        why = missing_program(fmt.requires)
        found[f"program:{fmt.requires}"] = f"missing ({why})" if why else engine_of(fmt)
    if any(FORMATS[n].requires == "soffice" for n in formats if n in FORMATS):
        found["fonts"] = _fonts()
    if any(FORMATS[n].speech for n in formats if n in FORMATS):
        found["voices"] = _voices()
    return found


def _voices() -> str:
    """The neural voices installed (name and model hash) and the engine's version: a recording depends on them."""
    from importlib.metadata import PackageNotFoundError, version

    from pipeline.speech.engines import EngineUnavailable
    from pipeline.speech.neural import installed

    try:
        engine = f"hibari {version('hibari-tts')}"
    except PackageNotFoundError:
        engine = "hibari missing"
    try:
        voices = ", ".join(sorted(v.key for v in installed()))
    except EngineUnavailable:
        voices = "none"
    return f"{engine}: {voices or 'none'}"


def _fonts() -> str:
    """The fonts LibreOffice can use (family, style, version), as one hash: a PDF depends on them."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{family}|%{style}|%{fontversion}\n"], capture_output=True,
                                text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (fc-list did not run)"
    return hashlib.sha256("\n".join(sorted(set(listed.splitlines()))).encode()).hexdigest()[:16]


def _differences(here: dict[str, Any], there: dict[str, Any]) -> list[str]:
    said = []
    versions_here, versions_there = here.get("versions", {}), there.get("versions", {})
    for name in sorted(set(versions_here) | set(versions_there)):
        if versions_here.get(name) != versions_there.get(name):
            said.append(f"{name} {versions_there.get(name, 'missing')} (here {versions_here.get(name, 'missing')})")
    if not said and here.get("code") != there.get("code"):
        said.append("the pipeline's code differs (another commit, or edited)")
    for key in sorted(k for k in set(here) | set(there) if k.startswith("program:")):
        if here.get(key) != there.get(key):
            said.append(f"{key.split(':', 1)[1]} {there.get(key, 'missing')} (here {here.get(key, 'missing')})")
    if here.get("fonts") != there.get("fonts"):
        said.append("other fonts are installed (a PDF's text would be set differently)")
    if here.get("voices") != there.get("voices"):
        said.append(f"other voices: {there.get('voices')} (here {here.get('voices')})")
    return said


_task_lock = threading.Lock()


def _run_task(task: Callable[[Item], Result], item: Item) -> tuple[Result, list[logging.LogRecord]]:
    """On a worker: run one task, one at a time in the process, and keep the pipeline's log records
    to send back with the result (the main process logs them, as it does its own workers')."""
    from pipeline.workers import Collector

    logger = logging.getLogger("pipeline")
    with _task_lock:
        collector = Collector()
        logger.addHandler(collector)
        propagate, logger.propagate = logger.propagate, False
        try:
            return task(item), collector.take()
        except OSError as exc:
            # Named as the worker's: the main process would otherwise report it as its own output folder.
            import socket

            raise RuntimeError(f"on the cluster worker {socket.gethostname()} (pid {os.getpid()}): "
                               f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}") from None
        finally:
            logger.removeHandler(collector)
            logger.propagate = propagate


def _lost_errors() -> tuple[type[BaseException], ...]:
    """The Dask exceptions that mean work was lost (a task that killed its workers, the scheduler gone)."""
    from distributed import CancelledError, KilledWorker
    from distributed.client import ClosedClientError
    from distributed.comm.core import CommClosedError

    return (KilledWorker, CommClosedError, CancelledError, ClosedClientError)


def _lost(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "KilledWorker":
        return ("a task killed every worker it was given to (it was tried on several): nothing of it was written; "
                "the workers' logs say why (often memory)")
    return f"the connection to the scheduler was lost mid-build ({exc}); what was written so far is recorded: run " \
           "the build again to finish"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError | TimeoutError) and not str(exc).strip():
        return "no answer"
    if isinstance(exc, MemoryError):  # a length read from whatever answered instead of a scheduler
        return "what answered there is not a Dask scheduler"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:160]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Dask's own log lines (connection retries, a closing client) are not for the person running make."""
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado", "asyncio")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
