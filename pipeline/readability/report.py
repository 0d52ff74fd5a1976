"""Readability reports: the leaflet as readers read it, scored whole, by section and by sentence.

Text is taken from the document model, not the Markdown: markup is gone, and every
heading, list item and table cell is a sentence of its own (textstat on raw Markdown
merges a bulleted list into one long sentence).  Paragraphs are split into sentences
at ``.``, ``!`` and ``?`` followed by a capital or a digit, except after common
abbreviations ("e.g.", "Dr.").  Each sentence is then *cleaned* for textstat:
full stops inside it ("8.30am", "e.g.") are removed so textstat counts the same
sentences we do, and it ends with exactly one full stop.  The figures are textstat's,
run on those cleaned sentences, one a line.

Passive voice is found by a heuristic (a form of "to be" or "to get" followed by a
past participle): it finds most passives and some adjectives; the report says so.

Medical terms from ``pipeline/data/medical_terms.csv`` are flagged where the leaflet
first uses them in running text (not in headings or contact lines) without explaining
them.  A term counts as explained when, in the same sentence, it is followed (directly or
after one word) by a bracket ("sacrum (bone in the lower spine)"), or by "means",
"is when", "makes you", "to make", or a dash or comma and "which", "a", "the"; or when
it stands in brackets after its explanation ("air leak (pneumothorax)") or is introduced
as "called <term>", or a section heading asks "What is ...?" about it.  Only the first
use is judged: once explained, a term may be used freely.
"""

from __future__ import annotations

import csv
import html
import importlib.resources
import io
import json
import re
import statistics
from dataclasses import dataclass, field
from functools import cache

from pipeline.model import (
    BlockQuote,
    BulletList,
    Heading,
    Leaflet,
    OrderedList,
    Paragraph,
    Table,
    inline_text,
)
from pipeline.phones import has_phone
from pipeline.readability.metrics import UK_READING_AGE_OFFSET, Scores, score, words

SMOG_MIN_SENTENCES = 30
"""SMOG was designed for samples of 30 sentences; below that it is reported with a warning."""

_ABBREVIATIONS = {"e.g", "i.e", "eg", "ie", "dr", "mr", "mrs", "ms", "prof", "st", "no", "approx", "etc",
                  "vs", "tel", "mins", "hrs"}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being|get|gets|got|getting)\s+(?:\w+ly\s+)?"
    r"(\w+ed|given|done|made|taken|seen|shown|told|put|kept|held|sent|brought|found|known|set|"
    r"paid|built|drawn|driven|eaten|grown|led|lost|met|sold|spent|thrown|understood|worn|written)\b",
    re.I,
)
_NOT_PASSIVE = {"tired", "worried", "interested", "pleased", "concerned", "used", "supposed", "scared",
                "allowed", "prepared", "needed", "married", "bored", "excited", "relaxed", "ashamed"}


@dataclass(frozen=True, slots=True)
class Issue:
    """Something to change in a sentence, and why."""

    kind: str
    """``long sentence``, ``plain words``, ``passive voice`` or ``unexplained term``."""
    text: str
    """The words the issue is about (the whole sentence for a long one)."""
    suggestion: str
    """What to do instead."""


@dataclass
class Sentence:
    """One sentence as a reader reads it."""

    text: str
    section: str
    words: int
    reading_age: float
    """Flesch-Kincaid grade + 5: the other formulas need more than one sentence."""
    issues: list[Issue] = field(default_factory=list)


@dataclass
class Section:
    """Heading to heading."""

    heading: str
    sentences: list[Sentence]
    scores: Scores


@dataclass
class Report:
    """The readability of one leaflet."""

    title: str
    code: str
    language: str
    target: float
    margin: float
    scores: Scores
    sections: list[Section]
    sentences: list[Sentence]

    @property
    def headline_formulas(self) -> tuple[str, ...]:
        """The grade formulas the headline is the median of: SMOG only on 30 sentences or more."""
        names = ("Flesch-Kincaid", "SMOG", "Gunning Fog", "Coleman-Liau")
        return names if self.smog_reliable else tuple(n for n in names if n != "SMOG")

    @property
    def reading_age(self) -> float:
        """The headline figure: UK reading age of the whole leaflet (5 + the median of :attr:`headline_formulas`)."""
        if self.smog_reliable:
            return self.scores.reading_age
        s = self.scores
        grades = (s.flesch_kincaid_grade, s.gunning_fog, s.coleman_liau)
        return round(statistics.median(grades) + UK_READING_AGE_OFFSET, 1)

    @property
    def over_gate(self) -> bool:
        """True when the reading age is more than ``margin`` years above ``target``."""
        return self.reading_age > self.target + self.margin

    @property
    def smog_reliable(self) -> bool:
        """SMOG needs 30 sentences or more."""
        return len(self.sentences) >= SMOG_MIN_SENTENCES

    def worst_sections(self, count: int = 3) -> list[Section]:
        """The hardest sections (of at least 20 words), hardest first."""
        sized = [s for s in self.sections if s.scores.words >= 20] or self.sections
        return sorted(sized, key=lambda s: s.scores.reading_age, reverse=True)[:count]

    def warnings(self) -> list[str]:
        """Cautions about the figures."""
        notes = ["Passive voice is found by a heuristic: check each one."]
        if not self.smog_reliable:
            notes.insert(0, f"SMOG is not reliable on {len(self.sentences)} sentences "
                            f"(it needs {SMOG_MIN_SENTENCES}): read it as a rough guide.")
        return notes


@cache
def medical_terms() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """The medical terms list (``pipeline/data/medical_terms.csv``) as patterns."""
    text = importlib.resources.files("pipeline").joinpath("data/medical_terms.csv").read_text(encoding="utf-8")
    terms = []
    for row in csv.DictReader(io.StringIO(text)):
        term = row["term"].strip()
        flags = 0 if term.isupper() else re.I  # "CT" is an abbreviation, "ct" is not
        terms.append((re.compile(r"\b" + re.escape(term).replace(r"\ ", r"\s+") + r"\b", flags), term,
                      row["plain explanation"].strip()))
    terms.sort(key=lambda t: -len(t[1]))  # "local anaesthetic" before "anaesthetic"
    return tuple(terms)


_EXPLAINED_AFTER = re.compile(
    r"^(?:\s+\w+)?\s*\(|^\)|^\s*(?:[-–,:]\s*(?:which|a|an|the)\b|means\b|is\s+when\b|(?:makes|helps)\s+you\b"
    r"|to\s+(?:make|help)\b)", re.I)
_CALLED_BEFORE = re.compile(r"(?:\b(?:called|known\s+as)\s+(?:an?\s+|the\s+)?[\"“]?|\()$", re.I)


def _unexplained_terms(sentence: str, seen: set[str]) -> list[Issue]:
    """Issues for medical terms used here for the first time without an explanation."""
    issues = []
    taken: list[tuple[int, int]] = []
    for pattern, term, plain in medical_terms():
        m = pattern.search(sentence)
        if not m or any(a < m.end() and m.start() < b for a, b in taken):
            continue
        taken.append((m.start(), m.end()))
        if term.lower() in seen:
            continue
        seen.add(term.lower())
        if _EXPLAINED_AFTER.match(sentence[m.end():]) or _CALLED_BEFORE.search(sentence[: m.start()]):
            continue
        issues.append(Issue("unexplained term", m.group(0),
                            f"'{m.group(0)}' is not explained: add what it means, e.g. '({plain})'"))
    return issues


@cache
def plain_words() -> tuple[tuple[re.Pattern[str], str, str, str], ...]:
    """The team's plain-words list (``pipeline/data/plain_words.csv``), as patterns."""
    text = importlib.resources.files("pipeline").joinpath("data/plain_words.csv").read_text(encoding="utf-8")
    entries = []
    for row in csv.DictReader(io.StringIO(text)):
        phrase = row["word or phrase"].strip()
        if phrase:
            pattern = re.compile(r"\b" + re.escape(phrase).replace(r"\ ", r"\s+") + r"\b", re.I)
            entries.append((pattern, phrase, row["suggestion"].strip(), (row.get("note") or "").strip()))
    return tuple(entries)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, not after abbreviations."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start : m.start()].split()
        last = before[-1].rstrip(".!?\"”’)").lower() if before else ""
        if last in _ABBREVIATIONS:
            continue
        out.append(text[start : m.start()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def clean(sentence: str) -> str:
    """A sentence as textstat must see it: no inner sentence ends, one full stop at the end."""
    body = sentence.strip().rstrip(".!?:;")

    def inner_end(m: re.Match[str]) -> str:
        word = m.group(1)
        return word if word.lower().replace(".", "") in _ABBREVIATIONS else word + ","

    body = re.sub(r"(\S+?)[.!?](?=\s)", inner_end, body)  # "Dr. Smith", "e.g. this", "so. Then"
    body = re.sub(r"[.!?](?=\S)", "", body)  # 8.30am, e.g
    return body + "."


def units(leaflet: Leaflet) -> list[tuple[str, str]]:
    """(section heading, sentence) for every sentence readers read, in order."""
    section = leaflet.meta.title
    found: list[tuple[str, str]] = [(section, leaflet.meta.title)]

    def add(text: str, whole: bool = False) -> None:
        text = " ".join(text.split())
        if text and re.search(r"[^\W\d_]", text):
            found.extend((section, s) for s in ([text] if whole else split_sentences(text)))

    def walk(blocks: tuple) -> None:  # type: ignore[type-arg]
        nonlocal section
        for block in blocks:
            if isinstance(block, Heading):
                section = inline_text(block.content).strip()
                add(section, whole=True)
            elif isinstance(block, Paragraph):
                add(inline_text(block.content))
            elif isinstance(block, BulletList | OrderedList):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, BlockQuote):
                walk(block.blocks)
            elif isinstance(block, Table):
                for cell in (*block.header, *(c for row in block.rows for c in row)):
                    add(inline_text(cell.content))

    walk(leaflet.blocks)
    return found


def _issues(sentence: str, word_count: int, long_words: int) -> list[Issue]:
    issues = []
    if word_count > long_words:
        issues.append(Issue("long sentence", sentence,
                            f"{word_count} words: split it into sentences of 15 to 20 words"))
    for pattern, _, suggestion, note in plain_words():
        m = pattern.search(sentence)
        if m:
            tip = f"'{m.group(0)}' -> '{suggestion}'" + (f" ({note})" if note else "")
            issues.append(Issue("plain words", m.group(0), tip))
    for m in _PASSIVE.finditer(sentence):
        if m.group(1).lower() not in _NOT_PASSIVE:
            issues.append(Issue("passive voice", m.group(0),
                                f"'{m.group(0)}' is passive: say who does it ('we will ...', "
                                "'your doctor will ...')"))
    return issues


def analyse(leaflet: Leaflet, target: float = 11, margin: float = 4, long_words: int = 25) -> Report:
    """Score ``leaflet`` whole, by section and by sentence, with suggestions."""
    language = leaflet.meta.language
    pairs = units(leaflet)
    cleaned = [clean(s) for _, s in pairs]
    sentences = []
    seen_terms: set[str] = set()
    english = language.split("_")[0] == "en"
    headings = {leaflet.meta.title} | {inline_text(b.content).strip() for b in leaflet.blocks
                                       if isinstance(b, Heading)}
    for heading in headings:  # a section "What is a biopsy?" explains the terms it names
        asked = re.match(r"what\s+(?:is|are)\s+(.+)", heading, re.I)
        if asked:
            seen_terms.update(term.lower() for pattern, term, _ in medical_terms() if pattern.search(asked.group(1)))
    for (section, text), tidy in zip(pairs, cleaned, strict=True):
        count = sum(1 for _ in words(text))
        # One sentence is too small a sample for SMOG or Gunning Fog: rate it by Flesch-Kincaid.
        grade = score(tidy, language, 1).flesch_kincaid_grade
        issues = _issues(text, count, long_words)
        if english and not (text in headings or has_phone(text)):
            issues += _unexplained_terms(text, seen_terms)
        sentences.append(Sentence(text, section, count, round(grade + UK_READING_AGE_OFFSET, 1), issues))
    by_section: dict[str, list[int]] = {}
    for index, (section, _) in enumerate(pairs):
        by_section.setdefault(section, []).append(index)
    sections = [
        Section(heading, [sentences[i] for i in indexes],
                score("\n".join(cleaned[i] for i in indexes), language, len(indexes)))
        for heading, indexes in by_section.items()
    ]
    whole = score("\n".join(cleaned), language, len(cleaned))
    return Report(leaflet.meta.title, leaflet.meta.code, language, target, margin, whole, sections, sentences)


def cleaned_text(leaflet: Leaflet) -> str:
    """The text the whole-leaflet figures are computed on: one cleaned sentence a line."""
    return "\n".join(clean(s) for _, s in units(leaflet))


def _figures(scores: Scores) -> dict[str, float | int]:
    return {
        "reading_age": scores.reading_age,
        "flesch_reading_ease": scores.flesch_reading_ease,
        "flesch_kincaid_grade": scores.flesch_kincaid_grade,
        "smog": scores.smog,
        "gunning_fog": scores.gunning_fog,
        "coleman_liau": scores.coleman_liau,
        "sentences_count": scores.sentences,
        "words_count": scores.words,
    }


def to_json(report: Report) -> str:
    """The JSON report (``output/<CODE>/readability.json``)."""
    data = {
        "leaflet": report.code,
        "title": report.title,
        "language": report.language,
        **_figures(report.scores),
        "target_reading_age": report.target,
        "gate_reading_age": report.target + report.margin,
        "over_gate": report.over_gate,
        "smog_reliable": report.smog_reliable,
        "headline_formulas": list(report.headline_formulas),
        "warnings": report.warnings(),
        "sections": [{"heading": s.heading, **_figures(s.scores)} for s in report.sections],
        "sentences": [
            {"text": s.text, "section": s.section, "words": s.words, "reading_age": s.reading_age,
             "issues": [{"kind": i.kind, "text": i.text, "suggestion": i.suggestion} for i in s.issues]}
            for s in report.sentences
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_text(report: Report, top: int = 10) -> str:
    """The terminal report: headline, worst sections, top suggestions."""
    scores = report.scores
    state = "ABOVE the gate" if report.over_gate else ("above target" if report.reading_age > report.target
                                                        else "on target")
    lines = [
        f"{report.code}  {report.title}",
        f"  reading age {report.reading_age:g} (target {report.target:g}, gate {report.target + report.margin:g}): "
        f"{state}",
        f"  Flesch reading ease {scores.flesch_reading_ease:g}, Flesch-Kincaid grade {scores.flesch_kincaid_grade:g}, "
        f"SMOG {scores.smog:g}{'' if report.smog_reliable else ' (unreliable)'}, Gunning Fog "
        f"{scores.gunning_fog:g}, Coleman-Liau {scores.coleman_liau:g}",
        f"  {len(report.sentences)} sentences, {scores.words} words; the reading age is 5 + the median of "
        f"{', '.join(report.headline_formulas)}",
        "",
        "  Hardest sections:",
    ]
    for section in report.worst_sections():
        lines.append(f"    {section.scores.reading_age:5.1f}  {section.heading}")
    flagged = [s for s in report.sentences if s.issues]
    flagged.sort(key=lambda s: (-len(s.issues), -s.words))
    if flagged:
        lines += ["", "  Top suggestions:"]
        for sentence in flagged[:top]:
            lines.append(f"    [{sentence.section}] {sentence.text[:90]}{'...' if len(sentence.text) > 90 else ''}")
            for issue in sentence.issues:
                lines.append(f"      - {issue.kind}: {issue.suggestion}")
    lines += [""] + [f"  Note: {w}" for w in report.warnings()]
    return "\n".join(lines) + "\n"


_FLAGS = {"hard": "Hard:", "very-hard": "Very hard:"}
"""Said before a marked sentence, so the marking does not rest on colour alone."""
_MARKS = {"plain": "plainer word available", "passive": "passive voice", "term": "medical term not explained"}
"""What each kind of marked word means (read out by screen readers, shown in the key)."""


def to_html(report: Report) -> str:
    """A self-contained page: the leaflet with hard sentences highlighted and suggestions beside them."""
    esc = html.escape
    rows = []
    current = None
    for sentence in report.sentences:
        if sentence.section != current:
            current = sentence.section
            section = next(s for s in report.sections if s.heading == current)
            rows.append(f'<h2>{esc(current)} <small>reading age {section.scores.reading_age:g}</small></h2>')
        hard = sentence.reading_age > report.target + report.margin or any(
            i.kind == "long sentence" for i in sentence.issues)
        harder = sentence.reading_age > report.target + 2
        css = "very-hard" if hard else ("hard" if harder else "")
        text = esc(sentence.text)
        for issue in sentence.issues:
            if issue.kind != "long sentence":
                cls = {"plain words": "plain", "passive voice": "passive"}.get(issue.kind, "term")
                marked = esc(issue.text)
                text = text.replace(marked, f'<mark class="{cls}"><span class="sr">{_MARKS[cls]}: </span>'
                                            f"{marked}</mark>", 1)
        if css:  # said in words and shape as well as colour (WCAG 1.4.1)
            text = f'<strong class="flag">{_FLAGS[css]}</strong> {text}'
        notes = "".join(f"<li><b>{esc(i.kind)}</b>: {esc(i.suggestion)}</li>" for i in sentence.issues)
        aside = f"<ul class=notes>{notes}</ul>" if notes else ""
        rows.append(f'<div class="row"><p class="s {css}" title="reading age {sentence.reading_age:g}">'
                    f"{text}</p>{aside}</div>")
    scores = report.scores
    warnings = "".join(f"<li>{esc(w)}</li>" for w in report.warnings())
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Readability: {esc(report.code)} {esc(report.title)}</title>
<style>
body {{ font-family: Arial, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
       color: #111; }}
.row {{ display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; align-items: start; }}
@media (max-width: 40rem) {{ .row {{ grid-template-columns: minmax(0, 1fr); gap: 0; }} }}
h1, h2, p, li {{ overflow-wrap: anywhere; }}
.s {{ margin: .3rem 0; padding: .1rem .3rem; }}
.hard {{ background: #fff3b0; border-inline-start: 4px solid #6b4200; }}
.very-hard {{ background: #ffc9c9; border-inline-start: 8px double #8a0c18; }}
.flag {{ font-size: .85rem; text-transform: uppercase; }}
mark {{ color: #111; text-decoration-thickness: 2px; text-underline-offset: 3px; }}
mark.plain {{ background: #e0ccff; text-decoration: underline dotted; }}
mark.passive {{ background: #c6f0d6; text-decoration: underline dashed; }}
mark.term {{ background: #cce5ff; text-decoration: underline double; }}
.sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
.notes {{ font-size: .9rem; margin: .3rem 0; padding-inline-start: 1rem; }}
h2 small {{ font-weight: normal; font-size: .8rem; color: #444; }}
.key li {{ margin: .3rem 0; }} .key .s {{ display: inline-block; }}
</style></head><body>
<main>
<h1>{esc(report.title)} <small>{esc(report.code)}</small></h1>
<p><b>Reading age {report.reading_age:g}</b> (target {report.target:g}; held back above
{report.target + report.margin:g}). Flesch reading ease {scores.flesch_reading_ease:g}; Flesch-Kincaid grade
{scores.flesch_kincaid_grade:g}; SMOG {scores.smog:g}; Gunning Fog {scores.gunning_fog:g};
Coleman-Liau {scores.coleman_liau:g}. {len(report.sentences)} sentences, {scores.words} words. The reading age
is 5 + the median of {", ".join(report.headline_formulas)}.</p>
<h2 id="key">How sentences and words are marked</h2>
<ul class="key" aria-labelledby="key">
<li><span class="s hard"><strong class="flag">{_FLAGS["hard"]}</strong> a sentence above the target</span>
(yellow, a bar at its start)</li>
<li><span class="s very-hard"><strong class="flag">{_FLAGS["very-hard"]}</strong> a sentence well above the target
or too long</span> (red, a double bar)</li>
<li><mark class="plain">{_MARKS["plain"]}</mark> (purple, dotted underline)</li>
<li><mark class="passive">{_MARKS["passive"]}</mark> (green, dashed underline)</li>
<li><mark class="term">{_MARKS["term"]}</mark> (blue, double underline)</li>
</ul>
<ul>{warnings}</ul>
{"".join(rows)}
</main>
</body></html>
"""
