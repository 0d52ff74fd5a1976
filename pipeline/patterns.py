"""Patterns for the facts in a leaflet that must never change: phone numbers, codes."""

from __future__ import annotations

import re

PHONE_RE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)\d{2,4}(?:[ -]?\d{3,4}){1,2}(?!\d)")
"""A UK phone number as leaflets write it: ``0118 322 7991``, ``+44 118 322 7991``, ``111``-free."""

CODE_RE = re.compile(r"[A-Z][A-Z0-9]{1,9}[_-]?\d{2,6}[A-Z]?")
"""A leaflet code: ``RAD_0067``, ``CARD-012``, ``PIL1234``."""

SAFE_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
"""What a leaflet code may contain, since it names an output folder."""

_TLDS = (r"(?:nhs\.uk|org\.uk|gov\.uk|co\.uk|ac\.uk|nhs\.wales|gov\.wales|gov\.scot|scot\.nhs\.uk"
         r"|wales|scot|uk|com|org|net|info|ie)")
WEB_RE = re.compile(
    r"(?<![@\w.\-/])(?:https?://[^\s<>()\[\]{}\"]*[^\s<>()\[\]{}\".,;:!?'’]"
    r"|(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+" + _TLDS
    + r"(?:/[^\s<>()\[\]{}\"]*[^\s<>()\[\]{}\".,;:!?'’])?/?)(?![\w@\-])",
    re.I,
)
"""A web address as leaflets write it, with or without ``https://`` or ``www.``: ``example.nhs.uk/page``."""

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<![.])")
"""An e-mail address."""


def web_href(address: str) -> str:
    """The link target for an address as written: ``www.x.nhs.uk`` -> ``https://www.x.nhs.uk``."""
    return address if re.match(r"https?://", address, re.I) else f"https://{address}"

ADDRESS_RE = re.compile(f"(?P<email>{EMAIL_RE.pattern})|(?P<url>{WEB_RE.pattern})", re.I)
"""An e-mail or web address (group ``email`` or ``url``): what becomes a placeholder and a link."""
