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
    id: int | None = None


def db_path(given: Path | None) -> Path:
    """``--db``, else ``$LEAFLET_DB``, else ``records/requests.sqlite``."""
    if given is not None:
        return given
    env = os.environ.get(DB_ENV)
    return Path(env) if env else DEFAULT_DB


class Records:
    """The database of issued files; use as a context manager."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        if not create and not path.exists():
            raise RecordError(str(path), "no record of issued files here yet (nothing has been requested)")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout = 30000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise RecordError(str(path), f"the record of issued files cannot be used: {_why(exc)}") from None

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
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RecordError(str(self.path), f"the record was written by a newer version of the pipeline "
                                                  f"(schema {version}; this one knows {SCHEMA_VERSION}): upgrade")
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
        return [_issued(r) for r in found]

    def text(self, sha: str | None) -> bytes | None:
        """A source or catalogue text kept with the record, by SHA-256."""
        if sha is None:
            return None
        try:
            found = self._db.execute("SELECT compressed FROM texts WHERE sha256 = ?", (sha,)).fetchone()
        except sqlite3.Error as exc:
            raise RecordError(str(self.path), f"the record cannot be read: {_why(exc)}") from None
        return zlib.decompress(found[0]) if found else None


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
