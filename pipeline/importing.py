"""``leaflet import``: read a trust's whole existing library and say, file by file, what needs a person.

Every file under the folder (its subfolders too, never through a symbolic link) is read
with the reader for its type, on every core, exactly as a build would read it; nothing is
written but the report.  For each file the report says what was read (title, code,
dates, sections, pictures, and where each fact came from) and what needs a person: a file
that cannot be read (a ``.doc``, a password), a draft (tracked changes, comments,
placeholders, an uncertain reading order), pictures without alt text, a missing or
passed review date, a missing code or title, two files with one code, content the reader
left out.  Files are sorted so the team can work down the list: unreadable first, then
drafts, then most to do.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from pipeline.errors import LeafletError
from pipeline.readers.dates import ends, shown

log = logging.getLogger("pipeline")


@dataclass
class FileReport:
    """What was read from one file, and what a person must do about it."""

    path: str
    kind: str
    title: str | None = None
    code: str | None = None
    reviewed: dt.date | None = None
    next_review: dt.date | None = None
    sections: int = 0
    pictures: int = 0
    pictures_without_alt: int = 0
    found_in: dict[str, str] = field(default_factory=dict)
    needs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    draft: bool = False
    other: bool = False
    """Not a leaflet file at all (a spreadsheet, a web page): passed over, and listed last."""

    @property
    def rank(self) -> tuple[int, int, str]:
        """Unreadable files first, then drafts, then most to do, then other files; by path within each."""
        group = 4 if self.other else 0 if self.error else 1 if self.draft else 2 if self.needs else 3
        return group, -len(self.needs), self.path


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def survey_file(path: str, today: dt.date) -> FileReport:
    """Read one file as a build would, keeping its warnings for the report instead of printing them."""
    from pipeline.model import Heading, Picture, iter_blocks
    from pipeline.readers import READERS, read_leaflet

    suffix = os.path.splitext(path)[1].lower()
    reader = READERS.get(suffix)
    report = FileReport(path, reader.name if reader else suffix.lstrip(".") or "file")
    handler = _Warnings()
    logger = logging.getLogger("pipeline")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        leaflet = read_leaflet(path)
    except LeafletError as exc:
        report.error = exc.message if hasattr(exc, "message") else str(exc)
        report.needs.append(f"cannot be read: {report.error}")
        return report
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    meta = leaflet.meta
    report.title, report.code = meta.title, meta.shown_code
    report.reviewed, report.next_review = meta.reviewed, meta.next_review
    report.found_in = dict(meta.found_in)
    blocks = list(iter_blocks(leaflet.blocks))
    report.sections = sum(isinstance(b, Heading) for b in blocks)
    pictures = [b for b in blocks if isinstance(b, Picture)]
    report.pictures = len(pictures)
    report.pictures_without_alt = sum(not p.alt for p in pictures)
    prefix = f"{path}: "
    report.warnings = [m[len(prefix):] if m.startswith(prefix) else m for m in handler.messages]
    report.draft = meta.provisional
    report.needs.extend(f"draft: {reason}" for reason in meta.unfinished)
    if meta.provisional_title:
        report.needs.append("no title found: the title was made from the file name")
    if meta.provisional_code:
        report.needs.append("no leaflet code found")
    if report.pictures_without_alt:
        report.needs.append(f"{report.pictures_without_alt} picture(s) without alt text")
    if meta.next_review is None:
        report.needs.append("no review date")
    elif ends(meta.next_review) < today:
        report.needs.append(f"review overdue since {shown(meta.next_review)}")
    if report.warnings:
        report.needs.append(f"{len(report.warnings)} thing(s) the reader left out or could not place (see below)")
    return report


def library_files(folder: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Every file under ``folder`` (subfolders too, no symbolic links), and those passed over with why."""
    from pipeline.readers import leaflet_files

    found: list[str] = []
    passed: list[tuple[str, str]] = []
    for root, dirs, _ in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        sources, skipped = leaflet_files(root)
        found.extend(sources)
        passed.extend((p, why) for p, why in skipped if not why.startswith("a folder"))
    return sorted(found), passed


def survey(folder: str, jobs: int, progress: bool = True, today: dt.date | None = None) -> list[FileReport]:
    """A report for every file under ``folder``, read on ``jobs`` cores, sorted for the team to work down."""
    from pipeline.workers import run

    day = today or dt.date.today()
    files, passed = library_files(folder)
    reports = [FileReport(path, os.path.splitext(path)[1].lstrip(".") or "file", other=True)
               if "not a leaflet file" in why else FileReport(path, "Word", error=why, needs=[why])
               for path, why in passed]
    started = time.perf_counter()
    for done, (_, report) in enumerate(run(lambda i: survey_file(files[i], day), len(files), jobs), start=1):
        reports.append(report)
        if progress and (done % 50 == 0 or done == len(files)):
            rate = done / max(time.perf_counter() - started, 1e-6)
            print(f"leaflet import: {done}/{len(files)} file(s) read ({rate:.0f} a second)", flush=True,
                  file=sys.stderr)
    codes = Counter(r.code for r in reports if r.code and not r.error)
    for report in reports:
        if report.code and codes[report.code] > 1:
            others = [r.path for r in reports if r.code == report.code and r is not report]
            report.needs.append(f"leaflet code {report.code} is also used by {', '.join(others[:3])}")
    return sorted(reports, key=lambda r: r.rank)


def report_text(reports: list[FileReport]) -> str:
    """The report for a terminal: a summary, then every file that needs a person with what to do."""
    needing = [r for r in reports if r.needs]
    others = [r for r in reports if r.other]
    leaflets = len(reports) - len(others)
    lines = [f"{leaflets} leaflet file(s): {sum(1 for r in reports if not r.error and not r.other)} read, "
             f"{sum(1 for r in reports if r.error)} cannot be read, {sum(1 for r in reports if r.draft)} draft(s), "
             f"{len(needing)} need a person."]
    for report in needing:
        what = f"{report.code or '-'}  {report.title or ''}".strip()
        lines.append(f"{report.path}  ({report.kind}{': ' + what if not report.error else ''})")
        lines.extend(f"    - {need}" for need in report.needs)
        lines.extend(f"        {warning}" for warning in report.warnings[:5])
    if others:
        names = ", ".join(r.path for r in others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        lines.append(f"Not leaflet files, passed over: {len(others)}: {names}")
    return "\n".join(lines) + "\n"


def report_html(reports: list[FileReport], folder: str) -> str:
    """The report as one accessible web page: a table of every file, what was read and what needs doing."""
    esc = html.escape
    rows = []
    for r in reports:
        where = ", ".join(f"{k}: {v}" for k, v in sorted(r.found_in.items()))
        needs = "".join(f"<li>{esc(n)}</li>" for n in r.needs) or "<li>nothing</li>"
        left_out = "".join(f"<li>{esc(w)}</li>" for w in r.warnings)
        details = f"<details><summary>What was left out</summary><ul>{left_out}</ul></details>" if left_out else ""
        rows.append(
            f"<tr><th scope=\"row\">{esc(r.path)}</th><td>{esc(r.kind)}</td><td>{esc(r.title or '')}</td>"
            f"<td>{esc(r.code or '')}</td><td>{shown(r.reviewed) if r.reviewed else ''}</td>"
            f"<td>{shown(r.next_review) if r.next_review else ''}</td>"
            f"<td>{r.sections}</td><td>{r.pictures} ({r.pictures_without_alt} without alt text)</td>"
            f"<td>{esc(where)}</td><td><ul>{needs if not r.other else '<li>not a leaflet file: passed over</li>'}"
            f"</ul>{details}</td></tr>")
    summary = esc(report_text(reports).split("\n", 1)[0])
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Library import report: {esc(folder)}</title>
<style>body {{ font-family: Arial, sans-serif; line-height: 1.4; margin: 1rem; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #555; padding: 0.3rem; text-align: start;
vertical-align: top; }} ul {{ margin: 0; padding-inline-start: 1.2rem; }}
.scroll {{ overflow-x: auto; }} .scroll:focus {{ outline: 3px solid #ffbf47; }}</style></head>
<body><main>
<h1>Library import report</h1>
<p>{esc(folder)}: {summary}</p>
<p>Sorted so you can work down the list: files that cannot be read first, then drafts, then the most to do.</p>
<div class="scroll" role="region" tabindex="0" aria-label="Every file">
<table><thead><tr><th scope="col">File</th><th scope="col">Type</th><th scope="col">Title</th>
<th scope="col">Code</th><th scope="col">Reviewed</th><th scope="col">Next review</th><th scope="col">Sections</th>
<th scope="col">Pictures</th><th scope="col">Facts found in</th><th scope="col">Needs a person</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
</main></body></html>
"""
