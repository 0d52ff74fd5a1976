"""The ``leaflet`` command: build every leaflet in every language and format.

Exit codes: 0 success; 1 a quality check failed; 2 bad input or usage (one line on
standard error naming the file, the line where known, and what is wrong).
All file writing happens here (and in :mod:`pipeline.output`), never in exporters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pipeline
from pipeline.errors import LeafletError
from pipeline.names import point_size

if TYPE_CHECKING:
    from pipeline.i18n.translate import Review
    from pipeline.model import Leaflet

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
    build.add_argument("--tts", choices=("auto", "gtts", "espeak"), default="auto",
                       help="speech engine for audio: gtts (natural, needs the internet), espeak (offline), "
                            "or auto (gTTS when it answers, else eSpeak NG; the default)")
    build.add_argument("--point-size", type=point_size, metavar="PT",
                       help="body size for large print, 16 to 48 (default 18; giant-print is 24); "
                            "the size goes into the file name, e.g. RAD_0102-pl-large-print-20pt.docx")
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument("--draft", action="store_true",
                       help="build translations that are incomplete or fail checks anyway, as files named "
                            "...-DRAFT... marked 'not for issue to patients'")
    build.add_argument("--locales-dir", type=Path, default=Path("locales"), metavar="DIR",
                       help="translation catalogues (default: locales/)")
    build.add_argument("--quiet", "-q", action="store_true", help="print only the summary")
    build.set_defaults(func=_build)

    i18n = commands.add_parser(
        "i18n", help="translation catalogues: extract, update, compile, status",
        description="The gettext workflow.  Locales to translate into are listed in locales/LINGUAS.",
    )
    i18n_commands = i18n.add_subparsers(dest="i18n_command", metavar="ACTION", required=True)
    for name, func, text in (
        ("extract", _i18n_extract, "write locales/<CODE>.pot for each leaflet"),
        ("update", _i18n_update, "create or update locales/<locale>/LC_MESSAGES/<CODE>.po for every locale"),
        ("compile", _i18n_compile, "compile catalogues to MO files under build/locale/"),
        ("status", _i18n_status, "a table of leaflet x locale: translated, fuzzy, checks, built formats"),
    ):
        sub = i18n_commands.add_parser(name, help=text, description=text)
        _source_arguments(sub)
        if name == "status":
            sub.add_argument("--json", action="store_true", help="machine-readable output")
            sub.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR")
        sub.set_defaults(func=func)
    sign = i18n_commands.add_parser(
        "sign-off", help="record that a qualified translator checked a catalogue",
        description=("Record in the catalogue's header who checked it (X-Checked-By, X-Checked-Date) and a "
                     "fingerprint of the translations they checked (X-Checked-Fingerprint).  Outputs then drop "
                     "the 'not checked' notice.  If any translation changes afterwards, the fingerprint no "
                     "longer matches and the catalogue counts as unchecked again, everywhere.  Refused (exit 1) "
                     "while the catalogue is incomplete, out of date or fails a check."),
        epilog="Example: leaflet i18n sign-off RAD_0102 pl --name 'A. Kowalska' --qualification 'NRPSI 12345'",
    )
    sign.add_argument("code", metavar="CODE", help="the leaflet code, e.g. RAD_0102")
    sign.add_argument("locale", metavar="LOCALE", help="the catalogue's locale, e.g. pl")
    sign.add_argument("--name", required=True, help="the qualified translator's name")
    sign.add_argument("--qualification", required=True,
                      help="their qualification or registration, e.g. 'NRPSI 12345' or 'MCIL'")
    sign.add_argument("--date", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD",
                      help="when they checked it (default: today)")
    sign.add_argument("--locales-dir", type=Path, default=Path("locales"), metavar="DIR")
    sign.add_argument("--sources", nargs="*", default=[], metavar="SOURCE",
                      help=f"where to find the leaflet (default: every leaflet in {DEFAULT_SOURCES}/)")
    sign.set_defaults(func=_i18n_sign_off)

    readability = commands.add_parser(
        "readability", help="reading age per leaflet, section and sentence, with what to change",
        description=("Score leaflets as readers read them (textstat formulas; UK reading age = US grade + 5). "
                     "With --write, save output/<CODE>/readability.json and .html for every leaflet."),
    )
    _source_arguments(readability)
    readability.add_argument("--format", choices=("text", "json", "html"), default="text",
                             help="report to standard output (default: text)")
    readability.add_argument("--write", action="store_true",
                             help="write the JSON and HTML reports under --out instead of printing")
    readability.add_argument("--locale", metavar="L", help="score a translation (only where a formula exists)")
    readability.add_argument("--out", "-o", type=Path, default=DEFAULT_OUT, metavar="DIR")
    _readability_options(readability)
    readability.set_defaults(func=_readability)

    check = commands.add_parser(
        "check", help="run the checks that protect patients; exit 1 when one fails",
        description=("Check every translation against its English source (numbers, phone numbers, links, "
                     "markup, empty or unchanged messages, whether the catalogue is current), hold back "
                     "any leaflet whose reading age is more than --margin years above --target, and any "
                     "leaflet whose review is overdue."),
    )
    _source_arguments(check)
    _readability_options(check)
    check.set_defaults(func=_check)

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
    except RuntimeError as exc:  # a system program failed, e.g. LibreOffice could not convert
        print(f"leaflet: error: {exc}", file=sys.stderr)
        return 1
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
    suffix_width = max(len(fmt.suffix) for fmt in FORMATS.values())
    for fmt in FORMATS.values():
        print(f"{fmt.name:<{width}}  {fmt.suffix:<{suffix_width}}  {fmt.description}")
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


def _i18n_extract(args: argparse.Namespace) -> int:
    from pipeline.i18n.workflow import extract

    for path, changed in extract(_sources(args.sources), args.locales_dir):
        print(f"{'wrote' if changed else 'unchanged'} {path}")
    return 0


def _i18n_update(args: argparse.Namespace) -> int:
    from pipeline.i18n.catalogues import linguas
    from pipeline.i18n.workflow import update

    if not linguas(args.locales_dir):
        raise _Usage(f"no locales listed in {args.locales_dir}/LINGUAS: add one per line, e.g. 'pl'")
    for item in update(_sources(args.sources), args.locales_dir):
        state = "created" if item.created else ("updated" if item.changed else "unchanged")
        print(f"{state} {item.path}")
        for msgid in item.newly_fuzzy:
            print(f"    fuzzy (source changed; check the translation): {msgid[:70]!r}")
    return 0


def _i18n_compile(args: argparse.Namespace) -> int:
    from pipeline.i18n.catalogues import MO_DIR
    from pipeline.i18n.workflow import compile_all

    for path in compile_all(_sources(args.sources), args.locales_dir, MO_DIR):
        print(f"wrote {path}")
    return 0


def _i18n_sign_off(args: argparse.Namespace) -> int:
    from pipeline.i18n.catalogues import parse_locale
    from pipeline.i18n.workflow import sign_off_catalogue

    parse_locale(args.locale, "leaflet")
    if not args.name.strip():
        raise _Usage("--name must name the qualified translator")
    path, rev = sign_off_catalogue(_sources(args.sources), args.code, args.locale, args.locales_dir,
                                   name=args.name.strip(), qualification=args.qualification.strip(), date=args.date)
    if not rev.buildable:
        print(f"leaflet: {path}: not signed off: the catalogue cannot be issued yet:", file=sys.stderr)
        for problem in rev.problems():
            print(f"    - {problem}", file=sys.stderr)
        return 1
    print(f"signed off {path}: {rev.checked_state()}")
    return 0


_STATE_WORDS = {"ready": "READY", "ready-unchecked": "READY (unchecked notice)", "refused": "REFUSED",
                "unreadable": "UNREADABLE"}


def _i18n_status(args: argparse.Namespace) -> int:
    from pipeline.i18n.workflow import status_rows

    rows = status_rows(_sources(args.sources), args.locales_dir, args.out)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    header: tuple[str, ...] = ("leaflet", "locale", "may issue?", "done", "fuzzy", "untransl.", "missing",
                               "checks", "current", "checked", "built")
    table: list[tuple[str, ...]] = [header] + [(
        str(r["leaflet"]), str(r["locale"]), _STATE_WORDS[str(r["state"])],
        f"{r['translated']}/{r['total']}", str(r["fuzzy"]),
        str(r["untranslated"]), str(r["not_in_catalogue"]),
        "ok" if not r["check_failures"] else f"{r['check_failures']} FAIL",
        "STALE" if r["stale"] else "yes",
        str(r["checked_by"] or ("CHANGED SINCE SIGN-OFF" if r["signoff_lapsed"] else "NOT CHECKED")),
        ", ".join(r["built"]) or "-",  # type: ignore[arg-type]
    ) if r["state"] != "unreadable" else (str(r["leaflet"]), str(r["locale"]), "UNREADABLE", *["-"] * 8)
        for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _source_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help=f"default: every leaflet in {DEFAULT_SOURCES}/")
    parser.add_argument("--locales-dir", type=Path, default=Path("locales"), metavar="DIR",
                        help="translation catalogues (default: locales/)")


def _readability_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--target", type=float, default=11, metavar="AGE",
                        help="target UK reading age (default: 11; NHS guidance aims for 9 to 11)")
    parser.add_argument("--margin", type=float, default=4, metavar="YEARS",
                        help="years above target at which a leaflet is held back (default: 4)")
    parser.add_argument("--long-sentence", type=int, default=25, metavar="WORDS",
                        help="flag sentences longer than this (default: 25 words)")


def _check(args: argparse.Namespace) -> int:
    from pipeline.i18n.messages import first_words
    from pipeline.i18n.workflow import reviews
    from pipeline.readability.report import analyse
    from pipeline.readers import read_leaflet

    sources = _sources(args.sources)
    failed = 0
    warned: set[str] = set()
    for rev in reviews(sources, args.locales_dir):
        if rev.error:
            print(f"{rev.path}: {rev.locale}: cannot be read: {rev.error}")
            failed += 1
            continue
        problems = [f"'{msg[:50]}': {problem}" for msg, problem in rev.failures]
        problems += [f"out of date: {s} (run 'make update')" for s in rev.stale]
        if not rev.complete:
            examples = [f"untranslated '{first_words(m)}'" for m in rev.untranslated[:2]]
            examples += [f"fuzzy '{first_words(m)}'" for m in rev.fuzzy[:2]]
            problems.append(f"incomplete: {len(rev.untranslated)} untranslated and {len(rev.fuzzy)} fuzzy of "
                            f"{rev.total} message(s); not built until complete; " + "; ".join(examples))
        for problem in problems:
            print(f"{rev.path}: {rev.locale}: {problem}")
        if rev.signoff_lapsed:
            print(f"{rev.path}: {rev.locale}: note: {rev.signoff_lapsed}")
        for warning in (w for w in rev.warnings if w not in warned):
            warned.add(warning)
            print(f"{rev.path}: {rev.locale}: warning: {warning}")
        failed += bool(problems)
    today = dt.date.today()
    for source in sources:
        leaflet = read_leaflet(source)
        due = leaflet.meta.next_review
        if due is not None and due < today:
            print(f"{source}: review overdue: the next review was due {due:%B %Y}; "
                  "have it reviewed before issuing it again")
            failed += 1
        models = [(source, leaflet)] + [(f"{rev.path} ({rev.locale})", model)
                                        for rev, model in _scored_translations(leaflet, args.locales_dir)]
        for name, model in models:
            report = analyse(model, args.target, args.margin, args.long_sentence)
            if report.over_gate:
                worst = "; ".join(f"{s.heading} ({s.scores.reading_age:g})" for s in report.worst_sections())
                print(f"{name}: reading age {report.reading_age:g} is more than {args.margin:g} years above "
                      f"the target {args.target:g}; hardest sections: {worst}")
                failed += 1
    print(f"leaflet check: {failed} problem(s)", file=sys.stderr)
    return 1 if failed else 0


def _scored_translations(leaflet: Leaflet, locales_dir: Path) -> list[tuple[Review, Leaflet]]:
    """Complete translations of ``leaflet`` in languages a readability formula exists for."""
    from pipeline.i18n.catalogues import linguas, po_path, read_catalog
    from pipeline.i18n.translate import review, translate
    from pipeline.readability.metrics import scored

    found = []
    for locale in linguas(locales_dir) if (locales_dir / "LINGUAS").exists() else []:
        po = po_path(leaflet.meta.code, locale, locales_dir)
        if scored(locale) and po.exists():
            try:
                catalog = read_catalog(po, locale)
            except LeafletError:
                continue  # reported with the catalogue checks
            rev = review(leaflet, catalog, locale, po)
            if rev.buildable:
                found.append((rev, translate(leaflet, catalog, locale, rev)))
    return found


def _readability(args: argparse.Namespace) -> int:
    from pipeline.readability.workflow import report_for, write_reports

    sources = _sources(args.sources)
    if args.write:
        for line in write_reports(sources, args.out, args.target, args.margin, args.long_sentence):
            print(line, file=sys.stderr)
        return 0
    if len(sources) != 1:
        raise _Usage("give one SOURCE to print its report, or --write for every leaflet")
    print(report_for(sources[0], args.format, args.locale, args.locales_dir, args.target, args.margin,
                     args.long_sentence), end="")
    return 0


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


def _check_point_size(points: float) -> None:
    from pipeline.exporters.profiles import MAX_LARGE_PRINT_PT, MIN_LARGE_PRINT_PT

    if not MIN_LARGE_PRINT_PT <= points <= MAX_LARGE_PRINT_PT:
        raise _Usage(f"--point-size {points:g} is outside {MIN_LARGE_PRINT_PT} to {MAX_LARGE_PRINT_PT}: "
                     f"large print is at least {MIN_LARGE_PRINT_PT} pt (UKAAF); for a smaller clear-print "
                     "document use --format docx")


def _build(args: argparse.Namespace) -> int:
    from pipeline.build import build, configured
    from pipeline.exporters import FORMATS
    from pipeline.names import resolve_format

    named = [resolve_format(f, FORMATS).name for f in args.format]
    formats = [FORMATS[f] for f in (named or FORMATS)]
    if args.point_size is not None:
        _check_point_size(args.point_size)
        formats = configured(formats, out=args.out, point_size=args.point_size, giant_named="giant-print" in named)
        if not any(f.profile is not None and f.profile.sizeable for f in formats):
            raise _Usage("--point-size applies to large print: add --format large-print or large-print-pdf")
    if any(f.name == "audio" for f in formats) and args.tts == "gtts":
        from pipeline.speech.engines import reachable

        if not reachable():
            print("leaflet: error: --tts gtts: gTTS could not be reached (no internet connection?); "
                  "use --tts espeak for the offline voice", file=sys.stderr)
            return 1
    formats = configured(formats, out=args.out, tts=args.tts)
    from pipeline.programs import missing_program

    missing = [f for f in formats if f.requires and missing_program(f.requires)]
    for fmt in missing:
        print(f"leaflet: {fmt.name}: skipped: {missing_program(fmt.requires or '')}", file=sys.stderr)
    formats = [f for f in formats if f not in missing]
    if not formats:
        return 1
    started = time.perf_counter()
    progress = None if args.quiet else (lambda line: print(line, file=sys.stderr))
    result = build(_sources(args.sources), formats, args.out, args.locales_dir, wanted_locales=args.locale,
                   force=args.force, draft=args.draft, progress=progress)
    for gone in result.withdrawn:
        print(f"leaflet: {gone.code} {gone.locale}: withdrew {len(gone.paths)} earlier file(s): {gone.reason}",
              file=sys.stderr)
        for path in gone.paths[:3]:
            print(f"    - removed {path}", file=sys.stderr)
        if len(gone.paths) > 3:
            print(f"    - and {len(gone.paths) - 3} more", file=sys.stderr)
    for refusal in result.refused:
        print(f"leaflet: {refusal.code} {refusal.locale}: NOT BUILT (use --draft for a marked draft):",
              file=sys.stderr)
        for reason in refusal.reasons:
            print(f"    - {reason}", file=sys.stderr)
    for warning in result.warnings:
        print(f"leaflet: warning: {warning}", file=sys.stderr)
    for code, locale, name, why in result.unavailable:
        print(f"leaflet: {code} {locale}: {name} not made: {why}", file=sys.stderr)
    for code, locale in result.drafts:
        print(f"leaflet: {code} {locale}: built as DRAFT: not checked, not for issue to patients",
              file=sys.stderr)
    seconds = time.perf_counter() - started
    print(f"leaflet: {result.built} file(s) built, {result.up_to_date} up to date, "
          f"{result.leaflets} leaflet(s) in {args.out}/ ({seconds:.2f} s)", file=sys.stderr)
    # Asked for by name and refused or skipped: the person waiting for it must not miss that.
    asked_for_missing = any(f.name in named for f in missing) or any(
        name in named for _, _, name, _ in result.unavailable)
    broken = [r for r in result.refused if r.broken]
    if broken:
        names = ", ".join(f"{r.code} {r.locale}" for r in broken)
        print(f"leaflet: error: catalogue(s) that cannot be read: {names}; everything else was built",
              file=sys.stderr)
    return 1 if broken or asked_for_missing or any(r.locale in args.locale for r in result.refused) else 0


if __name__ == "__main__":
    sys.exit(main())
