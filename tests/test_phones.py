"""Phone numbers in every form leaflets write them: one number each, everywhere.

An unrecognised number is retyped by translators, unchecked, and read aloud as "one
hundred and ninety-one": each form must be a placeholder in the catalogue, a ``tel:``
link, digits in speech and unbroken in text.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from pipeline.exporters.html import export_html
from pipeline.exporters.text import export_text
from pipeline.i18n.extract import template
from pipeline.phones import find_phones
from pipeline.readers import read_leaflet
from pipeline.speech.normalise import normalise

FORMS = [
    ("(0191) 496 0000", "+441914960000"),
    ("(01632) 960 123", "+441632960123"),
    ("0191-496-0000", "+441914960000"),
    ("0118-496-0123", "+441184960123"),
    ("+44 (0)118 496 0000", "+441184960000"),
    ("+44 118 496 0777", "+441184960777"),
    ("01632 960000", "+441632960000"),
    ("016977 0123", "+44169770123"),
    ("01184960123", "+441184960123"),
    ("02079460000", "+442079460000"),
    ("0800 123 4567", "+448001234567"),
    ("0808 157 0192", "+448081570192"),
    ("0345 678 9012", "+443456789012"),
    ("0300 123 1234", "+443001231234"),
    ("07700 900123", "+447700900123"),
    ("020 7946 0321", "+442079460321"),
]


@pytest.mark.parametrize(("written", "dial"), FORMS)
def test_each_written_form_is_one_number(written: str, dial: str) -> None:
    for text in (f"Call {written}.", f"Ward 4: {written} (24 hours)", f"{written}", f"Tel {written}, or"):
        [phone] = find_phones(text)
        assert phone.text == written and phone.dial == (dial,), text


@pytest.mark.parametrize(("text", "written", "dial"), [
    ("call 0118 496 0123 ext. 4321 today", "0118 496 0123 ext. 4321", "+441184960123;ext=4321"),
    ("call 0118 496 0123 x4321 today", "0118 496 0123 x4321", "+441184960123;ext=4321"),
    ("call 0118 496 0123 extension 55", "0118 496 0123 extension 55", "+441184960123;ext=55"),
])
def test_extensions(text: str, written: str, dial: str) -> None:
    [phone] = find_phones(text)
    assert (phone.text, phone.dial) == (written, (dial,))


@pytest.mark.parametrize(("text", "first", "second"), [
    ("Ring 01632 960001/2.", "+441632960001", "+441632960002"),
    ("Ring 0118 496 0120/21 for the desk", "+441184960120", "+441184960121"),
])
def test_two_numbers_written_as_one(text: str, first: str, second: str) -> None:
    [phone] = find_phones(text)
    assert phone.dial == (first, second)
    spoken = normalise(text, "en_GB")
    assert " or " in spoken and "zero one" in spoken and "/" not in spoken


@pytest.mark.parametrize(("text", "numbers"), [
    ("Call 999 in an emergency.", ["999"]),
    ("Out of hours, call NHS 111.", ["111"]),
    ("Ring 111 or 999, or 112 from a mobile", ["111", "999", "112"]),
    ("Take 111 mg twice a day.", []),
    ("There are 999 beds and 112 patients.", []),
    ("Your NHS number is 485 777 3456.", []),
    ("Your appointment is on 01/02/2027 in room 0118.", []),
])
def test_service_numbers_and_things_that_are_not_phones(text: str, numbers: list[str]) -> None:
    assert [p.dial[0] for p in find_phones(text)] == numbers


LEAFLET = """# Looking after your wound

## Contacting us

Surgical Day Unit: (0191) 496 0000 (Monday to Friday, 8am to 6pm).

Call 0800 123 4567 (24 hours) or +44 (0)118 496 0000 ext. 4321.

The switchboard is on 01632 960001/2. Out of hours, call NHS 111. In an emergency call 999.

TST_0099

Reviewed: May 2026. Next review due: May 2028.
"""


def test_every_form_is_a_placeholder_a_link_speech_and_unbroken(tmp_path: Path) -> None:
    source = tmp_path / "TST_0099-wound.md"
    source.write_text(LEAFLET, encoding="utf-8")
    leaflet = read_leaflet(str(source))
    messages = " ".join(str(m.id) for m in template(leaflet, str(source)) if m.id)
    for digits in ("0191", "0800", "+44", "01632", "111", "999", "4321"):
        assert digits not in messages, f"{digits} should be inside a placeholder: {messages}"
    doc = lxml.html.document_fromstring(export_html(leaflet))
    tel = [a.get("href") for a in doc.xpath("//a[starts-with(@href, 'tel:')]")]
    assert tel == ["tel:+441914960000", "tel:+448001234567", "tel:+441184960000;ext=4321",
                   "tel:+441632960001", "tel:+441632960002", "tel:111", "tel:999"]
    text = export_text(leaflet)
    for written in ("(0191) 496 0000", "0800 123 4567", "+44 (0)118 496 0000 ext. 4321", "01632 960001/2"):
        assert written in text, f"{written} kept whole on one line"
    spoken = normalise("Call 0800 123 4567 or (0191) 496 0000, NHS 111.", "en_GB")
    assert "zero eight zero zero, one two three, four five six seven" in spoken
    assert "zero one nine one, four nine six, zero zero zero zero" in spoken and "one one one" in spoken


@pytest.mark.parametrize(("text", "expected"), [
    ("Radiology Department: 0118 496 0000", [("Radiology Department", "0118 496 0000", None)]),
    ("Call the Fracture Clinic on 0118 496 0333 (Monday-Friday 9am-5pm). Out of hours, call NHS 111.",
     [("Fracture Clinic", "0118 496 0333", "Monday-Friday 9am-5pm")]),
    ("Call 0118 496 0222 (24 hours)", [("Stoma care", "0118 496 0222", "24 hours")]),
    ("Ward 5, Tel 0118 496 0001 (24/7) Ward 6, Tel 0118 496 0002 Maternity triage 0118 496 0003 24 hours a day",
     [("Ward 5", "0118 496 0001", "24/7"), ("Ward 6", "0118 496 0002", None),
      ("Maternity triage", "0118 496 0003", "24 hours a day")]),
    ("If you have questions please ring the Endoscopy Unit on 01632 960001/2 (option 3).",
     [("Endoscopy Unit", "01632 960001/2", None)]),
    ("Anticoagulation clinic 0118 496 0444, 24/7", [("Anticoagulation clinic", "0118 496 0444", "24/7")]),
])
def test_contacts_wherever_the_leaflet_puts_them(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    from pipeline.readers.metadata import contacts_in

    assert [(c.label, c.phone, c.hours) for c in contacts_in(text, "Stoma care")] == expected


def test_contacts_of_a_leaflet_in_info_speech_and_a_number_under_its_label(tmp_path: Path) -> None:
    source = tmp_path / "TST_0098-stoma.md"
    source.write_text("# Caring for your stoma\n\n## Stoma care nurses\n\n0118 496 0222 (Monday to Friday, "
                      "8am to 4pm)\n\n## Out of hours\n\nRing the surgical ward on 0118 496 0888, 24/7, or "
                      "NHS 111.\n\nTST_0098\n", encoding="utf-8")
    leaflet = read_leaflet(str(source))
    assert [(c.label, c.phone, c.hours) for c in leaflet.meta.contacts] == [
        ("Stoma care nurses", "0118 496 0222", "Monday to Friday, 8am to 4pm"),
        ("surgical ward", "0118 496 0888", "24/7")]
    from pipeline.speech.script import script_text, speech_script

    closing = script_text(leaflet, speech_script(leaflet)).split("\n")[-12:]
    assert any("Stoma care nurses" in line and "zero one one eight" in line for line in closing)


@pytest.mark.parametrize(("text", "spoken"), [
    ("Open 8am – 5pm, Mon–Fri.", "eight in the morning to five in the afternoon, Monday to Friday."),
    ("Ring us 24/7.", "twenty-four hours a day, seven days a week"),
    ("Sat-Sun 10am–2pm", "Saturday to Sunday ten in the morning to two in the afternoon"),
    ("Call 0118 496 0000 (option 3)", "(option three)"),
])
def test_hours_are_read_as_a_person_would(text: str, spoken: str) -> None:
    assert spoken in normalise(text, "en_GB")


LOOK_ALIKE = {"fullwidth": "０１１８ ４９６ ０１２３", "Arabic-Indic": "٠١١٨ ٤٩٦ ٠١٢٣",
              "Extended Arabic-Indic": "۰۱۱۸ ۴۹۶ ۰۱۲۳", "Bengali": "০১১৮ ৪৯৬ ০১২৩", "Devanagari": "०११८ ४९६ ०१२३",
              "mathematical bold": "𝟎𝟏𝟏𝟖 𝟒𝟗𝟔 𝟎𝟏𝟐𝟑", "mixed": "0118 ４９６ 0123"}


@pytest.mark.parametrize("script", sorted(LOOK_ALIKE))
def test_look_alike_digits_are_a_phone_number_shown_as_written(script: str, tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    from pipeline.exporters.html import export_html
    from pipeline.readers import read_leaflet

    written = LOOK_ALIKE[script]
    [phone] = find_phones(f"Call the ward on {written} if you are worried.")
    assert phone.text == written and phone.dial == ("+441184960123",)
    source = tmp_path / "TST_0020-ward.md"
    source.write_text(f"# Ward\n\n## Contact\n\nCall the ward on {written} if you are worried.\n\nTST_0020\n",
                      encoding="utf-8")
    html = export_html(read_leaflet(str(source)))
    assert 'href="tel:+441184960123"' in html and written in html
    assert "look-alike digits" in caplog.text


@pytest.mark.parametrize("written", ["0118 496 O123", "0118 496 0l23", "0118 4960 I23", "O118 496 0123",
                                     "+44 118 496 O123", "0800 O12 3456"])
def test_a_letter_for_a_digit_is_no_phone_number_and_is_warned_about(written: str, tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    from pipeline.exporters.html import export_html
    from pipeline.readers import read_leaflet

    assert find_phones(f"Call {written} now.") == ()
    source = tmp_path / "TST_0021-ward.md"
    source.write_text(f"# Ward\n\n## Contact\n\nCall {written} now.\n\nTST_0021\n", encoding="utf-8")
    html = export_html(read_leaflet(str(source)))
    assert "tel:" not in html, "no truncated tel: link"
    assert "letter for a digit" in caplog.text or written.startswith("O")
