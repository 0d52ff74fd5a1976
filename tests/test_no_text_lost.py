"""No input loses text silently: every word of the source reaches the text output.

For every leaflet we have, and for a fuzzed corpus of leaflets Hypothesis writes
(deep lists and quotes, nested emphasis, tables, pasted text), the words put into the
source are all in the plain-text export.  Markup may be simplified (a list nested 10 deep
is flattened, with a warning), never the words.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import LeafletError
from pipeline.exporters.text import export_text
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS
from tests.test_readers import words

WORD = st.text("bcdfghjkmnpqrstvwxz", min_size=3, max_size=8).map(lambda w: "q" + w)
"""Made-up words (no vowels but the 'q' prefix): never a metadata keyword, a number or a code."""


def source_words(text: str) -> set[str]:
    """The words of a Markdown source, markup removed by hand (not by the parser under test)."""
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    text = re.sub(r"<!--.*?-->|<[^>\s][^>]*>", " ", text, flags=re.S)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)  # Markdown's backslash escapes
    text = re.sub(r"\]\([^)\s]*\)", "]", text)  # a link's address is markup (the text shows it if it differs)
    text = re.sub(r"(?m)^ {0,3}\[[^\]]+\]:[ \t]*\S+.*$", " ", text)  # and so are link reference definitions
    text = re.sub(r"\]\[[^\]]*\]", "]", text)  # ... and their labels
    return set(words(html.unescape(text)))


@pytest.mark.parametrize("source", [*sorted(FIXTURES.glob("*.md")), *sorted(LEAFLETS.iterdir())],
                         ids=lambda p: p.name)
def test_every_source_word_reaches_the_text(source: Path) -> None:
    text = export_text(read_leaflet(str(source)))
    if source.suffix == ".docx":
        wanted = document_words(source)
    elif source.suffix == ".pdf":
        wanted = page_words(source)
    else:
        wanted = source_words(source.read_text(encoding="utf-8"))
    missing = wanted - set(words(text))
    assert not missing, sorted(missing)[:10]


def document_words(path: Path) -> set[str]:
    """The words of a Word document's body, read from its XML by hand (not by the reader under test)."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    xml = re.sub(r"<w:txbxContent>.*?</w:txbxContent>(?=.*?</mc:Fallback>)", " ", xml, flags=re.S)  # the VML copy
    return set(words(html.unescape(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))))


def page_words(path: Path) -> set[str]:
    """The words of a PDF's pages but for the running header and footer bands (pdfminer's own text)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        texts = [page.crop((0, page.height * 0.12, page.width, page.height * 0.88)).extract_text()
                 for page in pdf.pages]
    return set(words(" ".join(texts)))


def test_the_reference_loses_no_word(reference: Path) -> None:
    text = export_text(read_leaflet(str(reference)))
    assert not source_words(reference.read_text(encoding="utf-8")) - set(words(text))


@st.composite
def inline_text(draw: st.DrawFn, used: list[str]) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        chosen = draw(st.lists(WORD, min_size=1, max_size=4))
        used.extend(chosen)
        phrase = " ".join(chosen)
        style = draw(st.sampled_from(["plain", "plain", "bold", "italic", "link", "code", "nested"]))
        if style == "bold":
            phrase = f"**{phrase}**"
        elif style == "italic":
            phrase = f"*{phrase}*"
        elif style == "link":
            phrase = f"[{phrase}](https://example.org/page)"
        elif style == "code":
            phrase = f"`{phrase}`"
        elif style == "nested":
            depth = draw(st.integers(1, 40))
            phrase = "*" * depth + phrase + "*" * depth
        parts.append(phrase + draw(st.sampled_from(["", ",", ".", "!", "?"])))
    return " ".join(parts)


@st.composite
def markdown_leaflet(draw: st.DrawFn) -> tuple[str, list[str]]:
    used: list[str] = []
    lines = [f"# {draw(inline_text(used))}", ""]
    for _ in range(draw(st.integers(1, 4))):
        lines += [f"## {draw(inline_text(used))}", ""]
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["paragraph", "list", "ordered", "quote", "table", "deep-list"]))
            if kind == "paragraph":
                lines.append(draw(inline_text(used)))
            elif kind in ("list", "deep-list"):
                depth = 0
                for _ in range(draw(st.integers(1, 14 if kind == "deep-list" else 5))):
                    depth = draw(st.integers(0, depth + 1)) if kind == "list" else depth + 1
                    lines.append("  " * depth + f"- {draw(inline_text(used))}")
                depth = 0
            elif kind == "ordered":
                for n in range(1, draw(st.integers(2, 5))):
                    lines.append(f"{n}. {draw(inline_text(used))}")
            elif kind == "quote":
                lines.append("> " * draw(st.integers(1, 30)) + draw(inline_text(used)))
            else:
                cols = draw(st.integers(1, 3))
                lines.append("| " + " | ".join(draw(inline_text(used)) for _ in range(cols)) + " |")
                lines.append("|" + "---|" * cols)
                for _ in range(draw(st.integers(1, 3))):
                    lines.append("| " + " | ".join(draw(inline_text(used)) for _ in range(cols)) + " |")
            lines.append("")
    closing = draw(inline_text(used))
    lines += [f"Call 999 in an emergency. {closing}", "", "TST_0001", "",
              "Reviewed: May 2026. Next review due: May 2028.", ""]
    return "\n".join(lines), used


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(markdown_leaflet())
def test_fuzzed_markdown_loses_no_word(tmp_path_factory: pytest.TempPathFactory,
                                       case: tuple[str, list[str]]) -> None:
    source, used = case
    path = tmp_path_factory.mktemp("fuzz") / "TST_0001-fuzz.md"
    path.write_text(source, encoding="utf-8")
    try:
        leaflet = read_leaflet(str(path))
    except LeafletError as exc:  # refusing is allowed (exit 2); losing words silently is not
        assert "nested" in exc.message, exc
        return
    text = export_text(leaflet)
    missing = set(used) - set(words(text))
    assert not missing, (sorted(missing)[:10], source)
    assert "999" in text and "TST_0001" in text, "what follows deep nesting is still there"


@st.composite
def pasted_leaflet(draw: st.DrawFn) -> tuple[str, list[str]]:
    used: list[str] = []

    def line() -> str:
        chosen = draw(st.lists(WORD, min_size=1, max_size=12))
        used.extend(chosen)
        return " ".join(chosen)

    lines = [line().title(), ""]
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["paragraph", "bullets", "numbers", "heading"]))
        if kind == "heading":
            lines += [line().capitalize(), line() + ".", ""]
        elif kind == "paragraph":
            lines += [line() + ".", ""]
        else:
            for n in range(1, draw(st.integers(2, 5))):
                marker = draw(st.sampled_from(["•", "-", "*", "\t•"])) if kind == "bullets" else f"{n}."
                lines.append(f"{marker} {line()}")
            lines.append("")
    lines += ["TST_0002", "", "Reviewed: May 2026. Next review due: May 2028.", ""]
    return "\n".join(lines), used


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(pasted_leaflet())
def test_fuzzed_pasted_text_loses_no_word(tmp_path_factory: pytest.TempPathFactory,
                                          case: tuple[str, list[str]]) -> None:
    source, used = case
    path = tmp_path_factory.mktemp("fuzz") / "TST_0002-pasted.txt"
    path.write_text(source, encoding="utf-8")
    text = export_text(read_leaflet(str(path)))
    assert not set(w.lower() for w in used) - set(words(text)), source
