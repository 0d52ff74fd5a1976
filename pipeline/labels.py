"""The fixed words exporters add around a leaflet's own text (footers, notices, dates).

Labels are looked up by language; a language without its own labels uses English.
The Polish, Welsh and Urdu labels here were written by the project, not by a
qualified translator: have them checked before relying on them.
"""

from __future__ import annotations

import datetime as dt

ENGLISH: dict[str, str] = {
    "reviewed": "Reviewed: {date}",
    "next_review": "Next review due: {date}",
    "page": "Page {page} of {pages}",
    "code": "Leaflet code: {code}",
    "draft": "DRAFT: not checked, not for issue to patients",
    "unchecked": "This translation has not been checked by a qualified translator.",
    "large_print": "Large print",
    "giant_print": "Giant print",
    "audio_from": "From {organisation}.",
    "audio_sections": "This recording has {count} sections.",
    "audio_skip": "To move to the next section, skip to the next track or chapter.",
    "audio_intro": "Introduction",
    "epub_summary": "A patient information leaflet with headings, a table of contents and a logical reading order. "
                    "Text can be resized and its colours changed.",
    "epub_summary_audio": "A patient information leaflet with headings, a table of contents and a logical reading "
                          "order. Text can be resized and its colours changed. Every sentence is read aloud by a "
                          "synthetic voice and highlighted as it is read.",
    "audio_closing": "Contacts and review dates",
    "audio_end": "End of recording.",
    "skip_to_content": "Skip to the leaflet",
    "contents": "Contents",
    "picture": "Picture: {alt}",
    "picture_no_alt": "Picture (not described)",
}

LABELS: dict[str, dict[str, str]] = {
    "en": ENGLISH,
    "pl": {
        "reviewed": "Data przeglądu: {date}",
        "next_review": "Następny przegląd: {date}",
        "page": "Strona {page} z {pages}",
        "code": "Kod ulotki: {code}",
        "draft": "WERSJA ROBOCZA: niesprawdzona, nie do wydawania pacjentom",
        "unchecked": "To tłumaczenie nie zostało sprawdzone przez wykwalifikowanego tłumacza.",
        "large_print": "Duży druk",
        "giant_print": "Bardzo duży druk",
        "audio_from": "Od: {organisation}.",
        "audio_sections": "To nagranie ma {count} części.",
        "audio_skip": "Aby przejść do następnej części, przejdź do następnej ścieżki lub rozdziału.",
        "audio_intro": "Wstęp",
        "epub_summary": "Ulotka informacyjna dla pacjenta z nagłówkami, spisem treści i logiczną kolejnością "
                        "czytania. Można zmieniać rozmiar i kolory tekstu.",
        "epub_summary_audio": "Ulotka informacyjna dla pacjenta z nagłówkami, spisem treści i logiczną "
                              "kolejnością czytania. Można zmieniać rozmiar i kolory tekstu. Każde zdanie jest "
                              "czytane na głos przez syntezator mowy i podświetlane podczas czytania.",
        "audio_closing": "Kontakt i daty przeglądu",
        "audio_end": "Koniec nagrania.",
        "skip_to_content": "Przejdź do treści ulotki",
        "contents": "Spis treści",
        "picture": "Obraz: {alt}",
        "picture_no_alt": "Obraz (bez opisu)",
    },
    "cy": {
        "reviewed": "Adolygwyd: {date}",
        "next_review": "Adolygiad nesaf: {date}",
        "page": "Tudalen {page} o {pages}",
        "code": "Cod y daflen: {code}",
        "draft": "DRAFFT: heb ei wirio, nid i'w roi i gleifion",
        "unchecked": "Nid yw cyfieithydd cymwys wedi gwirio'r cyfieithiad hwn.",
        "large_print": "Print bras",
        "giant_print": "Print bras iawn",
        "audio_from": "Gan {organisation}.",
        "audio_sections": "Mae gan y recordiad hwn {count} adran.",
        "audio_skip": "I symud i'r adran nesaf, ewch i'r trac neu'r bennod nesaf.",
        "audio_intro": "Cyflwyniad",
        "epub_summary": "Taflen wybodaeth i gleifion gyda phenawdau, tabl cynnwys a threfn ddarllen resymegol. "
                        "Gellir newid maint a lliwiau'r testun.",
        "epub_summary_audio": "Taflen wybodaeth i gleifion gyda phenawdau, tabl cynnwys a threfn ddarllen "
                              "resymegol. Gellir newid maint a lliwiau'r testun. Mae llais synthetig yn darllen pob "
                              "brawddeg yn uchel ac yn ei hamlygu wrth ei darllen.",
        "audio_closing": "Cysylltu â ni a dyddiadau adolygu",
        "audio_end": "Diwedd y recordiad.",
        "skip_to_content": "Neidio i'r daflen",
        "contents": "Cynnwys",
        "picture": "Llun: {alt}",
        "picture_no_alt": "Llun (heb ddisgrifiad)",
    },
    "ur": {
        "reviewed": "نظرِ ثانی: {date}",
        "next_review": "اگلی نظرِ ثانی: {date}",
        "page": "صفحہ {page} از {pages}",
        "code": "کتابچے کا کوڈ: {code}",
        "draft": "مسودہ: جانچ شدہ نہیں، مریضوں کو دینے کے لیے نہیں",
        "unchecked": "اس ترجمے کی کسی مستند مترجم نے جانچ نہیں کی۔",
        "large_print": "بڑا پرنٹ",
        "giant_print": "بہت بڑا پرنٹ",
        "audio_from": "{organisation} کی جانب سے۔",
        "audio_sections": "اس ریکارڈنگ کے {count} حصے ہیں۔",
        "audio_skip": "اگلے حصے پر جانے کے لیے اگلے ٹریک یا باب پر جائیں۔",
        "audio_intro": "تعارف",
        "epub_summary": "مریضوں کے لیے معلوماتی کتابچہ، عنوانات، فہرستِ مضامین اور پڑھنے کی ترتیب کے ساتھ۔ "
                        "متن کا سائز اور رنگ بدلے جا سکتے ہیں۔",
        "epub_summary_audio": "مریضوں کے لیے معلوماتی کتابچہ، عنوانات، فہرستِ مضامین اور پڑھنے کی ترتیب کے ساتھ۔ "
                              "متن کا سائز اور رنگ بدلے جا سکتے ہیں۔ ہر جملہ مصنوعی آواز میں پڑھا جاتا ہے اور پڑھتے "
                              "وقت نمایاں ہوتا ہے۔",
        "audio_closing": "رابطہ اور نظرِ ثانی کی تاریخیں",
        "audio_end": "ریکارڈنگ ختم۔",
        "skip_to_content": "کتابچے پر جائیں",
        "contents": "فہرست",
        "picture": "تصویر: {alt}",
        "picture_no_alt": "تصویر (بغیر وضاحت)",
    },
}


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


def label(key: str, locale: str = "en_GB", **values: object) -> str:
    """The label ``key`` in ``locale``'s language (English when there is none), filled in."""
    table = LABELS.get(_language(locale), ENGLISH)
    return table.get(key, ENGLISH[key]).format(**values)


def month_year(date: dt.date, locale: str = "en_GB") -> str:
    """``May 2026`` in the locale's month names (``maj 2026``, ``Mai 2026``)."""
    from pipeline.i18n.catalogues import month_year as babel_month_year

    return babel_month_year(date, locale)
