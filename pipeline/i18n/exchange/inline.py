"""A message's inline markup as a tree an exchange format can protect, and back.

A message is Markdown with placeholders (``Call **{phone1}** or see [the page]({link1})``).
A CAT tool must not let a translator edit ``{phone1}`` or the ``**`` around it, so each
exchange format writes the tree: text, :class:`Ph` (a placeholder: a phone number, a web
or e-mail address), :class:`Br` (a line break) and :class:`Span` (bold, italic, a link and
its target).  The message is parsed by the same reader a translation is built with
(:func:`pipeline.i18n.messages.from_message`), so the tree is what the build would make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.i18n.messages import PLACEHOLDER_RE, MessageError, from_message
from pipeline.model import Emphasis, Inline, LineBreak, Link, Strong, Text


@dataclass(frozen=True)
class Ph:
    """A placeholder: ``phone1``, ``url2``, ``email1``."""

    name: str


@dataclass(frozen=True)
class Br:
    """A line break inside a block."""


@dataclass(frozen=True)
class Span:
    """Bold, italic or a link (``link``: the placeholder of its target, ``link1``)."""

    kind: str
    children: tuple[Node, ...]
    link: str = ""


Node = str | Ph | Br | Span

_OPEN, _CLOSE = "\ue100", "\ue101"
_SENTINEL_RE = re.compile(f"{_OPEN}(\\w+){_CLOSE}")
_ESCAPE_RE = re.compile(r"([\\*_\[\]`<])")


def tree(message: str) -> tuple[Node, ...]:
    """The tree of ``message``; :class:`MessageError` if its markup cannot be read."""
    names = {m.group(1) + m.group(2) for m in PLACEHOLDER_RE.finditer(message)}
    inlines = from_message(message, {name: f"{_OPEN}{name}{_CLOSE}" for name in names})
    return merged(_nodes(inlines))


def _nodes(inlines: tuple[Inline, ...]) -> list[Node]:
    out: list[Node] = []
    for node in inlines:
        if isinstance(node, Text):
            pos = 0
            for m in _SENTINEL_RE.finditer(node.text):
                out.append(node.text[pos:m.start()])
                out.append(Ph(m.group(1)))
                pos = m.end()
            out.append(node.text[pos:])
        elif isinstance(node, LineBreak):
            out.append(Br())
        elif isinstance(node, Strong):
            out.append(Span("bold", merged(_nodes(node.children))))
        elif isinstance(node, Emphasis):
            out.append(Span("italic", merged(_nodes(node.children))))
        elif isinstance(node, Link):
            target = _SENTINEL_RE.fullmatch(node.url)
            if target is None:
                raise MessageError(f"a link's target must be a placeholder such as {{link1}}, not {node.url!r}")
            out.append(Span("link", merged(_nodes(node.children)), target.group(1)))
    return out


def merged(nodes: list[Node] | tuple[Node, ...]) -> tuple[Node, ...]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            if not node:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += node
                continue
        out.append(node)
    return tuple(out)


def message(nodes: tuple[Node, ...]) -> str:
    """The Markdown message of a tree (the inverse of :func:`tree`)."""
    parts: list[str] = []
    for node in merged(nodes):
        if isinstance(node, str):
            parts.append(_ESCAPE_RE.sub(r"\\\1", node).replace("{", "{{").replace("}", "}}"))
        elif isinstance(node, Ph):
            parts.append("{" + node.name + "}")
        elif isinstance(node, Br):
            parts.append("\\\n")
        elif node.kind == "bold":
            parts.append(f"**{message(node.children)}**")
        elif node.kind == "italic":
            parts.append(f"*{message(node.children)}*")
        else:
            parts.append(f"[{message(node.children)}]({{{node.link}}})")
    return "".join(parts)


def protected(nodes: tuple[Node, ...]) -> list[str]:
    """The protected parts of a tree in order: placeholders, links and line breaks by name, bold and italic."""
    found: list[str] = []
    for node in nodes:
        if isinstance(node, Ph):
            found.append(node.name)
        elif isinstance(node, Br):
            found.append("line break")
        elif isinstance(node, Span):
            found.append(node.link or node.kind)
            found += protected(node.children)
    return found

