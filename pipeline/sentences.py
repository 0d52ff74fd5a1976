"""Sentences inside formatted text: where they end, and the inline content cut there.

The read-along book highlights one sentence at a time, so each sentence must be its own
element while its bold words and links stay as they were.  A sentence ends after ``.``,
``!``, ``?`` (or the Urdu and Arabic full stop and question mark, the Bengali and Hindi danda) and any closing quotes
or brackets, before white space and a word that does not start in lower case; not after
an abbreviation ("e.g.", "Dr.", "approx.").  A cut never falls inside a link: the link's
words stay one link in one sentence.
"""

from __future__ import annotations

import re

from pipeline.model import Emphasis, Inline, Link, Strong, Text, inline_text

ABBREVIATIONS = frozenset({"e.g", "i.e", "eg", "ie", "dr", "mr", "mrs", "ms", "prof", "st", "no", "approx", "etc",
                           "vs", "tel", "mins", "hrs", "nr", "np", "tj", "ok"})
"""Words after which a full stop does not end the sentence (English, and Polish np., nr, tj.)."""

_END = re.compile(r"(?<![.!?\u06d4\u061f\u0964])[.!?\u06d4\u061f\u0964]+[\"”’)\]]*(?=\s)")
_NEXT = re.compile(r"\s*(\S?)")


def sentence_ends(text: str) -> list[int]:
    """The offsets in ``text`` where a sentence ends and another begins (after the end's quotes)."""
    ends = []
    for m in _END.finditer(text):
        after = _NEXT.match(text, m.end())
        following = after.group(1) if after else ""
        if not following or following.islower():
            continue
        before = text[max(0, m.start() - 40): m.start()].split()  # the word before: an abbreviation is short
        word = before[-1].rstrip(".").lower() if before else ""
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):  # "J. Smith"
            continue
        ends.append(m.end())
    return ends


def split(inlines: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """``inlines`` cut into sentences; joined again they give back the same text and markup."""
    text = inline_text(inlines)
    cuts = sentence_ends(text)
    links = _link_spans(inlines)
    cuts = sorted({next((end for start, end in links if start < cut < end), cut) for cut in cuts})
    cuts = [cut for cut in cuts if 0 < cut < len(text)]
    return [segment for segment in _split(inlines, cuts) if segment]


def leading_space(segment: tuple[Inline, ...]) -> tuple[str, tuple[Inline, ...]]:
    """The white space a sentence starts with (kept between sentences, not highlighted), and the rest.

    The space may be inside bold or emphasis (``**Do this. Then that.**``).
    """
    if not segment:
        return "", segment
    first = segment[0]
    if isinstance(first, Text):
        stripped = first.text.lstrip()
        space = first.text[: len(first.text) - len(stripped)]
        if not stripped and len(segment) > 1:  # only space: look into what follows
            more, rest = leading_space(segment[1:])
            return space + more, rest
        return space, ((Text(stripped),) if stripped else ()) + segment[1:]
    if isinstance(first, Strong | Emphasis):
        space, inner = leading_space(first.children)
        if space:
            return space, ((type(first)(inner),) if inner else ()) + segment[1:]
    return "", segment


def _length(node: Inline) -> int:
    return len(inline_text((node,)))


def _link_spans(inlines: tuple[Inline, ...], offset: int = 0) -> list[tuple[int, int]]:
    spans, pos = [], offset
    for node in inlines:
        length = _length(node)
        if isinstance(node, Link):
            spans.append((pos, pos + length))
        elif isinstance(node, Strong | Emphasis):
            spans.extend(_link_spans(node.children, pos))
        pos += length
    return spans


def _split(nodes: tuple[Inline, ...], cuts: list[int]) -> list[tuple[Inline, ...]]:
    """``nodes`` cut at ``cuts`` (offsets in their text): ``len(cuts) + 1`` pieces, some perhaps empty."""
    pieces: list[list[Inline]] = [[]]
    pending = list(cuts)
    pos = 0
    for node in nodes:
        while pending and pending[0] <= pos:
            pieces.append([])
            pending.pop(0)
        length = _length(node)
        inside = []
        while pending and pending[0] < pos + length:
            inside.append(pending.pop(0) - pos)
        if inside:
            parts = _split_node(node, inside)
            pieces[-1].extend(parts[0])
            pieces.extend(list(part) for part in parts[1:])
        else:
            pieces[-1].append(node)
        pos += length
    while pending:
        pieces.append([])
        pending.pop(0)
    return [tuple(piece) for piece in pieces]


def _split_node(node: Inline, cuts: list[int]) -> list[tuple[Inline, ...]]:
    if isinstance(node, Text):
        bounds = [0, *cuts, len(node.text)]
        return [(Text(node.text[a:b]),) if b > a else () for a, b in zip(bounds, bounds[1:], strict=False)]
    if isinstance(node, Strong | Emphasis):
        return [(type(node)(part),) if part else () for part in _split(node.children, cuts)]
    # A line break is one character and a link is never cut (the cuts were moved to its end).
    return [(node,), *([()] * len(cuts))]
