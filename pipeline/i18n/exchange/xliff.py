"""XLIFF 1.2, the file every CAT tool (Trados, memoQ, Phrase) reads.

One ``trans-unit`` per message: its stable id, the PO context as ``resname``, the note a
translator needs, the section as a context, the state, and the inline markup as protected
elements a CAT tool will not let a translator change: ``<x id="phone1" ctype="x-phone"/>``
for a placeholder, ``<x id="br1" ctype="lb"/>`` for a line break, ``<g ctype="bold">``,
``<g ctype="italic">`` and ``<g id="link1" ctype="link">`` around text.  The leaflet, the
language and a fingerprint of the English are attributes in this project's namespace on
``<file>``; each unit's English is in ``<source>``, so an import can say what changed.
The XML is written and read with lxml; nothing is fetched and no entity expanded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from pipeline.errors import LeafletError
from pipeline.i18n.exchange.inline import Br, Node, Ph, Span, merged, tree

if TYPE_CHECKING:
    from pipeline.i18n.exchange import Header, Returned, Unit

NS = "urn:oasis:names:tc:xliff:document:1.2"
LP = "urn:nhs-leaflet-pipeline:exchange"
_STATES = {"new": "needs-translation", "needs-review": "needs-review-translation", "translated": "translated",
           "signed-off": "signed-off"}
_READ_STATES = {"needs-review-translation": "needs-review", "needs-review-l10n": "needs-review",
                "needs-review-adaptation": "needs-review", "needs-translation": "new", "new": "new",
                "needs-l10n": "new", "needs-adaptation": "new", "translated": "translated", "final": "translated",
                "signed-off": "translated"}
_CTYPES = {"bold": "bold", "italic": "italic", "link": "link"}
_PH_CTYPES = {"phone": "x-phone", "url": "x-url", "email": "x-email"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _inline(parent: etree._Element, nodes: tuple[Node, ...], counters: dict[str, int]) -> None:
    """Append ``nodes`` to ``parent`` as text and protected inline elements."""
    last: etree._Element | None = None

    def add_text(text: str) -> None:
        if last is None:
            parent.text = (parent.text or "") + text
        else:
            last.tail = (last.tail or "") + text

    for node in nodes:
        if isinstance(node, str):
            add_text(node)
            continue
        if isinstance(node, Ph):
            kind = re.sub(r"\d+", "", node.name)
            last = etree.SubElement(parent, _q("x"), id=node.name, ctype=_PH_CTYPES.get(kind, "x-placeholder"))
            last.set("equiv-text", "{" + node.name + "}")
        elif isinstance(node, Br):
            counters["br"] = counters.get("br", 0) + 1
            last = etree.SubElement(parent, _q("x"), id=f"br{counters['br']}", ctype="lb")
            last.set("equiv-text", "\n")
        else:
            counters[node.link or node.kind] = counters.get(node.link or node.kind, 0) + 1
            n = counters[node.link or node.kind]
            gid = (node.link if n == 1 else f"{node.link}.{n}") if node.link else f"{node.kind[0]}{n}"
            last = etree.SubElement(parent, _q("g"), id=gid, ctype=_CTYPES[node.kind])
            _inline(last, node.children, counters)


def write(header: Header, units: list[Unit]) -> bytes:
    """The XLIFF 1.2 file for ``units``."""
    root = etree.Element(_q("xliff"), nsmap={None: NS, "lp": LP}, version="1.2")
    file_ = etree.SubElement(root, _q("file"), original=f"{header.code}.po", datatype="po")
    file_.set("source-language", "en-GB")
    file_.set("target-language", header.locale.replace("_", "-"))
    file_.set(f"{{{LP}}}code", header.code)
    file_.set(f"{{{LP}}}locale", header.locale)
    file_.set(f"{{{LP}}}english", header.english)
    head = etree.SubElement(file_, _q("header"))
    etree.SubElement(head, _q("tool"), {"tool-id": "leaflet", "tool-name": "NHS leaflet pipeline"})
    note = etree.SubElement(head, _q("note"))
    note.text = (f"{header.title} ({header.code}), into {header.locale}.  Translate the text only: phone "
                 "numbers, addresses, links, bold and line breaks are protected and filled in by the pipeline.  "
                 "Return this file as it is; it is checked before it is used.")
    body = etree.SubElement(file_, _q("body"))
    for unit in units:
        tu = etree.SubElement(body, _q("trans-unit"), id=unit.id)
        tu.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if unit.context:
            tu.set("resname", unit.context)
        if unit.state in ("translated", "signed-off"):
            tu.set("approved", "yes")  # XLIFF's "not fuzzy", as translate-toolkit's po2xliff writes it
        source = etree.SubElement(tu, _q("source"))
        _inline(source, tree(unit.english), {})
        target = etree.SubElement(tu, _q("target"), state=_STATES[unit.state])
        if unit.translation:
            _inline(target, tree(unit.translation), {})
        note = etree.SubElement(tu, _q("note"), {"from": "developer"})
        note.text = unit.note
        group = etree.SubElement(tu, _q("context-group"), purpose="location")
        context = etree.SubElement(group, _q("context"), {"context-type": "x-section"})
        context.text = unit.section
    # Indented by hand: a pretty printer would put white space inside <source> and <target>, whose text it is.
    for element in (root, file_, head, body):
        element.text = "\n"
    for element in (file_, head, body, *head, *body):
        element.tail = "\n"
    for tu in body:
        tu.text = "\n"
        for child in tu:
            child.tail = "\n"
        for group in tu.iter(_q("context-group")):
            group.text = "\n"
            for child in group:
                child.tail = "\n"
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _nodes(element: etree._Element, where: str) -> tuple[Node, ...]:
    """An inline element's content as a tree; :class:`ValueError` naming what is not allowed."""
    out: list[Node] = [element.text or ""]
    for child in element:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "x" or tag == "ph":
            name = str(child.get("id", ""))
            if child.get("ctype") == "lb" or name.startswith("br"):
                out.append(Br())
            elif re.fullmatch(r"(phone|url|email)\d+", name):
                out.append(Ph(name))
            else:
                raise ValueError(f"{where}: a protected element '{name}' that is not one of the English's")
        elif tag == "g":
            ctype = child.get("ctype", "")
            gid = str(child.get("id", ""))
            if ctype == "link" or re.fullmatch(r"link\d+(\.\d+)?", gid):
                out.append(Span("link", _nodes(child, where), gid.split(".")[0]))
            elif ctype in ("bold", "italic"):
                out.append(Span(ctype, _nodes(child, where)))
            else:
                raise ValueError(f"{where}: an inline mark of a kind the English does not have ({ctype or gid})")
        elif tag == "mrk":  # a CAT tool's segment or comment marker: its text is the text
            out += list(_nodes(child, where))
        elif isinstance(child.tag, str):
            raise ValueError(f"{where}: <{tag}> is not allowed in a translation")
        out.append(child.tail or "")
    return merged(out)


def _trimmed(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
    """Without the white space a tool's indenting put at the start and end of a target."""
    out = list(nodes)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return tuple(n for n in out if n != "")


def read(data: bytes, path: str) -> Returned:
    """The header, translations and states of an XLIFF 1.2 file this project wrote (a CAT tool may have
    re-saved it)."""
    from pipeline.i18n.exchange import Header, Returned
    from pipeline.i18n.exchange.inline import message

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise LeafletError(path, f"not readable as XML: {exc.msg}", exc.lineno) from None
    if etree.QName(root).localname != "xliff" or not str(root.get("version", "")).startswith("1."):
        raise LeafletError(path, "not an XLIFF 1.2 file (export one with: leaflet i18n export CODE LOCALE)")
    files = root.findall(_q("file"))
    if not files:
        raise LeafletError(path, "not exported by this pipeline (no <file> in it): export the leaflet with "
                                 "leaflet i18n export CODE LOCALE")
    if len(files) != 1:
        raise LeafletError(path, f"holds {len(files)} <file> elements; a leaflet's export holds one")
    file_ = files[0]
    code, locale, english = (file_.get(f"{{{LP}}}{name}") for name in ("code", "locale", "english"))
    if not (code and locale and english):
        raise LeafletError(path, "not exported by this pipeline (no leaflet code, language or English "
                                 "fingerprint on <file>): export the leaflet with leaflet i18n export")
    returned = Returned(Header(code, locale, english))
    sources: list[tuple[str, str]] = []
    for tu in file_.iter(_q("trans-unit")):
        uid = str(tu.get("id", ""))
        if uid in returned.translated or uid in returned.errors:
            raise LeafletError(path, f"the unit {uid} is in the file twice", tu.sourceline)
        source, target = tu.find(_q("source")), tu.find(_q("target"))
        where = f"line {tu.sourceline}"
        try:
            sources.append((uid, message(_nodes(source, where)) if source is not None else ""))
        except ValueError:
            sources.append((uid, ""))
        try:
            nodes = _nodes(target, where) if target is not None else None
        except ValueError as exc:
            returned.errors[uid] = str(exc)
            continue
        nodes = _trimmed(nodes) if nodes is not None else None
        words = nodes is not None and bool("".join(n for n in nodes if isinstance(n, str)).strip())
        returned.translated[uid] = nodes if nodes and (words or any(not isinstance(n, str) for n in nodes)) else None
        state = target.get("state") if target is not None else "new"
        if state is None:  # no state: XLIFF's approved says whether it is fuzzy
            state = "translated" if tu.get("approved") == "yes" else "needs-review-translation"
        returned.states[uid] = _READ_STATES.get(str(state), "needs-review")
    returned.header = Header(code, locale, english, sources=tuple(sources))
    return returned
