"""What every exporter says the same way: notices, the review line, contacts to add."""

from __future__ import annotations

from pipeline.labels import label, month_year
from pipeline.labels import translated as labels_translated
from pipeline.model import Contact, Leaflet, Link, Picture, block_text, inline_text


def notices(leaflet: Leaflet) -> list[tuple[str, str]]:
    """Warnings that must be visible at the top of every output (draft, unchecked translation).

    Each is given in the leaflet's language and then in English, for the staff who
    hand it out: pairs of (text, locale of that text).
    """
    meta = leaflet.meta
    keys = []
    translation = meta.translation
    if (translation is not None and translation.draft) or meta.provisional:
        keys.append("draft")
    if translation is not None and not translation.checked:
        keys.append("unchecked")
    out: list[tuple[str, str]] = []
    for key in keys:
        local = label(key, meta.language)
        out.append((local, meta.language))
        english = label(key, "en")
        if english != local:
            out.append((english, "en_GB"))
    if translation is not None and not labels_translated(meta.language):
        from pipeline.i18n.catalogues import language_name

        out.append((label("labels_missing", "en", language=language_name(meta.language)), "en_GB"))
    return out


def picture_line(picture: Picture, locale: str) -> str:
    """What stands for a picture in words: ``Picture: A nurse putting a cannula in a hand``."""
    return label("picture", locale, alt=picture.alt) if picture.alt else label("picture_no_alt", locale)


def language_line(leaflet: Leaflet) -> str | None:
    """``Polski (Polish)`` on a translation, so staff can tell what language they hand out."""
    if leaflet.meta.translation is None:
        return None
    from pipeline.i18n.catalogues import english_language_name, language_name

    locale = leaflet.meta.language
    return f"{language_name(locale)} ({english_language_name(locale)})"


def review_line(leaflet: Leaflet) -> str | None:
    """``Reviewed: May 2026. Next review due: May 2028.``, or ``None`` when no dates are known."""
    meta = leaflet.meta
    parts = []
    if meta.reviewed:
        parts.append(label("reviewed", meta.language, date=month_year(meta.reviewed, meta.language)))
    if meta.next_review:
        parts.append(
            label("next_review", meta.language, date=month_year(meta.next_review, meta.language))
        )
    return ". ".join(parts) + "." if parts else None


def contacts_not_in_body(leaflet: Leaflet) -> list[Contact]:
    """Contacts from front matter whose number the body does not already give."""
    body = "\n".join(block_text(b) for b in leaflet.blocks)
    return [c for c in leaflet.meta.contacts if c.phone not in body]


def address_to_write(link: Link) -> str | None:
    """The address to write after a link's text where the reader cannot click it, or ``None``
    when the text already shows it ("visit www.example.nhs.uk")."""
    address = link.url.removeprefix("mailto:")
    bare = address.removeprefix("https://").removeprefix("http://").rstrip("/")
    return None if bare in inline_text(link.children) else address


def contact_line(contact: Contact) -> str:
    """``Label: 0118 322 7991 (hours)``."""
    hours = f" ({contact.hours})" if contact.hours else ""
    return f"{contact.label}: {contact.phone}{hours}"


def closing_lines(leaflet: Leaflet) -> list[str]:
    """The lines every document ends with: extra contacts, the organisation, code, author, review dates."""
    meta = leaflet.meta
    lines = [contact_line(c) for c in contacts_not_in_body(leaflet)]
    named = meta.department if meta.department not in {c.label for c in meta.contacts} else None
    producer = ", ".join(x for x in (named, meta.organisation) if x)
    if meta.organisation and meta.organisation not in "\n".join(block_text(b) for b in leaflet.blocks):
        lines.append(producer)  # who issues it, when the body does not say (its logo text was dropped)
    lines.append(label("code", meta.language, code=meta.shown_code))
    if meta.author:
        lines.append(meta.author)
    review = review_line(leaflet)
    if review:
        lines.append(review)
    return lines
