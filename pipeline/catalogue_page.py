"""``output/index.html``: the page a team member opens to find a file in a hurry.

Every leaflet (code, title, review dates, reading age), each language and format with
a link to the file and its state: current, current with the "not checked" notice,
draft (not for patients), not built yet, or refused and why.  One self-contained,
accessible page like the leaflet HTML: no scripts, nothing fetched, real table headers,
a contents list, sizes in ``rem``.  This module turns data into text; the CLI writes it.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

from pipeline.issuing import Book, Language, Offer, review_due
from pipeline.readers.dates import shown

_STYLE = """
html { font-size: 112.5%; }
body { font-family: Arial, "Noto Sans", "Noto Naskh Arabic", sans-serif; line-height: 1.5; color: #111;
       background: #fff; max-width: 70rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.8rem; line-height: 1.25; } h2 { font-size: 1.4rem; margin-top: 2.5rem; }
a { color: #004b8d; } a:focus { outline: 3px solid #ffbf47; background: #ffbf47; color: #111; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #555; padding: 0.4rem;
       text-align: start; vertical-align: top; }
caption { text-align: start; font-weight: bold; padding-bottom: 0.4rem; }
.refused, .overdue { color: #8a0c18; font-weight: bold; } .draft, .due-soon { color: #6b4200; font-weight: bold; }
.unchecked { color: #6b4200; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 1rem; } dt { font-weight: bold; }
dd { margin: 0; } h1, h2, p, dd, td, th, li { overflow-wrap: anywhere; }
.wide:focus { outline: 3px solid #ffbf47; }
@media (max-width: 30rem) { dl { grid-template-columns: minmax(0, 1fr); } dd { margin-bottom: 0.4rem; } }
.skip { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip:focus { position: static; width: auto; height: auto; clip: auto; }
@media print { nav, .skip { display: none; } a { color: #111; text-decoration: none; } }
"""


@dataclass
class Listing:
    """One leaflet on the page."""

    book: Book
    languages: list[Language]
    offers: list[Offer]
    reading_age: float | None
    readability_page: str | None
    """The readability report, relative to the output folder, if it was written."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(target: Path, out: Path, text: str) -> str:
    href = target.relative_to(out).as_posix()
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def _language_state(lang: Language) -> str:
    state = lang.may_issue
    if state == "yes":
        return "original" if lang.review is None else f"current, {_e(lang.checked())}"
    if state == "unchecked":
        return '<span class="unchecked">current, not checked by a qualified translator (notice on every file)</span>'
    return f'<span class="refused">refused: {_e(lang.why_not())}</span>'


def _cell(offer: Offer, out: Path) -> str:
    parts = []
    if offer.state == "ready":
        word = "current" if offer.language.may_issue == "yes" else "current, unchecked"
        parts.append(f"{_link(offer.target, out, offer.target.name)} ({word})")
    elif offer.state == "can-make":
        parts.append("out of date: run make" if offer.why else "not built yet")
    elif offer.language.may_issue == "no":
        parts.append('<span class="refused">refused</span>')
    else:
        parts.append(f"not available: {_e(offer.why)}")
    parts += [f'{_link(d, out, d.name)} <span class="draft">(draft, not for patients)</span>' for d in offer.drafts]
    return "<br>".join(parts)


def _leaflet(item: Listing, out: Path, today: dt.date) -> list[str]:
    book, meta = item.book, item.book.leaflet.meta
    state, _ = review_due(book, today)
    review_class = f' class="{state}"' if state in ("overdue", "due-soon") else ""
    due = shown(meta.next_review) if meta.next_review else "not given"
    review_words = {"overdue": f"OVERDUE: was due {due}", "due-soon": f"due soon: {due}"}.get(state, due)
    age = "not scored" if item.reading_age is None else f"{item.reading_age:g}"
    if item.readability_page and item.reading_age is not None:
        age = f'<a href="{_e(item.readability_page)}">{age}</a>'
    lines = [
        f'<section aria-labelledby="{_e(book.code)}">',
        f'<h2 id="{_e(book.code)}">{_e(book.code)}: {_e(book.title)}</h2>',
        "<dl>",
        f"<dt>Source</dt><dd>{_e(book.path)}</dd>",
        f"<dt>Last reviewed</dt><dd>{_e(shown(meta.reviewed) if meta.reviewed else 'not given')}</dd>",
        f"<dt>Next review</dt><dd{review_class}>{_e(review_words)}</dd>",
        f"<dt>Reading age</dt><dd>{age}</dd>",
        "</dl>",
    ]
    if not meta.offer_present:
        lines.append('<p class="due-soon">This leaflet does not tell patients they can ask for another '
                     "language or format.</p>")
    formats = list(dict.fromkeys(o.fmt.name for o in item.offers))
    # The table scrolls inside its own region on a narrow screen, never the whole page (WCAG 1.4.10).
    lines += [f'<div class="wide" role="region" tabindex="0" aria-label="Languages and formats of {_e(book.code)}">',
              "<table>",
              f"<caption>Languages and formats of {_e(book.code)}</caption>",
              '<thead><tr><th scope="col">Language</th><th scope="col">May it be issued?</th>'
              + "".join(f'<th scope="col">{_e(name)}</th>' for name in formats) + "</tr></thead>", "<tbody>"]
    for lang in item.languages:
        cells = [o for o in item.offers if o.language is lang]
        native = ""
        if lang.review is not None:
            from pipeline.i18n.catalogues import language_name, language_tag

            native = f' (<span lang="{_e(language_tag(lang.locale))}">{_e(language_name(lang.locale))}</span>)'
        lines.append(f'<tr><th scope="row">{_e(lang.name)}{native} <small>{_e(lang.locale)}</small></th>'
                     f"<td>{_language_state(lang)}</td>" + "".join(f"<td>{_cell(o, out)}</td>" for o in cells)
                     + "</tr>")
    lines += ["</tbody>", "</table>", "</div>", "</section>"]
    return lines


def catalogue_page(items: list[Listing], out: Path, today: dt.date) -> str:
    """The whole page; links are relative to ``out``, where it is written as ``index.html``."""
    overdue = [i.book for i in items if review_due(i.book, today)[0] == "overdue"]
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en-GB" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Patient leaflets: languages and formats</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#content">Skip to the leaflets</a>',
        "<header>",
        "<h1>Patient leaflets: languages and formats</h1>",
        f"<p>{len(items)} leaflet(s), listed {today:%-d %B %Y}. A file marked <strong>current</strong> may be "
        "handed to a patient; <strong>unchecked</strong> files say on their first page that a qualified "
        "translator has not checked them; <strong>drafts</strong> are never for patients. To make one file "
        "and record that it was issued: <code>./leaflet request CODE --locale LANGUAGE --format FORMAT</code>.</p>",
    ]
    if overdue:
        lines.append('<p class="overdue">Overdue for review: '
                     + ", ".join(f'<a href="#{_e(b.code)}">{_e(b.code)}</a>' for b in overdue) + "</p>")
    lines.append('<nav aria-labelledby="contents"><h2 id="contents">Leaflets</h2><ul>')
    lines += [f'<li><a href="#{_e(i.book.code)}">{_e(i.book.code)}: {_e(i.book.title)}</a></li>' for i in items]
    lines += ["</ul></nav>", "</header>", '<main id="content">']
    for item in items:
        lines += _leaflet(item, out, today)
    lines += ["</main>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"
