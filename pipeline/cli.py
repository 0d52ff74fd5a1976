"""The ``leaflet`` command: build every leaflet in every language and format.

Exit codes: 0 success; 1 a quality check failed; 2 bad input or usage (one line on
standard error naming the file, the line where known, and what is wrong).
All file writing happens here (and in :mod:`pipeline.output`), never in exporters.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pipeline
from pipeline.errors import LeafletError

if TYPE_CHECKING:
    from pipeline.exporters import Format

DEFAULT_SOURCES = Path("leaflets")
DEFAULT_OUT = Path("output")

log = logging.getLogger("pipeline")


class _Usage(LeafletError):
    """Bad usage: reported like bad input, without a file name."""

    def __init__(self, message: str) -> None:
        super().__init__("leaflet", message)

    def __str__(self) -> str:
        return self.message


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaflet",
        description=(
            "Keep the promise 'Please ask if you need this information in another language "
            "or format': build patient leaflets into accessible formats and languages."
        ),
        epilog=(
            "Exit codes: 0 success, 1 a quality check failed, 2 bad input or usage.  "
            "Run 'leaflet COMMAND --help' for a command's options."
        ),
    )
    parser.add_argument("--version", action="version", version=f"leaflet {pipeline.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="build leaflets into every language and format",
        description=(
            "Build each leaflet into output/<CODE>/<locale>/<CODE>-<locale>.<suffix>, with a "
            "manifest.json beside the files.  Only what changed is rebuilt (content hashes).  "
            "Nothing is written when any source is bad."
        ),
    )
    build.add_argument("sources", nargs="*", metavar="SOURCE",
                       help=f"leaflet files (.md or .txt); default: every leaflet in {DEFAULT_SOURCES}/")
    build.add_argument("--locale", "-l", action="append", default=[], metavar="L",
                       help="build only this locale (repeatable); default: every available locale")
    build.add_argument("--format", "-f", action="append", default=[], metavar="F",
                       help="build only this format (repeatable); 'leaflet formats' lists them")
    build.add_argument("--out", "-o", type=Path, default=DEFAULT_OUT, metavar="DIR",
                       help=f"output folder (default: {DEFAULT_OUT}/)")
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument("--quiet", "-q", action="store_true", help="print only the summary")
    build.set_defaults(func=_build)

    formats = commands.add_parser("formats", help="list the output formats")
    formats.set_defaults(func=_formats)

    info = commands.add_parser(
        "info", help="show what the pipeline reads from a leaflet (title, code, dates, contacts)"
    )
    info.add_argument("source", metavar="SOURCE")
    info.set_defaults(func=_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version (0) and usage errors (2)
        return int(exc.code or 0)
    logging.basicConfig(format="leaflet: warning: %(message)s", level=logging.WARNING)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except LeafletError as exc:
        print(f"leaflet: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. output folder not writable, disk full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"leaflet: error: cannot write output: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("leaflet: interrupted; no partial files were left", file=sys.stderr)
        return 130


def _formats(args: argparse.Namespace) -> int:
    from pipeline.exporters import FORMATS

    width = max(len(name) for name in FORMATS)
    for fmt in FORMATS.values():
        print(f"{fmt.name:<{width}}  {fmt.suffix:<8} {fmt.description}")
    return 0


def _info(args: argparse.Namespace) -> int:
    from pipeline.readers import read_leaflet

    meta = read_leaflet(args.source).meta
    fields = {name: getattr(meta, name) for name in meta.__slots__}
    print(json.dumps(fields, default=_json_default, indent=2, ensure_ascii=False))
    return 0


def _json_default(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "__slots__"):
        return {name: getattr(value, name) for name in value.__slots__}
    raise TypeError(repr(value))


def _sources(given: list[str]) -> list[str]:
    from pipeline.readers import SUFFIXES

    if given:
        return given
    if not DEFAULT_SOURCES.is_dir():
        raise _Usage(f"no SOURCE given and no {DEFAULT_SOURCES}/ folder here")
    found = sorted(str(p) for p in DEFAULT_SOURCES.iterdir() if p.suffix in SUFFIXES)
    if not found:
        raise _Usage(f"no leaflets (.md, .txt) in {DEFAULT_SOURCES}/")
    return found


def _build(args: argparse.Namespace) -> int:
    from pipeline.exporters import FORMATS
    from pipeline.output import Manifest, SourceIndex, build_key, sha256, target_path, write_atomic
    from pipeline.readers import read_leaflet, read_source_bytes

    unknown = [f for f in args.format if f not in FORMATS]
    if unknown:
        raise _Usage(f"unknown format {unknown[0]!r}; known formats: {', '.join(FORMATS)}")
    formats = [FORMATS[f] for f in (args.format or FORMATS)]
    started = time.perf_counter()
    out: Path = args.out
    index = SourceIndex.load(out)

    # Phase 1: read everything and decide what to build.  Any bad source stops the
    # build here, before a single file is written.
    jobs = []
    up_to_date = 0
    codes: dict[str, str] = {}
    for source in _sources(args.sources):
        data = read_source_bytes(source)
        source_sha = sha256(data)
        key_of = {f.name: build_key(source_sha, f.name, f.options) for f in formats}
        code = index.code_for(str(Path(source).resolve()), source_sha)
        leaflet = None
        if code is None or args.force:
            leaflet = read_leaflet(source, data)
            code = leaflet.meta.code
        if code in codes:
            raise LeafletError(source, f"leaflet code {code} is also used by {codes[code]}")
        codes[code] = source
        locales = _locales(code, source_language="en_GB" if leaflet is None
                           else leaflet.meta.source_language, wanted=args.locale)
        pending = []
        for locale in locales:
            folder = out / code / locale
            manifest = Manifest.load(folder)
            for fmt in formats:
                target = target_path(out, code, locale, fmt.suffix)
                if not args.force and manifest.up_to_date(target, key_of[fmt.name]):
                    up_to_date += 1
                else:
                    pending.append((locale, fmt, target))
        if pending:
            if leaflet is None:
                leaflet = read_leaflet(source, data)
            jobs.append((source, source_sha, leaflet, key_of, pending))

    # Phase 2: export and write.
    built = 0
    for n, (source, source_sha, leaflet, key_of, pending) in enumerate(jobs, start=1):
        code = leaflet.meta.code
        manifests: dict[str, Manifest] = {}
        for locale, fmt, target in pending:
            content = fmt.export(leaflet)
            data = content.encode("utf-8") if isinstance(content, str) else content
            write_atomic(target, data)
            manifest = manifests.setdefault(locale, Manifest.load(target.parent))
            manifest.record(target, data, fmt=fmt.name, source=source, source_sha=source_sha,
                            key=key_of[fmt.name], engine=_engine(fmt))
            built += 1
        for manifest in manifests.values():
            manifest.save()
        index.remember(str(Path(source).resolve()), source_sha, code)
        if not args.quiet:
            names = ", ".join(sorted({fmt.name for _, fmt, _ in pending}))
            built_locales = ", ".join(sorted({locale for locale, _, _ in pending}))
            print(f"[{n}/{len(jobs)}] {code} ({built_locales}): {names}", file=sys.stderr)
    if jobs:
        index.save()
    seconds = time.perf_counter() - started
    print(f"leaflet: {built} file(s) built, {up_to_date} up to date, "
          f"{len(codes)} leaflet(s) in {out}/ ({seconds:.2f} s)", file=sys.stderr)
    return 0


def _locales(code: str, source_language: str, wanted: list[str]) -> list[str]:
    """The locales to build for a leaflet: its source language plus its catalogues."""
    available = [source_language]
    if wanted:
        missing = [w for w in wanted if w not in available]
        if missing:
            raise _Usage(f"no locale {missing[0]!r} for {code}; available: {', '.join(available)}")
        return [w for w in available if w in wanted]
    return available


def _engine(fmt: Format) -> str:
    """The library that made a file, with its version, for the manifest."""
    from pipeline.output import tool_versions

    versions = tool_versions()
    if fmt.engine and fmt.engine in versions:
        return f"{fmt.engine} {versions[fmt.engine]}"
    return f"pipeline {pipeline.__version__}"


if __name__ == "__main__":
    sys.exit(main())
