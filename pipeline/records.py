"""The record of what was issued: one SQLite database, one row per file handed to a patient.

The record answers, months later, "which patients' copies came from the old version?".
It holds no patient name, address, date of birth or NHS number, on purpose: it must be
safe to keep on a shared drive.  The team's own reference (``--ref``, a ticket or request
number) links a row to the patient record kept elsewhere.

Each issued source's text and each catalogue's text are kept once, compressed, keyed by
their SHA-256, so a recall list can say which sections changed since a copy was made.

The schema's version is SQLite's ``PRAGMA user_version``; :data:`_MIGRATIONS` takes an
older database forward, one step per version, in the same transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import LeafletError

DEFAULT_DB = Path("records") / "requests.sqlite"
DB_ENV = "LEAFLET_DB"

_MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the first schema.
    """
    CREATE TABLE issued (
        id INTEGER PRIMARY KEY,
        issued_at TEXT NOT NULL,
        leaflet_code TEXT NOT NULL,
        title TEXT NOT NULL,
        source_path TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        last_reviewed TEXT,
        next_review TEXT,
        locale TEXT NOT NULL,
        language TEXT NOT NULL,
        catalogue_path TEXT,
        catalogue_sha256 TEXT,
        translator_check TEXT NOT NULL,
        checked_by TEXT,
        checked_on TEXT,
        format TEXT NOT NULL,
        options TEXT NOT NULL,
        output_path TEXT NOT NULL,
        output_sha256 TEXT NOT NULL,
        overrides TEXT NOT NULL,
        ref TEXT,
        pipeline_version TEXT NOT NULL
    );
    CREATE INDEX issued_leaflet ON issued (leaflet_code, issued_at);
    CREATE TABLE texts (
        sha256 TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        compressed BLOB NOT NULL
    );
    """,
    # 1 -> 2: what the desk itself made, so a file in output/ is handed over again only when
    # it still has the bytes the desk made (output/ is easier to change than the record).
    """
    CREATE TABLE made (
        build_key TEXT PRIMARY KEY,
        output_sha256 TEXT NOT NULL
    );
    """,
    # 2 -> 3: the one machine that writes a record kept on a network drive.
    """
    CREATE TABLE writer (
        host TEXT NOT NULL
    );
    """,
    # 3 -> 4: who issued each copy, and what happened to a copy afterwards (voided, resolved):
    # entries added, never a row changed or deleted.
    """
    ALTER TABLE issued ADD COLUMN issued_by TEXT;
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        issue_id INTEGER NOT NULL REFERENCES issued (id),
        kind TEXT NOT NULL CHECK (kind IN ('void', 'resolved')),
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX events_issue ON events (issue_id);
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)


class RecordError(LeafletError):
    """The record database cannot be opened, read or written (exit 2)."""


@dataclass
class Issued:
    """One file handed over: what it was made from, how, and under which overrides."""

    leaflet_code: str
    title: str
    source_path: str
    source_sha256: str
    locale: str
    language: str
    translator_check: str
    """``source`` (the leaflet's own language), ``checked`` or ``unchecked``."""
    format: str
    output_path: str
    output_sha256: str
    last_reviewed: str | None = None
    next_review: str | None = None
    catalogue_path: str | None = None
    catalogue_sha256: str | None = None
    checked_by: str | None = None
    checked_on: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    """The format's options: point size, speech engine and voice."""
    overrides: list[dict[str, str]] = field(default_factory=list)
    """``[{"override": "allow-unchecked", "reason": ...}]``."""
    ref: str | None = None
    pipeline_version: str = ""
    issued_at: str = ""
    """When, in UTC (ISO 8601); shown in local time by :func:`local_time`."""
    issued_by: str | None = None
    """The member of staff who issued it (``--by``, default the login name); ``None`` before schema 4."""
    id: int | None = None


@dataclass(frozen=True)
class Event:
    """Something that happened to an issued copy afterwards: ``void`` (recorded in error, never handed
    over) or ``resolved`` (the patient has a corrected copy, or was told)."""

    issue_id: int
    kind: str
    at: str
    by: str
    reason: str


def local_time(stamp: str) -> str:
    """A stored UTC time as the desk reads it: ``2026-07-01 17:05 BST (+01:00)``, in the machine's time
    zone, or Europe/London where the machine keeps UTC (a server, a container) or none is set."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone(_zone())
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({offset[:3]}:{offset[3:]})"


def _zone() -> dt.tzinfo:
    """``$LEAFLET_TZ`` or ``$TZ``, else the machine's named zone, else Europe/London (also for UTC)."""
    import zoneinfo

    for name in (os.environ.get("LEAFLET_TZ"), os.environ.get("TZ", "").lstrip(":"), _machine_zone()):
        if name and name not in ("UTC", "Etc/UTC", "Universal", "Etc/Universal", "Zulu", "GMT", "Etc/GMT"):
            try:
                return zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    return zoneinfo.ZoneInfo("Europe/London")


def _machine_zone() -> str | None:
    """The machine's time zone name, from /etc/localtime's link or /etc/timezone (Linux, macOS)."""
    target = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    with contextlib.suppress(OSError):
        return Path("/etc/timezone").read_text(encoding="utf-8").strip() or None
    return None


def db_path(given: Path | None) -> Path:
    """``--db``, else ``$LEAFLET_DB``, else ``records/requests.sqlite``."""
    if given is not None:
        return given
    env = os.environ.get(DB_ENV)
    return Path(env) if env else DEFAULT_DB


class Records:
    """The database of issued files; use as a context manager."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        """Open the record: to add to it (``create``: made if missing, taken to the current schema),
        or only to read it (opened read-only, so a record on read-only media or a colleague's
        copy can be listed; nothing is changed, not even the schema)."""
        self.path = path
        self.damaged: list[str] = []
        """Rows and texts that could not be read, each a line saying which and why."""
        if not create and not path.exists():
            raise RecordError(str(path), "no record of issued files here yet (nothing has been requested)")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            else:
                self._db = _read_only(path)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout = 30000")
            if create:
                network = network_filesystem(path)
                # WAL needs shared memory, which machines sharing a network drive do not share.
                self._db.execute(f"PRAGMA journal_mode = {'DELETE' if network else 'WAL'}")
                self._migrate()
                if network:
                    self._one_writer(network)
            else:
                self._check_version()
            self._check_columns()
        except (sqlite3.Error, OSError) as exc:
            raise RecordError(str(path), f"the record of issued files cannot be used: {_why(exc)}") from None

    def _one_writer(self, filesystem: str) -> None:
        """On a network drive only one machine may write the record: SQLite's locks do not hold across
        machines there (its own documentation says so), so two writers could lose or damage rows."""
        host = socket.gethostname()
        with self._transaction() as db:
            found = db.execute("SELECT host FROM writer").fetchone()
            if found is None:
                db.execute("INSERT INTO writer (host) VALUES (?)", (host,))
                return
        if found[0] != host:
            raise RecordError(str(self.path), f"this record is on a network drive ({filesystem}) and is written by "
                                              f"the machine {found[0]!r}: SQLite cannot lock it safely from two "
                                              "machines, so requests are recorded from that machine only (this one "
                                              "may list it); or give this machine its own record with --db")

    def _check_version(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RecordError(str(self.path), f"the record was written by a newer version of the pipeline "
                                              f"(schema {version}; this one knows {SCHEMA_VERSION}): upgrade")

    def _check_columns(self) -> None:
        """A database that is not this pipeline's record (another tool's, or damaged) is named, not misread."""
        have = {row[1] for row in self._db.execute("PRAGMA table_info(issued)")}
        missing = sorted(set(Issued.__dataclass_fields__) - have - {"issued_by"})  # (added in schema 4)
        if missing:
            raise RecordError(str(self.path), "this is not a record of issued leaflets (its 'issued' table lacks "
                                              f"{', '.join(missing[:5])}): check --db / $LEAFLET_DB")

    def __enter__(self) -> Records:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")  # take the write lock now: two terminals queue, both land
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._transaction() as db:
            self._check_version()
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for step in _MIGRATIONS[version:]:
                for statement in (s for s in step.split(";") if s.strip()):
                    db.execute(statement)
            if version != SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def made(self, build_key: str) -> str | None:
        """The SHA-256 of the file the desk made for ``build_key``, if it made one."""
        try:
            found = self._db.execute("SELECT output_sha256 FROM made WHERE build_key = ?", (build_key,)).fetchone()
        except sqlite3.Error as exc:
            raise RecordError(str(self.path), f"the record cannot be read: {_why(exc)}") from None
        return str(found[0]) if found else None

    def add(self, row: Issued, texts: dict[str, tuple[str, bytes]], made: str | None = None) -> int:
        """Record one issued file, and the texts it came from (sha -> (kind, bytes)), in one transaction.

        ``made``: the build key of a file the desk made just now (its SHA-256 is the row's).
        """
        row.issued_at = row.issued_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        values = asdict(row)
        values.pop("id")
        values["options"] = json.dumps(row.options, sort_keys=True, ensure_ascii=False)
        values["overrides"] = json.dumps(row.overrides, ensure_ascii=False)
        try:
            with self._transaction() as db:
                for sha, (kind, data) in texts.items():
                    db.execute("INSERT OR IGNORE INTO texts (sha256, kind, compressed) VALUES (?, ?, ?)",
                               (sha, kind, zlib.compress(data, 9)))
                names = ", ".join(values)
                marks = ", ".join(f":{k}" for k in values)
                cursor = db.execute(f"INSERT INTO issued ({names}) VALUES ({marks})", values)
                if made is not None:
                    db.execute("INSERT OR REPLACE INTO made (build_key, output_sha256) VALUES (?, ?)",
                               (made, row.output_sha256))
        except sqlite3.Error as exc:
            raise RecordError(str(self.path), f"the issue could not be recorded: {_why(exc)}") from None
        row.id = cursor.lastrowid
        return int(cursor.lastrowid or 0)

    def rows(self, *, since: dt.date | None = None, leaflet: str | None = None,
             locale: str | None = None) -> list[Issued]:
        """Issued files, oldest first, optionally since a date, for one leaflet or one locale."""
        where, args = [], []
        if since is not None:
            where.append("issued_at >= ?")
            args.append(since.isoformat())
        if leaflet is not None:
            where.append("leaflet_code = ?")
            args.append(leaflet)
        if locale is not None:
            where.append("locale = ?")
            args.append(locale)
        sql = "SELECT * FROM issued" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        try:
            found = self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise RecordError(str(self.path), f"the record cannot be read: {_why(exc)}") from None
        rows = []
        for row in found:
            try:
                rows.append(_issued(row))
            except (ValueError, TypeError, KeyError) as exc:
                self.damaged.append(f"issue {dict(row).get('id', '?')}: cannot be read ({type(exc).__name__}: "
                                    f"{str(exc)[:80]}); left out, the rest listed")
        return rows

    def add_event(self, issue_id: int, kind: str, by: str, reason: str) -> Event:
        """Add an entry about issue ``issue_id`` (its row is never changed): ``void`` or ``resolved``."""
        event = Event(issue_id, kind, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), by, reason)
        try:
            with self._transaction() as db:
                if db.execute("SELECT 1 FROM issued WHERE id = ?", (issue_id,)).fetchone() is None:
                    raise RecordError(str(self.path), f"there is no issue {issue_id} in the record")
                done = db.execute("SELECT kind FROM events WHERE issue_id = ? AND kind IN ('void', ?)",
                                  (issue_id, kind)).fetchone()
                if done is not None:
                    raise RecordError(str(self.path), f"issue {issue_id} is already "
                                                      f"{'void' if done[0] == 'void' else 'resolved'}")
                db.execute("INSERT INTO events (issue_id, kind, at, by, reason) VALUES (?, ?, ?, ?, ?)",
                           (issue_id, kind, event.at, by, reason))
        except sqlite3.Error as exc:
            raise RecordError(str(self.path), f"the entry could not be recorded: {_why(exc)}") from None
        return event

    def events(self) -> dict[int, list[Event]]:
        """Every entry about issued copies, by issue, oldest first."""
        try:
            found = self._db.execute("SELECT issue_id, kind, at, by, reason FROM events ORDER BY id").fetchall()
        except sqlite3.Error as exc:
            if "no such table" in str(exc):
                return {}  # a record from before schema 4, opened read-only
            raise RecordError(str(self.path), f"the record cannot be read: {_why(exc)}") from None
        events: dict[int, list[Event]] = {}
        for row in found:
            events.setdefault(int(row[0]), []).append(Event(int(row[0]), str(row[1]), str(row[2]), str(row[3]),
                                                            str(row[4])))
        return events

    def codes(self) -> set[str]:
        """The leaflet codes with at least one issued copy."""
        try:
            return {str(r[0]) for r in self._db.execute("SELECT DISTINCT leaflet_code FROM issued")}
        except sqlite3.Error as exc:
            raise RecordError(str(self.path), f"the record cannot be read: {_why(exc)}") from None

    def text(self, sha: str | None) -> bytes | None:
        """A source or catalogue text kept with the record, by SHA-256."""
        if sha is None:
            return None
        try:
            found = self._db.execute("SELECT compressed FROM texts WHERE sha256 = ?", (sha,)).fetchone()
        except sqlite3.Error as exc:
            raise RecordError(str(self.path), f"the record cannot be read: {_why(exc)}") from None
        if not found:
            return None
        try:
            return zlib.decompress(found[0])
        except (zlib.error, TypeError) as exc:
            self.damaged.append(f"the kept text {sha[:12]}: cannot be read ({exc}); the changes since are not shown")
            return None


_NETWORK_TYPES = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs",
                            "beegfs", "davfs", "ncpfs", "coda", "fuse.sshfs", "fuse.glusterfs", "fuse.davfs2",
                            "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.cephfs"})


def network_filesystem(path: Path, mounts: str = "/proc/self/mounts") -> str | None:
    """The type of the network file system ``path`` is on (``cifs``, ``nfs4``), or None for a local one
    (or where this cannot be told: not Linux)."""
    try:
        table = Path(mounts).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    where = path.resolve()
    best, kind = "", ""
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = where.as_posix() == point or where.as_posix().startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind if kind in _NETWORK_TYPES else None


def _read_only(path: Path) -> sqlite3.Connection:
    """``path`` opened for reading only; on read-only media (where SQLite cannot even make its
    lock files) as an immutable file."""
    uri = path.resolve().as_uri()
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, isolation_level=None)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=30, isolation_level=None)


def _issued(row: sqlite3.Row) -> Issued:
    values = dict(row)
    values["options"] = json.loads(values["options"])
    values["overrides"] = json.loads(values["overrides"])
    return Issued(**values)


def _why(exc: BaseException) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return f"{text} (the file is damaged; restore it from a backup, or move it aside to start a new record)"
    if "readonly" in text or "unable to open" in text or isinstance(exc, PermissionError):
        return f"{text} (check the folder exists and you may write to it, or use --db / $LEAFLET_DB)"
    return text
