"""Building: which leaflets, locales and formats to make, and making them safely.

Phase 1 reads every source (and the catalogues of the locales that need building)
and decides; any bad input stops the build there, before one file is written.
Phase 2 exports and writes, each file atomically, and records it in the manifest.

A translated locale is built only when its catalogue is complete, has nothing
fuzzy, passes every check and is current with the leaflet.  Otherwise its outputs
are not written, any it had are removed (so an old translation can never be handed
out by mistake), and the reason is reported.  With ``draft=True`` such a locale is
built anyway, into files named ``...-DRAFT...`` that carry the draft notice.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import LeafletError
from pipeline.exporters import Bundle, Format, FormatUnavailable
from pipeline.model import Leaflet
from pipeline.names import code_key
from pipeline.output import (
    AUDIO_FOLDER,
    DRAFT_TAG,
    Manifest,
    Previous,
    SourceIndex,
    build_key,
    current_stats,
    remove,
    sha256,
    withdraw,
    write_atomic,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pipeline.cluster import Cluster


@dataclass
class Refusal:
    """A locale that was not built, and why."""

    code: str
    locale: str
    reasons: list[str]
    broken: bool = False
    """The catalogue could not be read at all (the build exits 1 for it)."""


@dataclass
class Withdrawal:
    """Earlier outputs of a leaflet-locale deleted because they may no longer be handed out."""

    code: str
    locale: str
    paths: list[Path]
    reason: str


@dataclass
class BuildResult:
    """What a build did."""

    built: int = 0
    up_to_date: int = 0
    leaflets: int = 0
    refused: list[Refusal] = field(default_factory=list)
    drafts: list[tuple[str, str]] = field(default_factory=list)
    withdrawn: list[Withdrawal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What the checks could not do (e.g. a language with no number words), once each."""
    unavailable: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(code, locale, format, why) for formats that could not be made, e.g. no voice for a language."""
    voices: dict[str, set[str]] = field(default_factory=dict)
    """What spoke the audio and read-along books built (engine and voice) -> the locales it spoke."""


def target_name(code: str, locale: str, suffix: str, draft: bool = False) -> str:
    """``<CODE>-<locale><suffix>``, with ``-DRAFT`` before the suffix for drafts."""
    return f"{code}-{locale}{DRAFT_TAG if draft else ''}{suffix}"


@dataclass
class _Source:
    path: str
    data: bytes | None
    """The source's bytes; ``None`` until needed when its stat showed it unchanged since it was hashed."""
    sha: str
    code: str
    language: str
    provisional: bool = False
    """No leaflet code was found: every output is a draft, under a name made from the file name."""
    leaflet: Leaflet | None = None

    def load(self) -> bytes:
        """The source's bytes, read now if they were not: they must be the bytes whose hash was trusted."""
        if self.data is None:
            from pipeline.readers import read_source_bytes

            data = read_source_bytes(self.path)
            if sha256(data) != self.sha:
                raise LeafletError(self.path, "changed while the build was reading it: run the build again")
            self.data = data
        return self.data

    def parsed(self) -> Leaflet:
        if self.leaflet is None:
            from pipeline.readers import read_leaflet

            self.leaflet = read_leaflet(self.path, self.load())
        return self.leaflet


@dataclass
class _Job:
    source: _Source
    locale: str
    formats: list[tuple[Format, Path, str]]
    model: Callable[[], Leaflet]
    draft: bool
    made: Leaflet | None = None
    """The model, once made (by a format's ``ahead`` step or the export); dropped after the export."""
    catalogue: Path | None = None
    """A final translation's catalogue, and its SHA-256 when planned: its files are kept as the last good ones."""
    catalogue_sha: str = ""

    def leaflet(self) -> Leaflet:
        """The model to export, made once (a translation is not done twice for the PDF's head start)."""
        if self.made is None:
            self.made = self.model()
        return self.made


def build(sources: list[str], formats: list[Format], out: Path, locales_dir: Path, *,
          wanted_locales: list[str], force: bool = False, draft: bool = False, tidy: bool = True,
          progress: Callable[[str], None] | None = None, jobs_wanted: int = 1,
          cluster: Cluster | None = None) -> BuildResult:
    """Build ``sources`` into ``out``; see the module docstring for the rules.

    Phase 2 runs in ``jobs_wanted`` worker processes (:mod:`pipeline.workers`), or on a Dask
    ``cluster`` (:mod:`pipeline.cluster`: its workers send back each file's bytes and SHA-256,
    and this process writes them); the files are the same either way, and this process alone
    writes the manifests.

    ``tidy=False`` (a patient's request) builds what is asked and deletes nothing else:
    no withdrawals of other locales' or drafts' files.
    """
    from pipeline.readers import read_source_bytes

    index = SourceIndex.load(out)
    result = BuildResult()
    jobs: list[_Job] = []
    codes: dict[str, tuple[str, str]] = {}
    catalogue_locales = _linguas(locales_dir)
    read: list[tuple[_Source, tuple[str, str, bool] | None]] = []
    stats = current_stats()
    for path in sources:
        # A source whose stat is as when it was last hashed is not read (as an output file is not): its
        # bytes are read only if something of it is to be made, and must then hash the same.
        trusted, seen = stats.trusted(path) if stats is not None else (None, None)
        known = index.lookup(str(Path(path).resolve()), trusted) if trusted is not None else None
        if known is not None and trusted is not None:
            read.append((_Source(path, None, trusted, *known), known))
            continue
        data = read_source_bytes(path)
        source_sha = sha256(data)
        if stats is not None and seen is not None:
            stats.remember(path, seen, source_sha)
        known = index.lookup(str(Path(path).resolve()), source_sha)
        read.append((_Source(path, data, source_sha, *(known or ("", "", False))), known))
    # Read here, on every core, what phase 1 must read: sources not seen before, and with --force
    # those with translations to check.  The rest are read by the worker that makes their files.
    _parse_all([source for source, known in read
                if known is None or (force and _translated(source.code, catalogue_locales, locales_dir))], jobs_wanted)
    for source, known in read:
        path = source.path
        if known is None:
            meta = source.parsed().meta
            source.code, source.language, source.provisional = meta.code, meta.source_language, meta.provisional
        unfinished = source.parsed().meta.unfinished if source.provisional else ()
        if unfinished:
            result.warnings.append(f"{path}: its files are DRAFTS, not for patients: {'; '.join(unfinished)}")
        elif source.provisional:
            result.warnings.append(f"{path}: no leaflet code or no title line found, so its files are DRAFTS "
                                   f"named {source.code}: add the title as the first line and a line 'Leaflet code: "
                                   "ABC_0123' at the end (or 'code:' in front matter) before it can be issued "
                                   "('leaflet check' says which is missing)")
        key = code_key(source.code)
        if key in codes:
            other_code, other_path = codes[key]
            same = "is also used by" if other_code == source.code else f"differs only in case or separators from " \
                                                                         f"{other_code} in"
            raise LeafletError(path, f"leaflet code {source.code} {same} {other_path}: every leaflet needs its own "
                                     "code (a request for one would find the other)")
        codes[key] = (source.code, path)
        jobs.extend(_plan(source, formats, out, locales_dir, catalogue_locales, wanted_locales,
                          force, draft, result, tidy))
    result.leaflets = len(codes)
    for job in jobs:
        job.source.load()  # read here, before anything is written: a source changed meanwhile stops the build

    manifests: dict[Path, Manifest] = {}
    for fmt in {fmt.name: fmt for job in jobs for fmt, _, _ in job.formats}.values():
        fmt.start()  # decided once here, not once per worker (e.g. which speech engine)

    for done, (i, (made, extra)) in enumerate(_made(jobs, jobs_wanted, cluster), start=1):
        _record(jobs[i], made, extra, manifests, index, result)
        if progress:
            job = jobs[i]
            names = ", ".join(fmt.name for fmt, _, _ in job.formats)
            progress(f"[{done}/{len(jobs)}] {job.source.code} {job.locale}{' DRAFT' if job.draft else ''}: {names}")
    if jobs or result.withdrawn:
        index.save()
    return result


def _translated(code: str, locales: list[str], locales_dir: Path) -> bool:
    from pipeline.i18n.catalogues import po_path

    return any(po_path(code, locale, locales_dir).exists() for locale in locales)


def _parse_all(sources: list[_Source], jobs: int) -> None:
    """Read every source into its model, on every core when there are many (``--force``, a first
    build).  The first bad source, in the order given, is reported, as one process would."""
    if jobs <= 1 or len(sources) < PARSE_IN_PARALLEL:
        return  # each is read as the plan needs it
    from pipeline import workers
    from pipeline.readers import read_leaflet

    for source in sources:
        source.load()  # read here: a worker parses exactly the bytes this process hashed

    def parse(i: int) -> Leaflet | LeafletError:
        try:
            return read_leaflet(sources[i].path, sources[i].load())
        except LeafletError as exc:
            return exc

    outcomes = dict(workers.run(parse, len(sources), jobs))
    for i, source in enumerate(sources):
        outcome = outcomes[i]
        if isinstance(outcome, LeafletError):
            raise outcome
        source.leaflet = outcome


PARSE_IN_PARALLEL = 8
"""From how many sources to read on every core (below it, starting the workers costs more)."""

AHEAD = 16
"""How many leaflets a format's ``ahead`` step prepares at once (one LibreOffice run for up to 16 PDFs)."""


def _batches(jobs: list[_Job], workers: int) -> list[range]:
    """Jobs a worker takes together: runs of up to :data:`AHEAD` when a format prepares ahead
    (shorter when that keeps every worker busy), else one at a time."""
    if not any(fmt.ahead for job in jobs for fmt, _, _ in job.formats):
        return [range(i, i + 1) for i in range(len(jobs))]
    size = max(1, min(AHEAD, -(-len(jobs) // max(1, workers))))
    return [range(i, min(i + size, len(jobs))) for i in range(0, len(jobs), size)]


def _prepare_ahead(batch: list[_Job]) -> None:
    """Let each format with an ``ahead`` step prepare a batch's leaflets together."""
    for fmt in {fmt.name: fmt for job in batch for fmt, _, _ in job.formats if fmt.ahead}.values():
        wanted = [job for job in batch if any(f.name == fmt.name for f, _, _ in job.formats)]
        if len(wanted) > 1:
            # Only a head start: a file it did not make is made (or fails, by name) on its own.
            with contextlib.suppress(Exception):
                fmt.prepare([job.leaflet() for job in wanted])


@dataclass(frozen=True)
class _Made:
    """One format of a job, as made by a worker: the files it wrote, or why it could not be made."""

    fmt: str
    target: Path
    key: str
    files: tuple[tuple[Path, str, int], ...] = ()
    """(path, SHA-256, size) of each file written; the first is ``target``."""
    engine: str = ""
    """What made a bundle (its voice); for other formats the main process names the library."""
    unavailable: str | None = None


def _made(jobs: list[_Job], jobs_wanted: int,
          cluster: Cluster | None) -> Iterator[tuple[int, tuple[list[_Made], dict[str, object]]]]:
    """``(i, what job i made)`` as jobs finish: in worker processes here, or on the cluster."""
    if cluster is not None:
        yield from _made_on(cluster, jobs)
        return
    from pipeline import workers
    from pipeline.office import forget_converted

    def work(i: int) -> tuple[list[_Made], dict[str, object]]:
        return _make(jobs[i])

    def prepare(batch: Sequence[int]) -> None:
        _prepare_ahead([jobs[i] for i in batch])

    yield from workers.run(work, len(jobs), jobs_wanted, batches=_batches(jobs, jobs_wanted), prepare=prepare,
                           finish=forget_converted)


def _made_on(cluster: Cluster, jobs: list[_Job]) -> Iterator[tuple[int, tuple[list[_Made], dict[str, object]]]]:
    """Make the jobs on the cluster's workers; write here what they send back, once its SHA-256 is checked."""
    from pipeline import labels

    batches = _batches(jobs, cluster.workers)
    # The labels this process loaded go with the work: a worker elsewhere has no locales/ to read.
    task = functools.partial(_made_remotely, labels.state())
    for b, outcomes in cluster.run(task, [[_shipped(jobs[i]) for i in batch] for batch in batches]):
        for i, (exported, extra) in zip(batches[b], outcomes, strict=True):
            yield i, ([_written(made, data) for made, data in exported], extra)


def _shipped(job: _Job) -> _Job:
    """``job`` as sent to a cluster worker: a source already read goes as its model, not its bytes again."""
    source = job.source
    if source.leaflet is None:
        return replace(job, made=None)
    light = replace(source, data=None)
    model = light.parsed if getattr(job.model, "__self__", None) is source else job.model
    return replace(job, source=light, model=model, made=None)


def _made_remotely(labels_state: Any, batch: list[_Job]) -> list[tuple[list[tuple[_Made, dict[Path, bytes]]],
                                                                       dict[str, object]]]:
    """On a cluster worker: export a batch of jobs and return every file's bytes (nothing is written there)."""
    from pipeline import labels
    from pipeline.office import forget_converted

    labels.restore(labels_state)
    try:
        _prepare_ahead(batch)
        done = []
        for job in batch:
            leaflet = job.leaflet()
            job.made = None
            done.append((list(_exports(job, leaflet)), _translation_record(leaflet)))
        return done
    finally:
        forget_converted()


def _written(made: _Made, data: dict[Path, bytes]) -> _Made:
    """Write what a cluster worker made, after checking each file's bytes against the SHA-256 it sent."""
    for path, digest, size in made.files:
        content = data[path]
        if len(content) != size or sha256(content) != digest:
            raise RuntimeError(f"{path.name}: the bytes that came back from the cluster do not match the SHA-256 "
                               "the worker sent: nothing of it was written; run the build again")
    for path, _, _ in made.files:
        write_atomic(path, data[path])
    return made


def _exports(job: _Job, leaflet: Leaflet) -> Iterator[tuple[_Made, dict[Path, bytes]]]:
    """Export every format of one job, one at a time: what each made (with SHA-256s) and its files' bytes."""
    for fmt, target, key in job.formats:
        try:
            content = fmt.export(leaflet)
        except FormatUnavailable as exc:
            yield _Made(fmt.name, target, key, unavailable=str(exc)), {}
            continue
        if isinstance(content, Bundle):
            files = _bundle_paths(content, target, fmt.suffix, job.draft)
            engine = content.engine
        else:
            files = {target: content.encode("utf-8") if isinstance(content, str) else content}
            engine = ""
        listed = sorted(((p, sha256(d), len(d)) for p, d in files.items()), key=lambda f: f[0] != target)
        yield _Made(fmt.name, target, key, tuple(listed), engine), files


def _make(job: _Job) -> tuple[list[_Made], dict[str, object]]:
    """Export and write (atomically) every format of one leaflet in one locale; in any process."""
    leaflet = job.leaflet()
    job.made = None  # memory stays bounded by the batch, not the build
    made = []
    for entry, files in _exports(job, leaflet):
        for file_path, file_data in files.items():
            write_atomic(file_path, file_data)
        made.append(entry)
    return made, _translation_record(leaflet)


def _record(job: _Job, made: list[_Made], extra: dict[str, object], manifests: dict[Path, Manifest],
            index: SourceIndex, result: BuildResult) -> None:
    """Record what a job wrote in its folder's manifest (the main process is its one writer)."""
    folder = job.formats[0][1].parent
    manifest = manifests.setdefault(folder, Manifest.load(folder))
    formats = {fmt.name: fmt for fmt, _, _ in job.formats}
    for entry in made:
        if entry.unavailable is not None:
            result.unavailable.append((job.source.code, job.locale, entry.fmt, entry.unavailable))
            continue
        paths = {path for path, _, _ in entry.files}
        for name in manifest.parts(entry.target):  # tracks a shorter leaflet no longer has
            if folder / name not in paths:
                remove(folder, name, job.source.code, job.locale)
                manifest.files.pop(name, None)
        for path, digest, size in entry.files:
            manifest.record(path, digest, size, fmt=entry.fmt, source=job.source.path, source_sha=job.source.sha,
                            key=entry.key, engine=entry.engine or engine_of(formats[entry.fmt]), extra=extra,
                            part_of=None if path == entry.target else entry.target)
        if formats[entry.fmt].speech and entry.engine:
            result.voices.setdefault(entry.engine, set()).add(job.locale)
        result.built += 1
    manifest.save()
    _keep_previous(job, made, folder.parent.parent)
    index.remember(str(Path(job.source.path).resolve()), job.source.sha, job.source.code, job.source.language,
                   job.source.provisional, job.source.leaflet.meta.title if job.source.leaflet is not None else None)


def _keep_previous(job: _Job, made: list[_Made], out: Path) -> None:
    """Keep a final translation's single-file outputs as its last good ones (``output-previous/``), so an
    editorial change to the English or a broken catalogue does not take the language from the desk."""
    if job.catalogue is None or job.draft:
        return
    try:
        catalogue = job.catalogue.read_bytes()
    except OSError:
        return
    if sha256(catalogue) != job.catalogue_sha:
        return  # the catalogue changed while the files were made: they are not kept as its
    previous = Previous.load(out, job.source.code, job.locale)
    for entry in made:
        if entry.unavailable is not None or len(entry.files) != 1:
            continue  # the audio's tracks are not kept: a previous translation is issued as a document
        path, digest, _ = entry.files[0]
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if sha256(data) == digest:
            previous.keep(entry.fmt, path, data, source_path=job.source.path, source_sha=job.source.sha,
                          source_data=job.source.load(), catalogue_sha=job.catalogue_sha, catalogue_data=catalogue)


def _plan(source: _Source, formats: list[Format], out: Path, locales_dir: Path, catalogue_locales: list[str],
          wanted: list[str], force: bool, draft: bool, result: BuildResult, tidy: bool) -> list[_Job]:
    from pipeline.i18n.catalogues import po_path

    def _withdraw(folder: Path, code: str, locale: str, drafts: bool | None, reason: str,
                  result: BuildResult) -> None:
        if tidy:
            _withdraw_files(folder, code, locale, drafts, reason, result)

    source_locale = source.language
    available = [source_locale] + [loc for loc in catalogue_locales
                                   if loc != source_locale and po_path(source.code, loc, locales_dir).exists()]
    unknown = [w for w in wanted if w not in available]
    if unknown:
        from pipeline.i18n.catalogues import locale_names
        from pipeline.names import nearest

        names = {name: loc for loc in available for name in locale_names(loc)}
        close = nearest(unknown[0], names, 1)
        hint = f"; did you mean {names[close[0]]!r} ({close[0]})?" if close else "."
        raise LeafletError(source.path, f"no locale {unknown[0]!r} for {source.code}{hint} "
                                        f"Available: {', '.join(available)}")
    if tidy:
        _withdraw_orphans(out / source.code, source.code, available, locales_dir, result)
    jobs = []
    for locale in (loc for loc in available if not wanted or loc in wanted):
        folder = out / source.code / locale
        if locale == source_locale:
            job = _pending(source, locale, formats, folder, force, "", source.provisional, result, source.parsed)
            if job:
                jobs.append(job)
            continue
        po = po_path(source.code, locale, locales_dir)
        try:
            extra = _catalogue_sha(po)
            job = _pending(source, locale, formats, folder, force, extra, False, result, source.parsed)
            if job is None:
                continue  # final outputs for this exact source and catalogue are still valid
            translated, refusal = _translation(source, locale, po, result, extra)
        except (LeafletError, OSError) as exc:
            reason = str(exc) if isinstance(exc, LeafletError) else f"{po}: cannot read: {exc.strerror}"
            _withdraw(folder, source.code, locale, None, "its catalogue cannot be read", result)
            result.refused.append(Refusal(source.code, locale, [f"the catalogue cannot be read: {reason}"],
                                          broken=True))
            continue
        if refusal is None and not source.provisional:
            job.model = translated
            job.catalogue, job.catalogue_sha = po, extra
            jobs.append(job)
            _withdraw(folder, source.code, locale, True, "the final translation replaces the draft", result)
            continue
        _withdraw(folder, source.code, locale, False, "its catalogue is no longer safe to issue", result)
        if refusal is not None and not (draft or source.provisional):
            result.refused.append(refusal)
            continue
        result.drafts.append((source.code, locale))
        draft_job = _pending(source, locale, formats, folder, force, extra, True, result,
                             replace(translated, draft=True))
        if draft_job:
            jobs.append(draft_job)
    return jobs


def _pending(source: _Source, locale: str, formats: list[Format], folder: Path, force: bool, extra: str,
             is_draft: bool, result: BuildResult, model: Callable[[], Leaflet]) -> _Job | None:
    """The formats of one locale that are not up to date, as a job (``None``: all are)."""
    manifest = Manifest.load(folder)
    todo = []
    for fmt in formats:
        target, key = planned(folder, source.code, locale, fmt, source.sha, extra, is_draft)
        if not force and manifest.up_to_date(target, key):
            result.up_to_date += 1
        else:
            todo.append((fmt, target, key))
    return _Job(source, locale, todo, model, is_draft) if todo else None


def planned(folder: Path, code: str, locale: str, fmt: Format, source_sha: str, catalogue_sha: str,
            is_draft: bool = False) -> tuple[Path, str]:
    """Where ``fmt`` of ``code`` in ``locale`` goes, and the build key its manifest entry must have to be current.

    ``catalogue_sha`` is the SHA-256 of the locale's PO file, or ``""`` for the source language.
    """
    from pipeline import labels

    target = folder / target_name(code, locale, fmt.suffix, is_draft)
    words = labels.fingerprint(locale) if catalogue_sha else ""  # a changed label makes the language's files again
    return target, build_key(source_sha, fmt.name, fmt.options,
                             catalogue_sha + words + ("draft" if is_draft else ""))


def configured(formats: list[Format], *, out: Path, tts: str = "auto", point_size: float | None = None,
               giant_named: bool = False, force: bool = False, house: Path | None = None) -> list[Format]:
    """The formats with the run's options: the speech engine and its cache, a large-print size, the
    house style (``house``, else ``house/`` when it exists: :func:`pipeline.house.find`).

    With ``point_size``, giant print (a size of its own) is left out unless ``giant_named``.
    With ``force``, speech is synthesised again rather than taken from the cache.
    """
    from pipeline.house import find

    if point_size is not None:
        formats = [f.at_size(point_size) for f in formats if f.name != "giant-print" or giant_named]
    cache = str((out / ".cache" / "speech").absolute())  # the same folder for a cluster worker on this machine
    # --force: what the cache held before now is made again, once, for every format that speaks.
    speech = {"engine": tts, "cache_dir": cache, **({"refresh_cache": time.time()} if force else {})}
    formats = [replace(f, options={**f.options, **speech}) if f.speech else f for f in formats]
    style = find(house)
    if style is None:
        return formats
    # Every format gets it (the trust's name, and the build key); DOCX formats in their profile.
    return [replace(f, options={**f.options, "house": style,
                                **({"profile": replace(f.profile, house=style)} if f.profile else {})})
            for f in formats]


@dataclass(frozen=True)
class _Translated:
    """How to make a translated model (a plain object, so it can be sent to a cluster worker)."""

    leaflet: Leaflet
    messages: Any
    """The catalogue's :func:`~pipeline.i18n.translate.messages_of` (not Babel's objects: a library holds
    thousands between checking and making)."""
    locale: str
    review: Any
    draft: bool = False

    def __call__(self) -> Leaflet:
        from pipeline.i18n.translate import translate

        return translate(self.leaflet, self.messages, self.locale, self.review, draft=self.draft)


def _catalogue_sha(po: Path) -> str:
    """The SHA-256 of a catalogue, without reading it when its stat is as when it was last hashed."""
    stats = current_stats()
    digest = stats.sha256(po) if stats is not None else None
    return digest if digest is not None else sha256(po.read_bytes())  # (raises the OSError that says why)


def _translation(source: _Source, locale: str, po: Path, result: BuildResult,
                 catalogue_sha: str) -> tuple[_Translated, Refusal | None]:
    """How to make the translated model, and why it may not be issued, if it may not."""
    from pipeline.i18n.catalogues import read_catalog
    from pipeline.i18n.translate import messages_of, review

    leaflet = source.parsed()
    data = po.read_bytes()
    if sha256(data) != catalogue_sha:  # the bytes checked and translated must be the bytes hashed
        raise LeafletError(str(po), "changed while the build was reading it: run the build again")
    catalog = read_catalog(po, locale, data)
    rev = review(leaflet, catalog, locale, po)
    result.warnings.extend(w for w in rev.warnings if w not in result.warnings)
    refusal = None if rev.buildable else Refusal(source.code, locale, rev.problems())
    return _Translated(leaflet, messages_of(catalog), locale, rev), refusal


def _withdraw_files(folder: Path, code: str, locale: str, drafts: bool | None, reason: str,
                    result: BuildResult) -> None:
    """Delete a leaflet-locale's outputs (all, final or drafts) that must no longer be handed out."""
    removed = withdraw(folder, code, locale, drafts=drafts)
    if removed:
        result.withdrawn.append(Withdrawal(code, locale, removed, reason))


def _withdraw_orphans(leaflet_folder: Path, code: str, available: list[str], locales_dir: Path,
                      result: BuildResult) -> None:
    """Withdraw the outputs of locales that no longer have a catalogue (PO deleted, or not in LINGUAS)."""
    if not leaflet_folder.is_dir() or leaflet_folder.is_symlink():
        return
    for folder in sorted(leaflet_folder.iterdir()):
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in available:
            _withdraw_files(folder, code, folder.name, None,
                      f"there is no catalogue for it any more ({locales_dir}/{folder.name}/LC_MESSAGES/{code}.po "
                      f"deleted, or {folder.name} not in {locales_dir}/LINGUAS)", result)


def _bundle_paths(bundle: Bundle, target: Path, suffix: str, draft: bool) -> dict[Path, bytes]:
    stem = target.name[: -len(suffix)]
    audio = AUDIO_FOLDER + (DRAFT_TAG if draft else "")
    files = {target.parent / name.format(stem=stem, audio=audio): data for name, data in bundle.files.items()}
    if target not in files:
        raise ValueError(f"bundle has no main file {target.name}")
    return files


def _translation_record(leaflet: Leaflet) -> dict[str, object]:
    translation = leaflet.meta.translation
    if translation is None:
        return {"language": leaflet.meta.language}
    return {
        "language": leaflet.meta.language,
        "draft": translation.draft,
        "checked_by": translation.checked_by,
        "checked_on": translation.checked_on.isoformat() if translation.checked_on else None,
    }


def engine_of(fmt: Format) -> str:
    """The library or program that makes ``fmt``'s files, with its version, for the manifest (and for
    comparing a cluster worker with this machine).

    Asked in the main process only (each version is looked up once there): ``soffice --version``
    starts LibreOffice, which every worker would otherwise do again.
    """
    import pipeline
    from pipeline.output import tool_versions

    versions = tool_versions()
    if fmt.engine == "LibreOffice":
        from pipeline.office import version

        return version()
    if fmt.engine == "liblouis":
        from pipeline import liblouis

        return liblouis.version()
    if fmt.engine and fmt.engine in versions:
        return f"{fmt.engine} {versions[fmt.engine]}"
    return f"pipeline {pipeline.__version__}"


def _linguas(locales_dir: Path) -> list[str]:
    if not (locales_dir / "LINGUAS").exists():
        return []
    from pipeline.i18n.catalogues import linguas

    return linguas(locales_dir)


def warn(message: str) -> None:
    """Print a one-line warning to standard error."""
    print(f"leaflet: {message}", file=sys.stderr)
