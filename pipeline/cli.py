"""The ``leaflet`` command: build every leaflet in every language and format.

Exit codes: 0 success; 1 a quality check failed; 2 bad input or usage (one line on
standard error naming the file, the line where known, and what is wrong).
All file writing happens here (and in :mod:`pipeline.output`), never in exporters.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pipeline
from pipeline.errors import LeafletError
from pipeline.names import point_size
from pipeline.office import work_under
from pipeline.output import locked, trusted_stats

if TYPE_CHECKING:
    from pipeline.exporters import Format
    from pipeline.i18n.translate import Review
    from pipeline.issuing import Book, Language
    from pipeline.model import Leaflet
    from pipeline.records import Records

DEFAULT_SOURCES = Path("leaflets")
DEFAULT_OUT = Path("output")

log = logging.getLogger("pipeline")


class _Usage(LeafletError):
    """Bad usage: reported like bad input, without a file name."""

    def __init__(self, message: str) -> None:
        super().__init__("leaflet", message)

    def __str__(self) -> str:
        return self.message


class _Parser(argparse.ArgumentParser):
    """argparse, with the nearest choice suggested for a mistyped command or option value."""

    def error(self, message: str) -> NoReturn:
        import re

        from pipeline.names import nearest

        found = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if found:
            close = nearest(found.group(1), re.findall(r"'([^']*)'", found.group(2)), 1)
            if close:
                message += f"; did you mean {close[0]!r}?"
        super().error(_clipped(message))


def _clipped(message: str, limit: int = 1500) -> str:
    """``message`` cut to ``limit`` characters: an error says what was wrong, it does not echo 100 KB back."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}... ({len(message) - limit:,} more characters not shown)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leaflet",
        description=(
            "Keep the promise 'Please ask if you need this information in another language "
            "or format': build patient leaflets into accessible formats and languages."
        ),
        epilog=(
            "examples:\n"
            "  ./leaflet request lung biopsy --locale Polish --format large-print --ref T-1234\n"
            "  ./leaflet status                      may each leaflet be issued now, in each language?\n"
            "  ./leaflet build --locale pl --format docx leaflets/RAD_0102-ct-guided-lung-biopsy.md\n\n"
            "Exit codes: 0 success, 1 a quality check failed or a request was refused, 2 bad input or usage.\n"
            "Run 'leaflet COMMAND --help' for a command's options."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
                       help=f"leaflet files (.md, .txt, .docx or .pdf); default: every leaflet in {DEFAULT_SOURCES}/")
    build.add_argument("--locale", "-l", action="append", default=[], metavar="L",
                       help="build only this locale (repeatable); default: every available locale")
    build.add_argument("--format", "-f", action="append", default=[], metavar="F",
                       help="build only this format (repeatable); 'leaflet formats' lists them")
    build.add_argument("--out", "-o", type=Path, default=DEFAULT_OUT, metavar="DIR",
                       help=f"output folder (default: {DEFAULT_OUT}/)")
    build.add_argument("--tts", type=_tts, default="auto", metavar="ENGINE[,ENGINE]",
                       help="speech engine for audio and the read-along book: auto (the default: the neural "
                            "voice for English, eSpeak NG for the rest, all offline), neural (natural, offline, "
                            "English; voices: leaflet voices), espeak (offline, every language), gtts (natural; "
                            "sends the text to Google, needs the internet).  Several, in order, give a fallback "
                            "per language: neural,espeak")
    build.add_argument("--point-size", type=point_size, metavar="PT",
                       help="body size for large print, 16 to 48 (default 18; giant-print is 24); "
                            "the size goes into the file name, e.g. RAD_0102-pl-large-print-20pt.docx")
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument("--draft", action="store_true",
                       help="build translations that are incomplete or fail checks anyway, as files named "
                            "...-DRAFT... marked 'not for issue to patients'")
    build.add_argument("--locales-dir", type=Path, default=Path("locales"), metavar="DIR",
                       help="translation catalogues (default: locales/)")
    build.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                       help="worker processes for making the files (default: one per core, here "
                            f"{_cores()}); --jobs 1 makes everything in this one process.  The files are "
                            "the same either way")
    build.add_argument("--quiet", "-q", action="store_true", help="print only the summary")
    build.add_argument("--verify", action="store_true",
                       help="read and hash every output file to decide what is current, whatever its size and "
                            "times say (a no-op build trusts a file whose size, times and inode are as when it was "
                            "last hashed, as git does; make verify, weekly, checks everything)")
    build.add_argument("--house", type=Path, metavar="DIR",
                       help="the trust's house style: reference.docx and house.toml (default: house/ when it "
                            "exists; see the README, 'Your trust's look')")
    build.add_argument("--cluster", metavar="ADDRESS",
                       help="make the files on a Dask cluster: the address of its scheduler, e.g. "
                            "tcp://10.0.0.5:8786 (README, 'A library on a cluster').  Its workers must run the "
                            "same commit with the same packages, programs and fonts (checked first); they send "
                            "the files back and this machine writes them.  --jobs does not apply")
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
            sub.add_argument("--csv", type=Path, default=None, metavar="FILE",
                             help="also write the table with its word counts as CSV (for a purchase order)")
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
    export = i18n_commands.add_parser(
        "export", help="a leaflet's catalogue as XLIFF or a Word table, for a translation agency",
        description=("Write every message of the current leaflet, with its translation so far, as XLIFF 1.2 (for "
                     "CAT tools: Trados, memoQ, Phrase) or a bilingual Word table.  Phone numbers, addresses, "
                     "links, bold and line breaks are protected.  The file says which English it was made from: "
                     "an import of it after the English changed is refused.  Written to "
                     "output/exchange/<CODE>-<locale>.xlf|.docx unless --output is given."),
        epilog="Example: leaflet i18n export RAD_0102 pl --format xliff",
    )
    export.add_argument("code", metavar="CODE", help="the leaflet code, e.g. RAD_0102")
    export.add_argument("locale", metavar="LOCALE", help="the catalogue's locale, e.g. pl")
    export.add_argument("--format", choices=("xliff", "docx"), default="xliff",
                        help="xliff (default) for a CAT tool, docx for a translator who works in Word")
    export.add_argument("--output", "-o", type=Path, default=None, metavar="FILE")
    export.add_argument("--locales-dir", type=Path, default=Path("locales"), metavar="DIR")
    export.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder (default: output/)")
    export.add_argument("--sources", nargs="*", default=[], metavar="SOURCE",
                        help=f"where to find the leaflet (default: every leaflet in {DEFAULT_SOURCES}/)")
    export.set_defaults(func=_i18n_export)
    take = i18n_commands.add_parser(
        "import", help="take an agency's XLIFF or Word table back into its catalogue, through every check",
        description=("Read an XLIFF or Word table made by 'leaflet i18n export' (and filled in by a translator), "
                     "map each unit back by its id, and write the translations into the leaflet's PO.  Refused "
                     "(exit 2, nothing written) when the file was made for another version of the English: the "
                     "changes are named.  A unit whose protected parts changed or that fails a safety check is "
                     "refused and keeps its old translation (exit 1); the rest are taken.  An unchanged file "
                     "changes nothing."),
        epilog="Example: leaflet i18n import RAD_0102-pl.xlf",
    )
    take.add_argument("file", type=Path, metavar="FILE", help="the .xlf, .xliff or .docx file")
    take.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    take.add_argument("--locales-dir", type=Path, default=Path("locales"), metavar="DIR")
    take.add_argument("--sources", nargs="*", default=[], metavar="SOURCE",
                      help=f"where to find the leaflet (default: every leaflet in {DEFAULT_SOURCES}/)")
    take.set_defaults(func=_i18n_import)

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
    check.add_argument("--require-alt-text", action="store_true",
                       help="fail (exit 1) for a picture without alt text (without this flag it is a warning)")
    check.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                       help="the output folder, to name files of a translation that was withdrawn (default: output)")
    check.set_defaults(func=_check)

    request = commands.add_parser(
        "request", help="serve a patient's request: make one file, print its path, record the issue",
        description=("Make the one file a patient asked for (or re-use it when it is current), print its path on "
                     "standard output, and record in the record of issued files what was handed over.  Refused "
                     "(exit 1, with a paragraph you can read out) when the translation is incomplete, out of date "
                     "or fails a check, when the leaflet is past its review date (unless --allow-overdue "
                     "--reason), when the translation is not checked by a qualified translator (unless "
                     "--allow-unchecked), or when the format needs a program that is not installed.  Nothing "
                     "else in the output folder changes."),
        epilog=("What to give, in the words a patient uses (format, then how to send it):\n"
                "  read it on a phone (mobile)  html (or epub)          e-mail it: it opens in any browser\n"
                "  have it by e-mail            html, or text           attach the page, or paste the text\n"
                "  listen (CD, read aloud)      audio                   e-mail the MP3, or audio/ on USB or CD\n"
                "  big print                    large-print, giant-print, large-print-pdf: print, or e-mail\n"
                "  braille                      braille                 to the embosser or their display\n"
                "  their own language           --locale Polish, with any format above\n"
                "\n"
                "--ref is required: the ticket or request number, never patient details (or --no-ref, flagged).\n"
                "\n"
                "Examples:  ./leaflet request lung biopsy --locale Polish --format large-print --ref T-1234\n"
                "           ./leaflet request RAD_0102 --list\n"
                "           make request LEAFLET=lung LANG=pl FORMAT=large-print REF=T-1234 ALLOW_UNCHECKED=1\n"
                "           make request LEAFLET=fasting LANG=Welsh FORMAT='web page' REF=T-77   (quote spaces)"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    request.add_argument("leaflet", nargs="+", metavar="LEAFLET",
                         help="a leaflet code (RAD_0102, rad0102) or words from its title (lung biopsy)")
    request.add_argument("--locale", "--language", "-l", metavar="L",
                         help="the language: pl, pl-PL, Polish or polski (default: the leaflet's own)")
    request.add_argument("--format", "-f", metavar="F",
                         help="the format: large-print, pdf, audio, docx ... ('leaflet formats' lists them)")
    request.add_argument("--point-size", type=point_size, metavar="PT", help="large print size, 16 to 48 (e.g. 20pt)")
    request.add_argument("--tts", type=_tts, default="auto", metavar="ENGINE[,ENGINE]",
                         help="speech engine for audio: auto (default), neural, gtts, espeak; neural,espeak "
                              "falls back per language")
    request.add_argument("--ref", metavar="TEXT",
                         help="required: the ticket or request number that links this copy to the patient's record "
                              "(refused if it holds an NHS or CHI number, a name after a title, a postcode, a date, "
                              "an e-mail address or a phone number)")
    request.add_argument("--no-ref", action="store_true",
                         help="issue without a reference (recorded, and flagged on every recall list: such a copy "
                              "cannot be traced to its patient)")
    request.add_argument("--by", metavar="NAME",
                         help="who is issuing it, recorded (default: your login name)")
    request.add_argument("--allow-unchecked", action="store_true",
                         help="issue a translation no qualified translator has checked (recorded; the file "
                              "carries the notice)")
    request.add_argument("--allow-overdue", action="store_true",
                         help="issue a leaflet past its review date (needs --reason; recorded)")
    request.add_argument("--allow-previous-translation", action="store_true",
                         help="when the translation may not be issued now (the English changed, its catalogue "
                              "broke), issue the last good one, made for an earlier English: what changed since is "
                              "shown first; needs --reason; recorded, and on every recall list")
    request.add_argument("--reason", metavar="TEXT", help="why an override was used (recorded)")
    request.add_argument("--list", action="store_true",
                         help="show every language x format of the leaflet: ready, can be made now, or why not")
    _place_arguments(request)
    request.set_defaults(func=_request)

    requests = commands.add_parser(
        "requests", help="list what was issued, or the recall list after a correction (--affected-by)",
        description=("List the record of issued files.  With --affected-by CODE: every issued copy of that "
                     "leaflet made from an older version of the leaflet or of its translation, with its "
                     "reference, and what changed since, by section."),
    )
    requests.add_argument("--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    requests.add_argument("--leaflet", metavar="CODE")
    requests.add_argument("--locale", metavar="L")
    requests.add_argument("--affected-by", metavar="CODE",
                          help="the recall list for this leaflet: copies from an older version still to be put "
                               "right (--all: with those already replaced, resolved or void)")
    requests.add_argument("--all", action="store_true", help="with --affected-by: every affected copy, whatever "
                                                            "became of it")
    requests.add_argument("--void", type=int, metavar="N",
                          help="record that issue N was recorded in error and never handed over (needs --reason; "
                               "the row itself is kept)")
    requests.add_argument("--resolved", type=int, metavar="N",
                          help="record that the recall of issue N is done, e.g. --reason 'posted corrected copy' or "
                               "'patient informed by phone' (a corrected copy issued to the same --ref resolves it "
                               "by itself)")
    requests.add_argument("--reason", metavar="TEXT", help="why, with --void or --resolved (recorded)")
    requests.add_argument("--by", metavar="NAME", help="who, with --void or --resolved (default: your login name)")
    requests.add_argument("--format", choices=("table", "csv", "json"), default="table",
                          help="how to print the list (default: table)")
    _place_arguments(requests)
    requests.set_defaults(func=_requests)

    status = commands.add_parser(
        "status", help="can each leaflet be issued now, in each language? Review dates first",
        description=("Leaflets overdue for review or due within 90 days, leaflets that do not offer other "
                     "languages and formats, then per leaflet and language: may it be issued now, and if not, "
                     "why, in words."),
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")
    _place_arguments(status)
    status.set_defaults(func=_status)

    index = commands.add_parser(
        "index", help="write output/index.html: every leaflet, language and format, with links and states",
    )
    _place_arguments(index)
    index.set_defaults(func=_index)

    house = commands.add_parser(
        "house", help="check the trust's house style (house/), or write an example one",
        description=("Check a house style folder (reference.docx, house.toml): that it can be read, that every "
                     "colour passes WCAG 2.2 AA contrast, and what large print overrides in it.  With --example, "
                     "write an example house style of the project's own (not a real trust's branding) to start "
                     "from."),
    )
    house.add_argument("folder", nargs="?", type=Path, default=Path("house"), metavar="DIR",
                       help="the house style folder (default: house/)")
    house.add_argument("--example", action="store_true", help="write an example house style into DIR")
    house.add_argument("--serif", action="store_true",
                       help="with --example: a serif font and italic styles, which large print overrides")
    house.set_defaults(func=_house)

    formats = commands.add_parser("formats", help="list the output formats")
    formats.set_defaults(func=_formats)

    voices = commands.add_parser(
        "voices", help="list the offline neural voices installed, with language and accent",
        description="The neural voices --tts neural can use: the one in the package, and those copied into "
                    "voices/ (or the folder $LEAFLET_VOICES names).  A file is used only when its SHA-256 is "
                    "the published one.")
    voices.set_defaults(func=_voices)

    survey = commands.add_parser(
        "import", help="read a whole existing library (Word, PDF, ...) and report what needs a person",
        description=("Read every leaflet file under FOLDER (subfolders too) as a build would, on every core, and "
                     "write one report: per file, what was read (title, code, dates, sections, pictures and where "
                     "each fact came from) and what needs a person (cannot be read, a draft because of tracked "
                     "changes, comments or an uncertain reading order, pictures without alt text, no or passed "
                     "review date, no code, a code used twice, content left out), sorted so the team can work down "
                     "it.  Nothing is changed or copied; the report is printed and written as a web page."))
    survey.add_argument("folder", metavar="FOLDER", type=Path, help="the library: a folder of Word, PDF, ... files")
    survey.add_argument("--report", type=Path, metavar="FILE",
                        help=f"where to write the web page (default: {DEFAULT_OUT}/import-report.html)")
    survey.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    survey.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="processes to read with (default: one per core)")
    survey.set_defaults(func=_import)

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
        from pipeline import labels

        labels.load(getattr(args, "locales_dir", None) or Path("locales"))  # once: forked workers inherit them
        return int(args.func(args))
    except LeafletError as exc:
        print(f"leaflet: error: {_clipped(str(exc))}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # a system program failed, e.g. LibreOffice could not convert
        print(f"leaflet: error: {_clipped(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `leaflet status | head`: the reader has all it wants
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # e.g. output folder not writable, disk full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"leaflet: error: cannot write output: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)  # _Stopped here, or workers.Interrupted from a worker
        how = f" by {signal.Signals(signum).name}" if signum != signal.SIGINT else ""
        print(f"leaflet: interrupted{how}: no half-written file was left under a final name; files made just before "
              "may not be recorded yet, so run it again to finish (the next build also clears temporary files)",
              file=sys.stderr)
        return 128 + signum


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed terminal, a service stopping), handled as Ctrl-C is."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    # Once: a second signal must not cut short the clean-up the first one started.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, signal.SIG_IGN)
    raise _Stopped(signum)


def _cores() -> int:
    from pipeline.workers import default_jobs

    return default_jobs()


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of worker processes, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of processes (e.g. --jobs 2)") from None
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError(f"{value} processes: give a number from 1 to 256")
    return value


TTS_ENGINES = ("auto", "gtts", "espeak", "neural")


def _tts(text: str) -> str:
    """``--tts``: an engine, or several in order (``neural,espeak``)."""
    names = [name.strip().lower() for name in text.split(",")]
    unknown = [name for name in names if name not in TTS_ENGINES]
    if unknown or not names or len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"{text!r}: give one of {', '.join(TTS_ENGINES)}, or several in order "
                                         "separated by commas (e.g. neural,espeak)")
    return ",".join(names)


def _voices(args: argparse.Namespace) -> int:
    from pipeline.speech.engines import EngineUnavailable
    from pipeline.speech.neural import accent_note, choose, installed, voices_folder

    try:
        found = installed(report=True)
    except EngineUnavailable as exc:
        print(f"leaflet: error: {exc}", file=sys.stderr)
        return 1
    rows = [("voice", "language", "accent", "gender", "where")]
    rows += [(v.name, v.language, v.accent, v.gender, v.where) for v in found]
    _print_table(rows)
    print(f"\nVoices folder: {voices_folder()} (set LEAFLET_VOICES to use another)")
    note = accent_note("en_GB", choose("en_GB", found)) if found else None
    if note:
        print(f"Note: {note}")
    print("Other languages: --tts neural,espeak reads them with eSpeak NG.")
    return 0


def _sweep(out: Path) -> None:
    """Clear what an interrupted build left (held under the lock), saying so."""
    from pipeline.output import sweep

    removed = sweep(out)
    if removed:
        print(f"leaflet: removed {removed} temporary file(s) left by an interrupted build", file=sys.stderr)


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
        for msgid in item.from_memory:
            print(f"    from translation memory (another leaflet's translation; check it): {msgid[:70]!r}")
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

    args.locale = _locale_codes([args.locale], args.locales_dir)[0]
    parse_locale(args.locale, "leaflet")
    _plain_value("--name", args.name)
    _plain_value("--qualification", args.qualification)
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


def _i18n_export(args: argparse.Namespace) -> int:
    from pipeline.i18n.workflow import exchange_file
    from pipeline.output import write_atomic

    args.locale = _locale_codes([args.locale], args.locales_dir)[0]
    name, data = exchange_file(_sources(args.sources), args.code, args.locale, args.locales_dir, args.format)
    target = args.output or args.out / "exchange" / name
    write_atomic(target, data)
    print(f"wrote {target}")
    return 0


def _i18n_import(args: argparse.Namespace) -> int:
    from pipeline.i18n.exchange import Imported
    from pipeline.i18n.messages import first_words
    from pipeline.i18n.workflow import import_exchange

    path, report = import_exchange(_sources(args.sources), args.file, args.locales_dir, dry_run=args.dry_run)
    assert isinstance(report, Imported)
    verb = "would change" if args.dry_run else "changed"
    print(f"{path}: {verb} {len(report.changed)}, unchanged {report.unchanged}, not translated "
          f"{report.untranslated}, refused {len(report.refused)}")
    for english in report.changed:
        print(f"    {verb}: '{first_words(english)}'")
    for english, why in report.refused:
        print(f"    REFUSED '{first_words(english)}': {_clipped(why)}")
    return 1 if report.refused else 0


_STATE_WORDS = {"ready": "READY", "ready-unchecked": "READY (unchecked notice)", "refused": "REFUSED",
                "unreadable": "UNREADABLE"}


def _i18n_status(args: argparse.Namespace) -> int:
    from pipeline.i18n.workflow import status_rows

    rows = status_rows(_sources(args.sources), args.locales_dir, args.out)
    if args.csv:
        _status_csv(args.csv, rows)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    header: tuple[str, ...] = ("leaflet", "locale", "may issue?", "done", "fuzzy", "untransl.", "missing",
                               "checks", "current", "checked", "words new/fuzzy/repeat/memory/total", "built")
    table: list[tuple[str, ...]] = [header] + [(
        str(r["leaflet"]), str(r["locale"]), _STATE_WORDS[str(r["state"])],
        f"{r['translated']}/{r['total']}", str(r["fuzzy"]),
        str(r["untranslated"]), str(r["not_in_catalogue"]),
        "ok" if not r["check_failures"] else f"{r['check_failures']} FAIL",
        "STALE" if r["stale"] else "yes",
        str(r["checked_by"] or ("CHANGED SINCE SIGN-OFF" if r["signoff_lapsed"] else "NOT CHECKED")),
        "/".join(str(r[f"words_{k}"]) for k in ("new", "fuzzy", "repeated", "memory", "total")),
        ", ".join(r["built"]) or "-",  # type: ignore[arg-type]
    ) if r["state"] != "unreadable" else (str(r["leaflet"]), str(r["locale"]), "UNREADABLE", *["-"] * 9)
        for r in rows]
    _print_table(table)
    totals = {k: sum(int(str(r[f"words_{k}"])) for r in rows if r[f"words_{k}"] is not None)
              for k in ("new", "fuzzy", "repeated", "memory", "total")}
    print(f"\nWords to translate: {totals['new']:,} new, {totals['fuzzy']:,} to review (English changed), "
          f"{totals['repeated']:,} repeated, {totals['memory']:,} from memory (another leaflet's translation, to "
          f"confirm), of {totals['total']:,} (placeholders and markup not counted; numbers counted as words)")
    return 0


def _status_csv(path: Path, rows: list[dict[str, object]]) -> None:
    """The status rows as CSV, a cell starting with = + - @ made text (a spreadsheet would run it)."""
    import csv
    import io

    from pipeline.output import write_atomic

    columns = ["leaflet", "locale", "state", "total", "translated", "fuzzy", "untranslated", "words_new",
               "words_fuzzy", "words_repeated", "words_memory", "words_translated", "words_total", "checked_by"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["'" + str(v) if str(v)[:1] in "=+-@\t\r" else ("" if v is None else v)
                         for v in (row.get(c) for c in columns)])
    write_atomic(path, buffer.getvalue().encode("utf-8"))


_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
"""Characters that break a line, move the cursor or reorder text: never stored, never printed raw."""
MAX_VALUE = 500
"""A reference, a reason or a name longer than this is refused (it is not one)."""


_MAKE_NAMES = {
    "--format": "FORMAT=", "--list": "LIST=1", "--ref": "REF=", "--no-ref": "NO_REF=1", "--by": "BY=",
    "--locale": "LANG=", "--point-size": "POINT_SIZE=", "--reason": "REASON=", "--allow-unchecked": "ALLOW_UNCHECKED=1",
    "--allow-overdue": "ALLOW_OVERDUE=1", "--allow-previous-translation": "ALLOW_PREVIOUS=1", "--tts": "TTS=",
    "--affected-by": "AFFECTED_BY=", "--void": "VOID=", "--resolved": "RESOLVED=", "--all": "ALL=1",
}


def _flag(option: str) -> str:
    """``--format`` as the person typing reads it: ``FORMAT=`` when they came through make."""
    return _MAKE_NAMES.get(option, option) if os.environ.get("LEAFLET_VIA_MAKE") else option


def _login() -> str:
    """The member of staff at this machine, for the record (``--by`` overrides it)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _plain_value(option: str, value: str | None) -> None:
    """Refuse a value that would be stored or written into a file with a control character in it."""
    if value is None:
        return
    if len(value) > MAX_VALUE:
        raise _Usage(f"{_flag(option)}: {len(value):,} characters is too long (at most {MAX_VALUE})")
    found = _CONTROL_RE.search(value)
    if found:
        raise _Usage(f"{_flag(option)}: a line break or control character (U+{ord(found.group(0)):04X}) is not "
                     "allowed")


def _printable(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``): a stored value never drives the terminal."""
    return _CONTROL_RE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def _csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: a leading = + - @ tab or CR is quoted)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _print_table(rows: Sequence[Sequence[str]]) -> None:
    """Rows as aligned columns; the last column is not padded (it may be long)."""
    rows = [[_printable(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]).rstrip())


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
    from pipeline.model import Picture, iter_blocks
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
    from pipeline import labels

    for problems in labels.load(args.locales_dir).values():
        for problem in problems:  # a warning: its outputs carry the English labels and say so until it is ready
            print(f"warning: {problem}")
    today = dt.date.today()
    for source in sources:
        leaflet = read_leaflet(source)
        for folder, why in _withdrawn(leaflet, args.locales_dir, args.out):
            print(f"{folder}: files of a withdrawn translation ({why}) are still there: './leaflet build' removes "
                  f"them; copies already issued: ./leaflet requests --affected-by {leaflet.meta.code}")
            failed += 1
        for missing in _missing_facts(leaflet):
            print(f"{source}: warning: {missing}")
        undescribed = [p for p in iter_blocks(leaflet.blocks) if isinstance(p, Picture) and not p.alt]
        if undescribed:
            where = ", ".join(str(p.line) for p in undescribed)
            print(f"{source}: {'' if args.require_alt_text else 'warning: '}{len(undescribed)} picture(s) without "
                  f"alt text (at {where}): a patient who cannot see them is told only that there is a picture")
            failed += args.require_alt_text
        due = leaflet.meta.next_review
        from pipeline.readers.dates import ends, shown

        if due is not None and ends(due) < today:
            print(f"{source}: review overdue: the next review was due {shown(due)}; "
                  "have it reviewed before issuing it again")
            failed += 1
        from pipeline.readability.metrics import scored

        models = [(source, leaflet)] if scored(leaflet.meta.language) else []
        models += [(f"{rev.path} ({rev.locale})", model)
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


def _missing_facts(leaflet: Leaflet) -> list[str]:
    """What a team must add before a leaflet is issued (warnings: ``check`` does not fail for them)."""
    meta = leaflet.meta
    found = []
    if meta.provisional_code:
        found.append("no leaflet code: add a line 'Leaflet code: ABC_0123' (its files are drafts until then)")
    if meta.provisional_title:
        found.append(f"no title line: {meta.title!r} was made from the file name; put the title on the first line "
                     "('# Title' in Markdown) (its files are drafts until then)")
    found.extend(f"not final: {reason} (its files are drafts until then)" for reason in meta.unfinished)
    if meta.next_review is None:
        found.append("no 'Next review due' date")
    if not meta.contacts:
        found.append("no contact phone number for patients with questions")
    if not meta.offer_present:
        found.append("no 'Please ask if you need this information in another language or format' line")
    if not meta.organisation:
        found.append("no organisation (an 'NHS Foundation Trust' or 'Health Board' line, or 'organisation:' "
                     "in front matter)")
    return found


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
        with locked(args.out, _waiting(args.out)):  # one writer of output/ at a time, and no links written through
            lines = write_reports(sources, args.out, args.target, args.margin, args.long_sentence)
        for line in lines:
            print(line, file=sys.stderr)
        return 0
    if len(sources) != 1:
        raise _Usage("give one SOURCE to print its report, or --write for every leaflet")
    print(report_for(sources[0], args.format, args.locale, args.locales_dir, args.target, args.margin,
                     args.long_sentence), end="")
    return 0


def _sources(given: list[str], quiet: bool = False) -> list[str]:
    """The sources given, or every leaflet in ``leaflets/`` (each other file there named on stderr)."""
    from pipeline.readers import SUFFIXES, leaflet_files

    if given:
        return given
    if not DEFAULT_SOURCES.is_dir():
        raise _Usage(f"no SOURCE given and no {DEFAULT_SOURCES}/ folder here")
    found, skipped = leaflet_files(str(DEFAULT_SOURCES))
    for path, why in [] if quiet else skipped:
        print(f"leaflet: {path}: {why}", file=sys.stderr)
    if not found:
        raise _Usage(f"no leaflets ({', '.join(SUFFIXES)}) in {DEFAULT_SOURCES}/")
    return found


def _waiting(out: Path) -> Callable[[], None]:
    return lambda: print(f"leaflet: waiting for another build or request in {out}/ to finish ...", file=sys.stderr)


def _withdrawn(leaflet: Leaflet, locales_dir: Path, out: Path) -> list[tuple[Path, str]]:
    """Language folders of ``leaflet`` in ``out`` holding outputs although the language has no catalogue
    (deleted, or taken out of locales/LINGUAS)."""
    from pipeline.i18n.catalogues import linguas, po_path
    from pipeline.output import owned

    code = leaflet.meta.code
    if not (out / code).is_dir() or (out / code).is_symlink():
        return []
    listed = set(linguas(locales_dir)) if (locales_dir / "LINGUAS").exists() else set()
    found = []
    for folder in sorted(p for p in (out / code).iterdir() if p.is_dir() and not p.is_symlink()):
        locale = folder.name
        if locale == leaflet.meta.source_language:
            continue
        names = [p.name for p in folder.iterdir()]
        names += [f"{p.parent.name}/{p.name}" for sub in ("audio", "audio-DRAFT") if (folder / sub).is_dir()
                  for p in (folder / sub).iterdir()]
        if not any(owned(name, code, locale) for name in names):
            continue
        if not po_path(code, locale, locales_dir).exists():
            found.append((folder, "its catalogue was deleted"))
        elif locale not in listed:
            found.append((folder, "its language is no longer in locales/LINGUAS"))
    return found


def _check_point_size(points: float) -> None:
    from pipeline.exporters.profiles import MAX_LARGE_PRINT_PT, MIN_LARGE_PRINT_PT

    if not MIN_LARGE_PRINT_PT <= points <= MAX_LARGE_PRINT_PT:
        raise _Usage(f"--point-size {points:g} is outside {MIN_LARGE_PRINT_PT} to {MAX_LARGE_PRINT_PT}: "
                     f"large print is at least {MIN_LARGE_PRINT_PT} pt (UKAAF); for a smaller clear-print "
                     "document use --format docx")


def _locale_codes(names: list[str], locales_dir: Path) -> list[str]:
    """``--locale`` values as locale codes: ``Polish`` and ``pl-PL`` become ``pl`` (others are left as typed)."""
    from pipeline.i18n.catalogues import find_locale, linguas

    known = ["en_GB", *(linguas(locales_dir) if (locales_dir / "LINGUAS").exists() else [])]
    return [find_locale(name, known) or name for name in names]


def _build(args: argparse.Namespace) -> int:
    from pipeline.build import build, configured
    from pipeline.exporters import FORMATS
    from pipeline.names import resolve_format

    named = [resolve_format(f, FORMATS).name for f in args.format]
    from pipeline.config import load as load_config

    sources = _sources(args.sources)
    on_request, why = load_config().made_on_request(len(sources))
    # make builds every format but those left to requests; --format names them itself.
    formats = [FORMATS[f] for f in (named or [n for n in FORMATS if n not in on_request])]
    if not named and on_request and not args.quiet:
        print(f"leaflet: made only on request ({why}): {', '.join(sorted(on_request))}", file=sys.stderr)
    if args.point_size is not None:
        _check_point_size(args.point_size)
        formats = configured(formats, out=args.out, point_size=args.point_size, giant_named="giant-print" in named,
                             house=args.house)
        if not any(f.profile is not None and f.profile.sizeable for f in formats):
            raise _Usage("--point-size applies to large print: add --format large-print or large-print-pdf")
    if any(f.speech for f in formats) and args.tts.split(",")[0] == "gtts":
        from pipeline.speech.engines import reachable

        if not reachable():
            print("leaflet: error: --tts gtts: gTTS could not be reached (no internet connection?); "
                  "use --tts espeak for the offline voice", file=sys.stderr)
            return 1
    formats = configured(formats, out=args.out, tts=args.tts, force=args.force, house=args.house)
    _say_house(formats)
    from pipeline.programs import missing_program

    missing = [f for f in formats if f.requires and missing_program(f.requires)]

    def say_missing() -> None:
        for fmt in missing:
            print(f"leaflet: {fmt.name}: skipped: {missing_program(fmt.requires or '')}", file=sys.stderr)

    formats = [f for f in formats if f not in missing]
    if not formats:
        say_missing()
        return 1
    args.locale = _locale_codes(args.locale, args.locales_dir)
    started = time.perf_counter()
    progress = None if args.quiet else (lambda line: print(line, file=sys.stderr))
    with contextlib.ExitStack() as stack:
        cluster = None
        if args.cluster:
            from pipeline.cluster import connected

            cluster = stack.enter_context(connected(args.cluster, formats))
            if not args.quiet:
                print(f"leaflet: making the files on the cluster at {args.cluster} ({cluster.workers} worker(s))",
                      file=sys.stderr)
        stack.enter_context(locked(args.out, _waiting(args.out)))
        stack.enter_context(work_under(args.out / ".cache" / "tmp"))
        stack.enter_context(trusted_stats(args.out, verify=args.verify))
        _sweep(args.out)
        result = build(sources, formats, args.out, args.locales_dir, wanted_locales=args.locale,
                       force=args.force, draft=args.draft, progress=progress,
                       jobs_wanted=args.jobs or _cores(), cluster=cluster)
    say_missing()  # after the sources were read: bad input is reported alone, in one line
    for gone in result.withdrawn:
        print(f"leaflet: {gone.code} {gone.locale}: withdrew {len(gone.paths)} earlier file(s): {gone.reason}",
              file=sys.stderr)
        for path in gone.paths[:3]:
            print(f"    - removed {path}", file=sys.stderr)
        if len(gone.paths) > 3:
            print(f"    - and {len(gone.paths) - 3} more", file=sys.stderr)
    for refusal in result.refused:
        news = any((w.code, w.locale) == (refusal.code, refusal.locale) for w in result.withdrawn)
        if news or refusal.locale in args.locale:  # just refused, or asked for by name: say everything
            print(f"leaflet: {refusal.code} {refusal.locale}: NOT BUILT (use --draft for a marked draft):",
                  file=sys.stderr)
            for reason in refusal.reasons:
                print(f"    - {reason}", file=sys.stderr)
            continue
        first = (refusal.reasons[0] if refusal.reasons else "not safe to issue").split(": '")[0]
        first = first if len(first) <= 100 else first[:97] + "..."
        more = f" (+{len(refusal.reasons) - 1} more)" if len(refusal.reasons) > 1 else ""
        print(f"leaflet: {refusal.code} {refusal.locale}: not built: {first}{more}", file=sys.stderr)
    if result.refused:
        print("leaflet: why and what to do: ./leaflet status (a marked draft: make draft)", file=sys.stderr)
    for warning in result.warnings:
        print(f"leaflet: warning: {warning}", file=sys.stderr)
    for code, locale, name, why in result.unavailable:
        print(f"leaflet: {code} {locale}: {name} not made: {why}", file=sys.stderr)
    for code, locale in result.drafts:
        print(f"leaflet: {code} {locale}: built as DRAFT: not checked, not for issue to patients",
              file=sys.stderr)
    for engine, locales in sorted(result.voices.items()):
        print(f"leaflet: spoken by {engine}: {', '.join(sorted(locales))}", file=sys.stderr)
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


def _place_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", "-o", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help=f"output folder (default: {DEFAULT_OUT}/)")
    parser.add_argument("--locales-dir", type=Path, default=Path("locales"), metavar="DIR",
                        help="translation catalogues (default: locales/)")
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help="the record of issued files (default: $LEAFLET_DB, else records/requests.sqlite)")
    parser.add_argument("--house", type=Path, metavar="DIR",
                        help="the trust's house style: reference.docx and house.toml (default: house/ when it "
                             "exists; see the README, 'Your trust's look')")


def _find_book(query: str, out: Path) -> Book:
    from pipeline.issuing import find

    return find(query, _sources([], quiet=True), out)


def _find_language(book: Book, langs: list[Language], text: str | None) -> Language:
    from pipeline.i18n.catalogues import find_locale, language_meant

    if text is None:
        return langs[0]
    locale = find_locale(text, [lang.locale for lang in langs])
    if locale is not None:
        return next(lang for lang in langs if lang.locale == locale)
    have = ", ".join(f"{lang.name} ({lang.locale})" for lang in langs)
    meant = language_meant(text)
    if meant:
        raise _Usage(f"there is no {meant} version of {book.name}. Languages for this leaflet: {have}")
    from pipeline.i18n.catalogues import locale_names
    from pipeline.names import did_you_mean

    hint = did_you_mean(text, [n for lang in langs for n in locale_names(lang.locale)])
    raise _Usage(f"{text!r} is not a language name or code I know{hint} Languages for this leaflet: {have}")


def _request(args: argparse.Namespace) -> int:
    from pipeline.build import configured
    from pipeline.exporters import FORMATS
    from pipeline.issuing import Overrides, Refused, languages, serve
    from pipeline.names import resolve_format
    from pipeline.records import RecordError, Records, db_path

    book = _find_book(" ".join(args.leaflet), args.out)
    langs = languages(book, args.locales_dir)
    if args.list:
        return _list_offers(book, langs, configured(list(FORMATS.values()), out=args.out, tts=args.tts,
                                                    house=args.house), args.out)
    if not args.format:
        raise _Usage(f"say which format with {_flag('--format')} (e.g. large-print, pdf, audio, docx), or "
                     f"{_flag('--list')} to see them")
    lang = _find_language(book, langs, args.locale)
    fmt = resolve_format(args.format, FORMATS)
    if re.sub(r"[\s_]+", "-", args.format.strip().casefold()) not in (fmt.name, fmt.suffix.lstrip(".")):
        print(f"leaflet: note: {args.format!r} is {fmt.name}: {fmt.description}", file=sys.stderr)
    if args.point_size is not None:
        _check_point_size(args.point_size)
        if fmt.profile is None or not fmt.profile.sizeable:
            raise _Usage(f"--point-size applies to large-print and large-print-pdf, not {fmt.name}")
    fmt = configured([fmt], out=args.out, tts=args.tts, point_size=args.point_size, giant_named=True,
                     house=args.house)[0]
    _plain_value("--ref", args.ref)
    _plain_value("--reason", args.reason)
    _plain_value("--by", args.by)
    by = (args.by or "").strip() or _login()
    ref = (args.ref or "").strip() or None
    if ref is None and not args.no_ref:
        raise _Usage(f"say which request this copy answers with {_flag('--ref')} TICKET: the ticket or request number "
                     "that links it to the patient's record (never their name or NHS number); or "
                     f"{_flag('--no-ref')} to issue it untraceable (recorded, and flagged on every recall list)")
    if ref is not None and args.no_ref:
        raise _Usage(f"{_flag('--ref')} and {_flag('--no-ref')} say opposite things: give one")
    if ref is not None:
        from pipeline.references import patient_data

        found = patient_data(ref)
        if found:
            raise _Usage(f"{_flag('--ref')} holds what looks like {found}: the record must hold no patient data; give "
                         "the ticket or request number only (nothing was made or recorded)")
    if args.allow_overdue and not (args.reason or "").strip():
        raise _Usage("--allow-overdue needs --reason 'why this patient needs it before the review' (recorded)")
    if args.allow_previous_translation and not (args.reason or "").strip():
        raise _Usage("--allow-previous-translation needs --reason 'why the patient needs it now' (recorded)")
    overrides = Overrides(args.allow_unchecked, args.allow_overdue, (args.reason or "").strip() or None,
                          args.allow_previous_translation, no_ref=args.no_ref)
    path = db_path(args.db)
    try:
        records = Records(path)
    except RecordError as exc:
        print(f"leaflet: error: {exc}; nothing was issued: a file is not handed over without a record",
              file=sys.stderr)
        return 2
    with records:
        try:
            with locked(args.out, _waiting(args.out)), work_under(args.out / ".cache" / "tmp"):
                _sweep(args.out)
                served = serve(book, lang, fmt, out=args.out, locales_dir=args.locales_dir, records=records,
                               overrides=overrides, ref=ref, by=by)
        except Refused as exc:
            print(f"leaflet: NOT ISSUED. {exc}", file=sys.stderr)
            return 1
        except RecordError as exc:
            print(f"leaflet: error: {exc}; the file was made but could not be recorded, so do not hand it "
                  "over: put the record right and run the request again", file=sys.stderr)
            return 2
    row = served.row
    if served.changes:
        print(f"leaflet: PREVIOUS TRANSLATION: this {lang.name} file was made from the last catalogue that could be "
              "issued; what changed in the English since, by section (tell the patient, or offer the English as "
              "well):", file=sys.stderr)
        for change in served.changes:
            print(f"    {change}", file=sys.stderr)
    how = ("handed over the previous translation" if served.changes else
           "re-used the current file" if served.reused else "made")
    print(f"leaflet: {how}: {book.name}, {lang.name}, {fmt.name}; recorded as issue {row.id} in {path}, by {by}"
          + (f", ref {row.ref}" if row.ref else ", with NO reference (flagged on recall lists)"), file=sys.stderr)
    for override in row.overrides:
        print(f"leaflet: note: issued with --{override['override']}"
              + (f" (reason: {override['reason']})" if override["reason"] else "")
              + "; this is recorded", file=sys.stderr)
    if row.translator_check == "unchecked":
        print("leaflet: note: the file says on its first page that the translation is not checked by a "
              "qualified translator", file=sys.stderr)
    print(served.path)
    return 0


def _list_offers(book: Book, langs: list[Language], formats: list[Format], out: Path) -> int:
    from pipeline.issuing import offers, review_due

    state, when = review_due(book, dt.date.today())
    print(f"{book.name}: {when}" + (f"  (OVERDUE: issue only with {_flag('--allow-overdue')} {_flag('--reason')})"
                                    if state == "overdue" else ""))
    rows = [("language", "format", "state")]
    for offer in offers(book, langs, formats, out):
        lang = offer.language
        needs = f"  (needs {_flag('--allow-unchecked')})" if lang.may_issue == "unchecked" else ""
        if offer.state == "ready":
            words = f"ready: {offer.target}{needs}"
        elif offer.state == "can-make":
            words = f"can be made now{needs}" + (f" ({offer.why})" if offer.why else "")
        else:
            words = f"not available: {offer.why}"
        rows.append((f"{lang.name} ({lang.locale})", offer.fmt.name, words))
    _print_table(rows)
    return 0


def _requests(args: argparse.Namespace) -> int:
    from pipeline.issuing import issue_state
    from pipeline.records import Records, db_path, local_time

    if args.void is not None or args.resolved is not None:
        return _mark(args)
    if args.all and not args.affected_by:
        raise _Usage(f"{_flag('--all')} goes with {_flag('--affected-by')} CODE (the recall list)")
    with Records(db_path(args.db), create=False) as records:
        if args.affected_by:
            try:
                return _recall(args, records)
            finally:
                _report_damaged(records)
        code = _leaflet_code(args.leaflet) if args.leaflet else None
        rows = records.rows(since=args.since, leaflet=code, locale=args.locale)
        events = records.events()
    _report_damaged(records)
    table: list[dict[str, object]] = [{
        "id": r.id, "issued_at": local_time(r.issued_at) if args.format == "table" else r.issued_at,
        "issued_by": r.issued_by or "", "ref": r.ref or "NONE", "leaflet": r.leaflet_code, "title": r.title,
        "locale": r.locale, "format": r.format, "translator_check": r.translator_check,
        "checked_by": r.checked_by or "", "overrides": "; ".join(
            o["override"] + (f" ({o['reason']})" if o["reason"] else "") for o in r.overrides),
        "state": issue_state(r, events) if any(e.kind == "void" for e in events.get(r.id or 0, [])) else "",
        "output": r.output_path, "output_sha256": r.output_sha256, "source_sha256": r.source_sha256,
        "catalogue_sha256": r.catalogue_sha256 or "",
    } for r in rows]
    _print_rows(table, args.format, ("id", "issued_at", "issued_by", "ref", "leaflet", "locale", "format",
                                     "translator_check", "overrides", "state", "output"), "nothing issued matches")
    return 0


def _mark(args: argparse.Namespace) -> int:
    """``--void N`` or ``--resolved N``: an entry added to the record; the issue's row is never changed."""
    from pipeline.records import Records, db_path, local_time

    if args.void is not None and args.resolved is not None:
        raise _Usage(f"give {_flag('--void')} or {_flag('--resolved')}, not both")
    kind, number = ("void", args.void) if args.void is not None else ("resolved", args.resolved)
    _plain_value("--reason", args.reason)
    _plain_value("--by", args.by)
    reason = (args.reason or "").strip()
    if not reason:
        example = "entered twice by mistake" if kind == "void" else "posted corrected copy"
        raise _Usage(f"{_flag('--' + kind)} {number} needs {_flag('--reason')} (e.g. '{example}'): it is recorded")
    from pipeline.references import patient_data

    found = patient_data(reason)
    if found:
        raise _Usage(f"{_flag('--reason')} holds what looks like {found}: the record holds no patient data")
    by = (args.by or "").strip() or _login()
    with Records(db_path(args.db)) as records:
        event = records.add_event(number, kind, by, reason)
    print(f"leaflet: issue {number} is now {kind}: {reason} ({by}, {local_time(event.at)}); the issue itself "
          "stays in the record", file=sys.stderr)
    return 0


def _report_damaged(records: Records) -> None:
    for line in records.damaged:
        print(_printable(f"leaflet: warning: {records.path}: {line}"), file=sys.stderr)


def _leaflet_code(query: str) -> str:
    from pipeline.issuing import library
    from pipeline.names import find_leaflet

    try:
        return find_leaflet(query, [b.entry for b in library(_sources([], quiet=True))]).code
    except LeafletError:
        return query  # a leaflet no longer in the library is still in the record


def _recall(args: argparse.Namespace, records: Records) -> int:
    from pipeline.issuing import languages, recall
    from pipeline.records import local_time

    book = _find_book(args.affected_by, args.out)
    affected = recall(records, book, languages(book, args.locales_dir))
    found = affected if args.all else [item for item in affected if item.open]
    if args.format == "table":
        done = len(affected) - len([i for i in affected if i.open])
        if not found:
            print(f"No issued copy of {book.name} is waiting to be put right: "
                  + (f"{done} affected cop(ies), all replaced, resolved or void ({_flag('--all')} lists them)."
                     if done else "every one was made from the current version."))
            return 0
        more = f" ({done} more done: {_flag('--all')} lists them)" if done else ""
        print(f"{len(found)} issued cop(ies) of {book.name} came from an older version"
              + (" (all of them, whatever became of each):" if args.all else f" and are still to be put right{more}:"))
        for item in found:
            r = item.row
            ref = f"ref {r.ref}" if r.ref else "NO REFERENCE: cannot be traced to a patient"
            print(_printable(f"  issue {r.id}  {local_time(r.issued_at)}  by {r.issued_by or '?'}  {ref}  {r.locale}  "
                             f"{r.format}: {'; '.join(item.why)}" + ("" if item.open else f"  [{item.state}]")))
            for change in item.changes:
                print(_printable(f"      - {change}"))
        print(f"When a patient has the corrected copy: issue it to the same {_flag('--ref')} (that resolves it), "
              f"or {_flag('--resolved')} N {_flag('--reason')} 'posted corrected copy' / 'patient informed by phone'.")
        return 0
    rows: list[dict[str, object]] = [
        {"id": i.row.id, "issued_at": i.row.issued_at, "issued_by": i.row.issued_by or "", "ref": i.row.ref or "",
         "locale": i.row.locale, "format": i.row.format, "state": i.state, "why": "; ".join(i.why),
         "changes": i.changes if args.format == "json" else " | ".join(i.changes), "output": i.row.output_path}
        for i in found]
    _print_rows(rows, args.format, ("id", "issued_at", "issued_by", "ref", "locale", "format", "state", "why",
                                    "changes", "output"), "")
    return 0


def _print_rows(rows: list[dict[str, object]], fmt: str, columns: tuple[str, ...], empty: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else list(columns))
        writer.writeheader()
        writer.writerows({key: _csv_cell(value) for key, value in row.items()} for row in rows)
    elif not rows:
        print(empty)
    else:
        cells = [columns] + [tuple(str(r[c]) for c in columns) for r in rows]
        _print_table(cells)


def _status(args: argparse.Namespace) -> int:
    from pipeline.issuing import languages, library, review_due, to_put_right
    from pipeline.records import db_path

    today = dt.date.today()
    books = library(_sources([], quiet=True))
    report = [(book, *review_due(book, today), languages(book, args.locales_dir)) for book in books]
    recalls = to_put_right(db_path(args.db), books, args.locales_dir)
    if args.json:
        print(json.dumps([{
            "leaflet": book.code, "title": book.title, "source": book.path, "review": state, "review_note": when,
            "offer_line": book.leaflet.meta.offer_present, "issued_to_put_right": recalls.get(book.code, 0),
            "languages": [{"locale": lang.locale, "language": lang.name, "may_issue": lang.may_issue,
                           "why_not": lang.why_not(), "translator_check": lang.checked()} for lang in langs],
        } for book, state, when, langs in report], indent=2, ensure_ascii=False))
        return 0
    print("Review dates")
    order = ("overdue", "due-soon", "unknown")
    urgent = sorted((r for r in report if r[1] in order), key=lambda r: order.index(r[1]))
    for book, state, when, _ in urgent:
        word = {"overdue": "OVERDUE ", "due-soon": "DUE SOON", "unknown": "NO DATE "}[state]
        print(f"  {word}  {book.code}  {book.title}: {when}")
    if not urgent:
        print(f"  none overdue or due within 90 days ({len(report)} leaflet(s))")
    for book, *_ in report:
        if not book.leaflet.meta.offer_present:
            print(f"  WARNING   {book.code}  {book.title}: no 'another language or format' offer line; "
                  "patients are not told they can ask")
    from pipeline.config import load as load_config

    on_request, why = load_config().made_on_request(len(report))
    if on_request:
        print()
        print(f"Made only on request ({why}), not by make: {', '.join(sorted(on_request))}")
    print()
    print("Issued copies from an older version")
    for code, count in sorted(recalls.items()):
        print(f"  RECALL    {code}: {count} issued cop(ies) not yet put right: make requests AFFECTED_BY={code}")
    if not recalls:
        print("  none to put right")
    print()
    print("May it be issued now?")
    rows = [("leaflet", "title", "language", "answer")]
    for book, state, _, langs in report:
        for n, lang in enumerate(langs):
            unchecked = ("the translations changed since the sign-off by a qualified translator" if
                         lang.review and lang.review.signoff_lapsed else "not checked by a qualified translator")
            answer = {"yes": "yes", "unchecked": f"yes, with --allow-unchecked: {unchecked} (the file says so)",
                      "no": f"NO: {lang.why_not()}"}[lang.may_issue]
            if state == "overdue":
                answer = f"NO: review overdue (--allow-overdue --reason to override); then: {answer}"
            rows.append((book.code if n == 0 else "", book.title[:32] if n == 0 else "",
                         f"{lang.name} ({lang.locale})", answer))
    _print_table(rows)
    return 0


def _import(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from pipeline.importing import report_html, report_text, survey
    from pipeline.output import write_atomic

    folder = args.folder
    if not folder.is_dir():
        raise _Usage(f"{folder} is not a folder: give the folder that holds the leaflets")
    reports = survey(str(folder), args.jobs or _cores(), progress=not args.json)
    path = args.report or DEFAULT_OUT / "import-report.html"
    write_atomic(path, report_html(reports, str(folder)).encode("utf-8"))
    if args.json:
        print(json.dumps([dataclasses.asdict(r) for r in reports], indent=2, default=str, ensure_ascii=False))
    else:
        print(report_text(reports), end="")
    print(f"leaflet: wrote {path}", file=sys.stderr)
    return 0


def _index(args: argparse.Namespace) -> int:
    from pipeline.records import db_path

    with locked(args.out, _waiting(args.out)):
        path, recalls = write_index(args.out, args.locales_dir, db_path(args.db), args.house)
    print(f"leaflet: wrote {path}", file=sys.stderr)
    _say_recalls(recalls)
    return 0


def _house(args: argparse.Namespace) -> int:
    from pipeline.house import large_print_notes, load, write_example

    if args.example:
        if args.folder.exists() and any(args.folder.iterdir()):
            raise _Usage(f"{args.folder} is not empty: give an empty or new folder for the example")
        write_example(args.folder, serif=args.serif)
        print(f"leaflet: wrote an example house style in {args.folder} (reference.docx, house.toml, logo.png); "
              f"'make' uses a house/ folder, or --house {args.folder}", file=sys.stderr)
    style = load(args.folder)
    print(f"{style.folder}: {style.name or '(no name)'}; Word template: {'yes' if style.reference else 'no'}; "
          f"logo: {'yes' if style.logo else 'no'}; colours pass WCAG 2.2 AA contrast")
    for note in large_print_notes(style, "Arial"):
        print(f"  large print: {note}")
    return 0


def _say_house(formats: list[Format]) -> None:
    """One line per build saying which house style is used, and what large print overrides in it."""
    house = next((f.options["house"] for f in formats if "house" in f.options), None)
    if house is None:
        return
    from pipeline.house import large_print_notes

    print(f"leaflet: house style: {house.folder}", file=sys.stderr)
    large = next((f.profile for f in formats if f.profile is not None and f.profile.large), None)
    if large is not None:
        notes = large_print_notes(house, large.font)
        if notes:
            print(f"leaflet: house style in large print: {'; '.join(notes)}", file=sys.stderr)


def _say_recalls(recalls: dict[str, int]) -> None:
    """One line per leaflet whose issued copies came from an older version (the end of ``make`` says it)."""
    for code, count in sorted(recalls.items()):
        print(f"leaflet: RECALL: {count} issued cop(ies) of {code} came from an older version and are not yet put "
              f"right: make requests AFFECTED_BY={code}  (./leaflet requests --affected-by {code})", file=sys.stderr)


def write_index(out: Path, locales_dir: Path, db: Path | None = None,
                house: Path | None = None) -> tuple[Path, dict[str, int]]:
    """Write ``out/index.html`` for every leaflet in ``leaflets/``; returns its path, and per leaflet the
    issued copies still to put right (from the record at ``db``)."""
    from pipeline.build import configured
    from pipeline.exporters import FORMATS

    formats = configured(list(FORMATS.values()), out=out, house=house)
    with trusted_stats(out):
        return _write_index(out, locales_dir, db, formats)


def _write_index(out: Path, locales_dir: Path, db: Path | None, formats: list[Format]) -> tuple[Path, dict[str, int]]:
    from pipeline.catalogue_page import Listing, catalogue_page
    from pipeline.config import load as load_config
    from pipeline.issuing import languages, library, offers, to_put_right
    from pipeline.output import write_atomic
    from pipeline.readability.metrics import scored
    from pipeline.readability.report import analyse

    items = []
    books = library(_sources([], quiet=True))
    on_request, _ = load_config().made_on_request(len(books))
    recalls = to_put_right(db, books, locales_dir) if db is not None else {}
    for book in books:
        langs = languages(book, locales_dir)
        age = analyse(book.leaflet).reading_age if scored(book.leaflet.meta.language) else None
        report = out / book.code / "readability.html"
        items.append(Listing(book, langs, offers(book, langs, formats, out), age,
                             report.relative_to(out).as_posix() if report.exists() else None,
                             recalls.get(book.code, 0), on_request))
    path = out / "index.html"
    write_atomic(path, catalogue_page(items, out, dt.date.today()).encode("utf-8"))
    return path, recalls


def run() -> None:
    """The ``leaflet`` program: :func:`main`, then exit with its code.

    Once the work is done and said, a Ctrl-C (while Python shuts down) must not turn a
    finished build into a process killed by a signal: it is ignored from then on.
    """
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _stop)
    code = main()
    for stop in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    run()
