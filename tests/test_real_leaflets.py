"""Leaflets as trusts write them: codes, review dates and organisations in their own words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.readers import read_leaflet
from pipeline.readers.metadata import facts

BODY = "# Taking warfarin safely\n\n## What is warfarin?\n\nWarfarin slows down how fast your blood clots.\n\n"


def leaflet_with(tmp_path: Path, closing: str, name: str = "warfarin.md") -> Path:
    path = tmp_path / name
    path.write_text(BODY + closing + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("line", "written", "safe"), [
    ("Ref: PI/RAD/0102", "PI/RAD/0102", "PI-RAD-0102"),
    ("Reference: PIF 1234/V3", "PIF 1234/V3", "PIF-1234-V3"),
    ("Leaflet number: 123", "123", "123"),
    ("RAD_0102 Issue 3", "RAD_0102", "RAD_0102"),
    ("Patient information leaflet 0456", "0456", "0456"),
    ("Leaflet code: HAEM-044", "HAEM-044", "HAEM-044"),
    ("PIL ref no: 77/2024", "77/2024", "77-2024"),
])
def test_codes_as_trusts_write_them(tmp_path: Path, line: str, written: str, safe: str) -> None:
    meta = read_leaflet(str(leaflet_with(tmp_path, line))).meta
    assert meta.code == safe and meta.shown_code == written and not meta.provisional_code


@pytest.mark.parametrize(("line", "reviewed", "next_review", "code"), [
    ("Reviewed: 12/03/2024", dt.date(2024, 3, 12), None, None),
    ("Last reviewed: 26 January 2023", dt.date(2023, 1, 26), None, None),
    ("Review date: March 2027", None, dt.date(2027, 3, 1), None),
    ("Next review: 03/2027", None, dt.date(2027, 3, 1), None),
    ("Published: May 2024. Review date: May 2027.", dt.date(2024, 5, 1), dt.date(2027, 5, 1), None),
    ("Date of issue: 1 June 2025 | Review due: June 2028", dt.date(2025, 6, 1), dt.date(2028, 6, 1), None),
    ("RAD/0102   Issue date: 01/2024   Review date: 01/2027", dt.date(2024, 1, 1), dt.date(2027, 1, 1), None),
    ("Ref: PI/HAEM/0031 | Reviewed: 2025-02-14 | Next review due: February 2028",
     dt.date(2025, 2, 14), dt.date(2028, 2, 1), "PI/HAEM/0031"),
])
def test_review_dates_in_every_common_form(tmp_path: Path, line: str, reviewed: dt.date | None,
                                           next_review: dt.date | None, code: str | None) -> None:
    closing = line if code else f"{line}\n\nLeaflet code: HAEM_0031"
    leaflet = read_leaflet(str(leaflet_with(tmp_path, closing, "HAEM_0031-warfarin.md")))
    assert (leaflet.meta.reviewed, leaflet.meta.next_review) == (reviewed, next_review)
    if code:
        assert leaflet.meta.shown_code == code
    from pipeline.model import block_text

    body = "\n".join(block_text(b) for b in leaflet.blocks)
    assert "review" not in body.lower() and "Ref" not in body, "a date line that is read is not body text"


@pytest.mark.parametrize("line", ["Review date: 04/05/06", "Reviewed: 2024", "Next review: 12 March"])
def test_an_ambiguous_date_is_reported_not_guessed(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                   line: str) -> None:
    leaflet = read_leaflet(str(leaflet_with(tmp_path, f"{line}\n\nHAEM_0031")))
    assert leaflet.meta.reviewed is None and leaflet.meta.next_review is None
    assert "review date not read" in caplog.text and ":7:" in caplog.text
    from pipeline.model import block_text

    assert any(line in block_text(b) for b in leaflet.blocks), "left in the text for a person to see"


@pytest.mark.parametrize("text", ["Review date: we will see you again in 6 weeks.", "Telephone number: 0118 496 0000",
                                  "Ask your nurse for the reference number of your test."])
def test_sentences_with_labels_are_not_facts(text: str) -> None:
    assert facts(text) is None


def test_a_leaflet_without_a_code_reads_and_builds_as_a_draft(run_cli) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/back-care.md")
    source.write_text(BODY + "Reviewed: May 2026. Next review due: May 2028.\n", encoding="utf-8")
    info = run_cli("info", source)
    assert info.code == 0 and '"code": "back-care"' in info.out
    built = run_cli("build", source, "--format", "text")
    assert built.code == 0 and "no leaflet code or no title line found" in built.err and "DRAFT" in built.err
    text = Path("output/back-care/en_GB/back-care-en_GB-DRAFT.txt").read_text(encoding="utf-8")
    assert "DRAFT: not checked, not for issue to patients" in text
    assert not Path("output/back-care/en_GB/back-care-en_GB.txt").exists()
    again = run_cli("build", source, "--format", "text")
    assert "no leaflet code or no title line found" in again.err, "said again on a no-op build"
    refused = run_cli("request", "--ref", "T-1", "warfarin", "--format", "text")
    assert refused.code == 1 and "has no leaflet code" in refused.err
    checked = run_cli("check", source)
    assert "warning: no leaflet code" in checked.out


@pytest.mark.parametrize(("line", "organisation"), [
    ("© 2024 Northfield Hospitals NHS Foundation Trust", "Northfield Hospitals NHS Foundation Trust"),
    ("Produced by Cwm Taf Morgannwg University Health Board.", "Cwm Taf Morgannwg University Health Board"),
    ("This leaflet was written by staff of Guy’s and St Thomas’ NHS Foundation Trust.",
     "Guy’s and St Thomas’ NHS Foundation Trust"),
])
def test_the_organisation_is_found_where_the_leaflet_says_it(tmp_path: Path, line: str, organisation: str) -> None:
    meta = read_leaflet(str(leaflet_with(tmp_path, f"{line}\n\nHAEM_0031"))).meta
    assert meta.organisation == organisation and meta.title == "Taking warfarin safely"


def test_check_warns_about_what_a_team_must_add(run_cli) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/HAEM_0031-warfarin.md")
    source.write_text(BODY + "HAEM_0031\n", encoding="utf-8")
    result = run_cli("check", source)
    for warning in ("no 'Next review due' date", "no contact phone number", "another language or format",
                    "no organisation"):
        assert warning in result.out


def test_web_and_email_addresses_without_http_are_links_and_placeholders(tmp_path: Path) -> None:
    import lxml.html

    from pipeline.exporters.html import export_html
    from pipeline.i18n.extract import template

    source = leaflet_with(tmp_path, "More at northfield.nhs.uk/warfarin or www.nhs.uk. E-mail "
                                    "anticoag@northfield.nhs.uk. Not links: e.g. leaflet.pdf.\n\nHAEM_0031")
    leaflet = read_leaflet(str(source))
    assert leaflet.meta.website == "https://northfield.nhs.uk/warfarin"
    messages = " ".join(str(m.id) for m in template(leaflet, str(source)) if m.id)
    assert "northfield" not in messages and "www.nhs.uk" not in messages and "{email1}" in messages
    assert "leaflet.pdf" in messages
    links = lxml.html.document_fromstring(export_html(leaflet)).xpath("//main//a/@href")
    wanted = {"https://northfield.nhs.uk/warfarin", "https://www.nhs.uk", "mailto:anticoag@northfield.nhs.uk"}
    assert wanted <= set(links)
    assert not any("leaflet.pdf" in link for link in links)
