"""Pasted text keeps its structure, and what pasting leaves behind is dropped with a warning.

Variants of each class the corpus (tests/test_corpus.py) shows once: page numbers,
running headers and footers, logo text, web-page furniture, inline and nested bullets,
single line breaks, contact lines that are not headings, no title line.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from pipeline.model import BulletList, Heading, OrderedList, Paragraph, inline_text
from pipeline.readers import paste, read_leaflet

INTRO = "Your cast holds your broken bone still while it heals. Keep it dry and clean."
CLOSING = "\nPlease ask if you need this information in another language or format.\nORT_0031\n"


def read(tmp_path: Path, text: str, name: str = "ORT_0031-cast.txt") -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_leaflet(str(path))


def headings(leaflet: Any) -> list[str]:
    return [inline_text(b.content) for b in leaflet.blocks if isinstance(b, Heading)]


def lists(blocks: tuple[Any, ...]) -> list[Any]:
    """Each list as nested Python lists of item texts."""
    out = []
    for block in blocks:
        if isinstance(block, BulletList | OrderedList):
            out.append([[inline_text(i.blocks[0].content), *lists(i.blocks[1:])] if len(i.blocks) > 1
                        else inline_text(i.blocks[0].content) for i in block.items])
    return out


@pytest.mark.parametrize("line", ["12", "- 3 -", "Page 2 of 8", "Page 4", "3/8", "— 5 —", "page 7 of 10", "2 of 6"])
def test_page_numbers_are_dropped(tmp_path: Path, caplog: pytest.LogCaptureFixture, line: str) -> None:
    text = f"Caring for your cast\n{INTRO}\n{line}\nWhen to get help\nCall us if it hurts.\n{CLOSING}"
    leaflet = read(tmp_path, text)
    assert line not in "\n".join(inline_text(b.content) for b in leaflet.blocks if isinstance(b, Paragraph | Heading))
    assert "cast.txt:3: not part of the leaflet, dropped: a page number" in caplog.text
    assert headings(leaflet) == ["When to get help"]


@pytest.mark.parametrize("line", ["999", "111", "24 hours", "2 tablets", "1. Rest"])
def test_numbers_that_are_not_page_numbers_stay(tmp_path: Path, caplog: pytest.LogCaptureFixture, line: str) -> None:
    leaflet = read(tmp_path, f"Caring for your cast\n\n{INTRO}\n\n{line}\n\nMore text here.\n{CLOSING}")
    assert "page number" not in caplog.text
    assert line.removeprefix("1. ") in "\n".join(_all_text(leaflet.blocks))


def _all_text(blocks: tuple[Any, ...]) -> list[str]:
    from pipeline.model import block_text

    return [block_text(b) for b in blocks]


@pytest.mark.parametrize("footer", ["Orthopaedics | Leaflet code: ORT_0031 | Review date: May 2028",
                                    "Caring for your cast          ORT_0031          Page {page} of 3",
                                    "Fracture Clinic information sheet   Next review due: May 2028   Page {page}"])
def test_running_footers_are_dropped_and_their_facts_read(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                          footer: str) -> None:
    pages = []
    for page in (1, 2, 3):
        pages.append(f"Section {'ABC'[page - 1]} heading\nSome advice for page {page} of the leaflet, about the cast.\n"
                     f"{footer.format(page=page)}\n{page}")
    leaflet = read(tmp_path, "Caring for your cast\n" + "\n".join(pages) + "\nPlease ask if you need this "
                   "information in another language or format.\n", name="cast.txt")
    body = "\n".join(_all_text(leaflet.blocks))
    assert "Page" not in body and footer.split()[0] not in body.replace("Section", ""), body
    assert headings(leaflet) == ["Section A heading", "Section B heading", "Section C heading"]
    if "ORT_0031" in footer:
        assert leaflet.meta.code == "ORT_0031"
    if "2028" in footer:
        assert leaflet.meta.next_review is not None
    assert "running header or footer" in caplog.text


@pytest.mark.parametrize(("header", "organisation"), [
    ("NHS\nNorthfield Hospitals\nNHS Foundation Trust\nPatient information",
     "Northfield Hospitals NHS Foundation Trust"),
    ("The Northfield Hospitals NHS Foundation Trust", "Northfield Hospitals NHS Foundation Trust"),
    ("Northfield Hospitals\nNHS Trust\nPatient Information Leaflet", "Northfield Hospitals NHS Trust"),
    ("NHS Highland\nInformation for patients and carers", "NHS Highland"),
    ("Bwrdd Iechyd Prifysgol Betsi Cadwaladr / Betsi Cadwaladr University Health Board",
     "Betsi Cadwaladr University Health Board"),
    ("NHS\nOrthopaedic Department", None),
])
def test_logo_text_is_never_the_title(tmp_path: Path, caplog: pytest.LogCaptureFixture, header: str,
                                      organisation: str | None) -> None:
    leaflet = read(tmp_path, f"{header}\nCaring for your cast\n\n{INTRO}\n{CLOSING}")
    assert leaflet.meta.title == "Caring for your cast"
    assert leaflet.meta.organisation == organisation
    for number in range(1, header.count("\n") + 2):
        assert f"cast.txt:{number}: not part of the leaflet" in caplog.text
    if organisation:
        from pipeline.exporters.text import export_text

        assert organisation in export_text(leaflet), "the organisation is still named"


@pytest.mark.parametrize("line", ["Skip to content", "Skip to main content", "Back to top", "Show all sections",
                                  "Was this page useful? Yes No", "Home > Services > Maternity",
                                  "Home › Patients › Leaflets", "You are here: Home / Leaflets / Cast care",
                                  "Print this page", "Share: Facebook | Twitter | Email", "Accept all cookies",
                                  "Print  Share  Feedback", "Cookie settings"])
def test_web_page_furniture_is_dropped(tmp_path: Path, caplog: pytest.LogCaptureFixture, line: str) -> None:
    leaflet = read(tmp_path, f"Caring for your cast\n\n{INTRO}\n\n{line}\n\nWhen to get help\nCall us.\n{CLOSING}")
    assert headings(leaflet) == ["When to get help"]
    assert "cast.txt:5: not part of the leaflet, dropped: left over from a web page" in caplog.text


@pytest.mark.parametrize("line", ["Go back to bed and rest.", "Search for help early.", "Home visits",
                                  "Share your worries with us."])
def test_ordinary_lines_are_not_furniture(line: str) -> None:
    assert not paste.web_leftover(line)


def test_show_hide_controls_leave_the_heading(tmp_path: Path) -> None:
    leaflet = read(tmp_path, f"Caring for your cast\n\n{INTRO}\n\nWhat should I avoid? [+]\n\nSwimming.\n\n"
                             f"After 6 weeks Show [+] Hide [-]\n\nWe take it off.\n{CLOSING}")
    assert headings(leaflet) == ["What should I avoid?", "After 6 weeks"]


@pytest.mark.parametrize(("line", "items"), [
    ("Symptoms include: • fever • cough • feeling tired", ["fever", "cough", "feeling tired"]),
    ("Bring ▪ your letter ▪ your medicines", ["your letter", "your medicines"]),
    ("● Rest ● Ice ● Raise your leg", ["Rest", "Ice", "Raise your leg"]),
])
def test_bullets_written_inline_are_a_list(tmp_path: Path, line: str, items: list[str]) -> None:
    leaflet = read(tmp_path, f"Caring for your cast\n\n{INTRO}\n\n{line}\n{CLOSING}")
    assert lists(leaflet.blocks) == [items]


@pytest.mark.parametrize(("text", "expected"), [
    ("• a one\n    • b two\n• c three", [["a one", ["b two"]], "c three"]),
    ("• a one\no b two\no c three\n• d four", [["a one", ["b two", "c three"]], "d four"]),
    ("• a one\n- b two\n• c three", [["a one", ["b two"]], "c three"]),
    ("• a one\no b two\n▪ c three\n• d four", [["a one", [["b two", ["c three"]]]], "d four"]),
    ("1. Rest\n   • in bed\n   • with your leg up\n2. Ice", [["Rest", ["in bed", "with your leg up"]], "Ice"]),
    ("\t• a one\n\t\t• b two", [["a one", ["b two"]]]),
])
def test_nested_bullets_stay_nested(tmp_path: Path, text: str, expected: list[Any]) -> None:
    leaflet = read(tmp_path, f"Caring for your cast\n\n{INTRO}\n\nWhat to do\n{text}\n{CLOSING}")
    assert lists(leaflet.blocks) == [expected]


def test_single_line_breaks_headings_and_items(tmp_path: Path) -> None:
    text = ("Caring for your cast\n" + INTRO + "\nWhat to bring\nYour appointment letter\nYour glasses\n"
            "A list of your medicines\nOn the day\nPlease arrive 15 minutes early.\nWhen to get help\n"
            "Call us if:\nyour fingers are blue\nthe cast is cracked\nContact us\n"
            "Fracture Clinic: 0118 496 0321\n" + CLOSING)
    leaflet = read(tmp_path, text)
    assert headings(leaflet) == ["What to bring", "On the day", "When to get help", "Contact us"]
    assert lists(leaflet.blocks) == [["Your appointment letter", "Your glasses", "A list of your medicines"],
                                     ["your fingers are blue", "the cast is cracked"]]


@pytest.mark.parametrize("line", ["Radiology Department: 0118 496 0000", "Tel: 0118 496 0000", "0118 496 0000",
                                  "www.northfield.nhs.uk/fracture", "fracture.clinic@northfield.nhs.uk",
                                  "Fracture Clinic 0118 496 0321 (9am to 5pm)"])
def test_a_contact_line_is_not_a_heading(tmp_path: Path, line: str) -> None:
    leaflet = read(tmp_path, f"Caring for your cast\n\n{INTRO}\n\n{line}\nMore advice follows here.\n{CLOSING}")
    assert headings(leaflet) == []


@pytest.mark.parametrize("first", [
    "This leaflet is for people who have had a plaster cast put on in the Fracture Clinic and want to know how to "
    "look after it at home, what to avoid and when to ask for help from the team.",
    "Fracture Clinic: 0118 496 0321",
    "Leaflet code: ORT_0031",
])
def test_no_title_is_guessed_from_a_sentence(tmp_path: Path, caplog: pytest.LogCaptureFixture, first: str) -> None:
    caplog.set_level(logging.WARNING, logger="pipeline")
    leaflet = read(tmp_path, f"{first}\n\nWhat to do\nKeep it dry.\n{CLOSING}", name="ORT_0031-cast-care.txt")
    assert leaflet.meta.title == "Cast care" and leaflet.meta.provisional_title
    assert "no title found" in caplog.text
