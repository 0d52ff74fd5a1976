"""The Word and PDF example leaflets in leaflets/, made by the project's own code.

``leaflets/CARD_0040-heart-monitor.docx`` is written in Word's own XML shape (a Title,
Heading 1 sections, a numbered bullet list, a picture with alt text and a caption, a
warning in a text box, the trust's name in the header and the code and review dates in a
footer table with page numbers); ``leaflets/EYE_0112-eye-drops.pdf`` is an untagged PDF
as a trust publishes one (running header and footer, Symbol-font bullets, a shaded
warning box).  Both are fictional: the trust, the people and the numbers (Ofcom's drama
range) are made up.  ``tests/test_examples.py`` checks the committed files are exactly
what this code makes; ``pytest --regenerate`` writes them again.
"""

from __future__ import annotations

import io

from tests.pdfmake import Page, pdf
from tests.wordml import docx, field, numbered, p, picture_run, r, table, textbox_run

WORD_NAME = "CARD_0040-heart-monitor.docx"
PDF_NAME = "EYE_0112-eye-drops.pdf"
TRUST = "Northfield Hospitals NHS Foundation Trust"
OFFER = "Please ask if you need this information in another language or format."


def monitor_picture() -> bytes:
    """A drawing of a heart monitor on a belt, wires to three pads (made here, so it is ours)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 220, 440, 250), fill=(90, 60, 40))  # the belt
    draw.rounded_rectangle((170, 150, 290, 300), 14, fill=(0, 94, 184), outline=(0, 48, 135), width=4)
    draw.rectangle((190, 175, 270, 225), fill=(220, 235, 250))  # its screen
    draw.line((195, 200, 210, 200, 218, 183, 228, 215, 236, 200, 265, 200), fill=(0, 120, 60), width=3)
    for x, y in ((110, 50), (240, 30), (370, 60)):
        draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill=(240, 240, 240), outline=(120, 120, 120), width=3)
        draw.line((x, y + 22, 230, 150), fill=(60, 60, 60), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def word_leaflet(code: str = "CARD_0040") -> bytes:
    """CARD_0040: Wearing a heart monitor at home (Word); ``code`` gives a copy under another code."""
    warning = p(runs=r("Call 999 if you have chest pain that does not go away.", "<w:b/>"))
    body = (
        p("Wearing a heart monitor at home", "Title")
        + p("Your doctor has asked you to wear a small heart monitor for 24 hours. It records your heartbeat "
            "while you go about your normal day.")
        + p("Before your appointment", "Heading1")
        + numbered("Have a shower or bath, because you cannot get the monitor wet.", 1)
        + numbered("Wear a loose top that opens at the front.", 1)
        + p("Wearing the monitor", "Heading1")
        + p("A nurse will put 3 small sticky pads on your chest and connect them to the monitor.")
        + p(runs=picture_run("rIdMonitor", "A small heart monitor clipped to a belt, with 3 wires going to "
                                           "sticky pads on the chest", "Monitor"))
        + p("The monitor is about the size of a mobile phone.", "Caption")
        + p(runs=r("Write down the time of any symptoms in the diary we give you, for example dizziness or a "
                   "racing heart.") + textbox_run(warning))
        + p("Returning the monitor", "Heading1")
        + p("Bring the monitor and your diary back to the Cardiology Department the next day. We will send the "
            "results to your doctor within 2 weeks.")
        + p("Cardiology Department, Tel 0118 496 0321 (Monday to Friday, 9am to 5pm)")
        + p(runs=r(OFFER, "<w:b/>"))
    )
    footer = table([[f"Leaflet code: {code}", "Page "], ["Reviewed: April 2026", "Next review due: April 2029"]])
    footer = footer.replace(r("Page "), r("Page ") + field("PAGE", "1") + r(" of ") + field("NUMPAGES", "2"), 1)
    return docx(body, headers=[p(TRUST)], footers=[footer], media={"rIdMonitor": monitor_picture()})


def pdf_leaflet() -> bytes:
    """EYE_0112: Eye drops after cataract surgery (an untagged PDF, one A4 page)."""
    page = Page()
    page.text(60, 30, TRUST, 9)
    page.text(60, 800, "EYE_0112    Reviewed: May 2026. Next review due: May 2029.    Page 1 of 1", 9)
    page.text(60, 80, "Eye drops after cataract surgery", 22, bold=True)
    y = page.lines(60, 125, ["You will need to put drops in your eye for 4 weeks after your operation. The drops",
                             "stop infection and help your eye heal."])
    page.text(60, y + 12, "How to put in your drops", 14, bold=True)
    y += 38
    for step in ("Wash your hands.", "Tilt your head back and look up.",
                 "Gently pull down your lower eyelid and let one drop fall inside it."):
        page.bullet(66, y).text(80, y, step)
        y += 18
    y += 14
    page.rect(55, y - 6, 485, 30, fill=(1.0, 0.92, 0.6))
    page.text(65, y + 2, "Do not rub your eye for 2 weeks.", bold=True)
    y += 44
    page.text(60, y, "When to get help", 14, bold=True)
    y = page.lines(60, y + 24, ["Ring the Eye Clinic on 0118 496 0999 straight away if your eye becomes red or",
                                "painful, or your sight gets worse."])
    page.text(60, y + 12, OFFER, bold=True)
    return pdf([page])
