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

from pipeline.exporters.html import table_rules
from pipeline.issuing import Book, Language, Offer, review_due
from pipeline.readers.dates import shown

_STYLE = """
html { font-size: 112.5%; }
body { font-family: Arial, "Noto Sans", "Noto Naskh Arabic", sans-serif; line-height: 1.5; color: #111;
       background: #fff; max-width: 70rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.8rem; line-height: 1.25; } h2 { font-size: 1.4rem; margin-top: 2.5rem; }
a { color: #004b8d; } a:focus { outline: 3px solid #ffbf47; background: #ffbf47; color: #111; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #555; padding: 0.4rem;
       text-align: start; vertical-align: top; }
th[scope="row"] { width: 14rem; }
summary { cursor: pointer; padding: 0.5rem 0; border-top: 1px solid #999; } summary h2 { display: inline;
  font-size: 1.25rem; margin: 0; } .about { display: block; margin-inline-start: 1.2rem; }
details[open] > summary { margin-bottom: 0.5rem; } main { border-bottom: 1px solid #999; }
.files { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.1rem 1rem; }
.files li { white-space: nowrap; } .waiting { margin: 0.3rem 0 0; } .waiting:first-child { margin-top: 0; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
caption { text-align: start; font-weight: bold; padding-bottom: 0.4rem; }
.refused, .overdue { color: #8a0c18; font-weight: bold; } .draft, .due-soon { color: #6b4200; font-weight: bold; }
.unchecked { color: #6b4200; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 1rem; } dt { font-weight: bold; }
dd { margin: 0; } h1, h2, p, dd, td, th, li { overflow-wrap: break-word; }
.table:focus { outline: 3px solid #ffbf47; }
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
    to_put_right: int = 0
    """Issued copies from an older version not yet replaced, resolved or void (the recall list)."""
    on_request: frozenset[str] = frozenset()
    """Formats made only when a request asks (``leaflet.toml``), not by ``make``."""


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


_FIT = 40
"""Below this width in em (a phone, or large text), each language is one block, not a table row."""


def _files(offers: list[Offer], out: Path, who: str, on_request: frozenset[str] = frozenset()) -> str:
    """The language's files as short links named by format, then what is not there and why.

    ``who`` ("Polish, RAD_0102") completes each link's name for a screen reader, which
    lists links out of their table.
    """
    links: list[str] = []
    waiting: dict[str, list[str]] = {}
    for offer in offers:
        name = _e(offer.fmt.name)
        if offer.state == "ready":
            # (whether it was checked is said once, in the row's state)
            links.append(f'<li><a href="{_e(offer.target.relative_to(out).as_posix())}">{name}'
                         f'<span class="vh">, {_e(who)}</span></a></li>')
        elif offer.state == "can-make" and offer.fmt.name in on_request:
            waiting.setdefault("made on request (./leaflet request)", []).append(name)
        elif offer.state == "can-make":
            waiting.setdefault("out of date, run make" if offer.why else "not built yet", []).append(name)
        elif offer.language.may_issue != "no":
            waiting.setdefault(f"not available: {_e(offer.why)}", []).append(name)
        links += [f'<li><a href="{_e(d.relative_to(out).as_posix())}">{name}<span class="vh">, {_e(who)}'
                  f'</span></a> <span class="draft">(draft, not for patients)</span></li>' for d in offer.drafts]
    parts = [f'<ul class="files">{"".join(links)}</ul>'] if links else []
    parts += [f'<p class="waiting">{what.capitalize() if what[0].islower() else what}: '
              + ", ".join(f'<span class="nw">{name}</span>' for name in names) + "</p>"
              for what, names in waiting.items()]
    return "".join(parts) or "none"


def _leaflet(item: Listing, out: Path, today: dt.date) -> list[str]:
    book, meta = item.book, item.book.leaflet.meta
    state, _ = review_due(book, today)
    review_class = f' class="{state}"' if state in ("overdue", "due-soon") else ""
    due = shown(meta.next_review) if meta.next_review else "not given"
    review_words = {"overdue": f"OVERDUE: was due {due}", "due-soon": f"due soon: {due}"}.get(state, due)
    age = "not scored" if item.reading_age is None else f"{item.reading_age:g}"
    if item.readability_page and item.reading_age is not None:
        age = f'<a href="{_e(item.readability_page)}">{age}</a>'
    ready = [lang.name + ("" if lang.may_issue == "yes" else " (unchecked)")
             for lang in item.languages if lang.may_issue != "no"]
    refused = [lang.name for lang in item.languages if lang.may_issue == "no"]
    drafts = sum(len(o.drafts) for o in item.offers)
    summary = [f'<span{review_class}>next review {_e(review_words)}</span>', f"in {_e(', '.join(ready))}"]
    summary += [f'<span class="refused">refused: {_e(", ".join(refused))}</span>'] if refused else []
    if item.to_put_right:
        summary.append(f'<span class="overdue">{item.to_put_right} issued cop(ies) from an older version to put '
                       f'right: <code>make requests AFFECTED_BY={_e(book.code)}</code></span>')
    summary += [f'<span class="draft">{drafts} draft file(s)</span>'] if drafts else []
    waiting = sum(o.state == "can-make" and o.fmt.name not in item.on_request for o in item.offers)
    if waiting:
        summary.append(f'<span class="due-soon">{waiting} file(s) not built or out of date: run make</span>')
    # Closed by default: on a phone the page is a list of leaflets to open one by one; a
    # browser's find opens the one it finds in, as does a link to it.
    lines = [
        f'<details id="{_e(book.code)}"><summary><h2>{_e(book.code)}: {_e(book.title)}</h2> '
        f'<span class="about">{"; ".join(summary)}</span></summary>',
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
    # As the leaflet pages do: a table on a wide screen, one block per language on a phone or
    # with large text, every word whole.
    lines += [f'<div class="table fit-{_FIT}" role="region" tabindex="0" '
              f'aria-label="Languages and formats of {_e(book.code)}">',
              '<table role="table">',
              f"<caption>Languages and formats of {_e(book.code)}</caption>",
              '<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Language</th>'
              '<th scope="col" role="columnheader">May it be issued?</th>'
              '<th scope="col" role="columnheader">Files</th></tr></thead>', '<tbody role="rowgroup">']
    for lang in item.languages:
        native = ""
        if lang.review is not None:
            from pipeline.i18n.catalogues import language_name, language_tag

            native = f' (<span lang="{_e(language_tag(lang.locale))}">{_e(language_name(lang.locale))}</span>)'
        files = _files([o for o in item.offers if o.language is lang], out, f"{lang.name}, {book.code}",
                       item.on_request)
        lines.append(f'<tr role="row"><th scope="row" role="rowheader">{_e(lang.name)}{native} '
                     f"<small>{_e(lang.locale)}</small></th>"
                     f'<td role="cell"><span class="cell-label" aria-hidden="true">May it be issued? </span>'
                     f"{_language_state(lang)}</td>"
                     f'<td role="cell"><span class="cell-label" aria-hidden="true">Files: </span>{files}</td></tr>')
    lines += ["</tbody>", "</table>", "</div>", "</details>"]
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
        f"<style>{_STYLE}{table_rules([_FIT])}</style>",
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
    recalls = [i for i in items if i.to_put_right]
    if recalls:
        lines.append('<p class="overdue">Issued copies from an older version, to put right: '
                     + ", ".join(f'<a href="#{_e(i.book.code)}">{_e(i.book.code)}</a> ({i.to_put_right})'
                                 for i in recalls) + "</p>")
    lines += ["<p>Open a leaflet to see its languages and files; to find one, use the browser's find "
              "(Ctrl+F) with its code or a word of its title.</p>", "</header>", '<main id="content">']
    for item in items:
        lines += _leaflet(item, out, today)
    lines += ["</main>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"
