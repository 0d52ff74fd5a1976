"""Strict reading of PO files: refuse what GNU ``msgfmt -c`` refuses, before Babel sees the file.

Babel's reader is lenient: a ``msgstr`` missing its opening quote loses a letter, a stray
line is skipped, a duplicate entry silently wins, a Latin-2 file is read as garbled text.
For clinical text each of those must stop the catalogue, with the file and line, so a
translator can fix it.  :func:`validate` checks, in order:

* the bytes: UTF-8 only (no UTF-16, no byte-order mark, no NUL), and a header that says
  ``charset=UTF-8`` (another charset is refused, never guessed);
* the syntax, line by line, as GNU gettext's grammar has it: keywords followed by quoted
  strings with valid escapes, continuation strings only after a string, no comment inside
  an entry, every ``msgid`` with its ``msgstr``; the same for ``#|`` and ``#~`` lines;
* duplicate entries (same context and ``msgid``), naming both lines;
* ``msgfmt -c``'s check that a ``msgid`` and its ``msgstr`` both begin and end with a newline or neither.

Placeholder and number problems are the checks' business (:mod:`pipeline.i18n.checks`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.errors import LeafletError
from pipeline.i18n.messages import first_words
from pipeline.i18n.plural import PluralError, check_plural_forms

_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s\"])\s*(.*)$")
_ESCAPES = set('\\"ntrabfv?\'')


class PoSyntaxError(LeafletError):
    """A PO file GNU gettext would refuse."""


@dataclass
class _Entry:
    line: int
    fuzzy: bool = False
    parts: dict[str, list[str]] = field(default_factory=dict)
    """Keyword (msgctxt, msgid, msgstr ...) -> its strings."""

    @property
    def context(self) -> str | None:
        return "".join(self.parts["msgctxt"]) if "msgctxt" in self.parts else None

    @property
    def msgid(self) -> str:
        return "".join(self.parts.get("msgid", []))

    @property
    def msgstr(self) -> str:
        return "".join(self.parts.get("msgstr", []))


def strings(rest: str, path: str = "", number: int | None = None) -> list[str]:
    """The quoted strings on the rest of a line, decoded; anything else is an error."""
    found: list[str] = []
    i = 0
    while i < len(rest):
        if rest[i] in " \t":
            i += 1
            continue
        if rest[i] != '"':
            raise PoSyntaxError(path, f"unexpected text {rest[i:i + 20]!r}: a PO string must be in double quotes",
                                number)
        i += 1
        out: list[str] = []
        while True:
            if i >= len(rest):
                raise PoSyntaxError(path, "string not closed: a closing double quote is missing", number)
            ch = rest[i]
            if ch == '"':
                i += 1
                break
            if ch == "\\":
                if i + 1 >= len(rest):
                    raise PoSyntaxError(path, "string not closed: it ends with a backslash", number)
                nxt = rest[i + 1]
                if nxt in _ESCAPES:
                    out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
                    i += 2
                    continue
                octal = re.match(r"[0-7]{1,3}", rest[i + 1:])
                hexa = re.match(r"x[0-9a-fA-F]+", rest[i + 1:])
                if octal or hexa:
                    i += 1 + len((octal or hexa).group(0))  # type: ignore[union-attr]
                    out.append("?")
                    continue
                raise PoSyntaxError(path, f"invalid escape \\{nxt} in a string (write \\\\ for a backslash)", number)
            out.append(ch)
            i += 1
        found.append("".join(out))
    if not found:
        raise PoSyntaxError(path, "a keyword must be followed by a quoted string", number)
    return found


MAX_MESSAGE_CHARS = 20_000
"""A translation may be longer than its English (at most 10,000 characters a paragraph), not without bound."""


def validate(data: bytes, path: str) -> None:
    """Raise :class:`PoSyntaxError` (file and line) for a catalogue GNU gettext or clinical use would refuse."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise PoSyntaxError(path, "not a UTF-8 text file (UTF-16 or binary): save the catalogue as UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        raise PoSyntaxError(path, "starts with a byte-order mark, which GNU gettext refuses: save it as UTF-8 "
                                  "without BOM", 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PoSyntaxError(path, "not UTF-8: catalogues must be UTF-8 (convert with "
                                  "'msgconv --to-code=UTF-8')", line) from None
    entries = _parse(text.split("\n"), path)
    _header_charset(entries, path)
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        key = (entry.context, entry.msgid)
        if key in seen:
            raise PoSyntaxError(path, f"duplicate message '{first_words(key[1])}' at lines {seen[key]} and "
                                      f"{entry.line}: keep one", entry.line)
        seen[key] = entry.line
        _newlines(entry, path)
        if len(entry.msgstr) > MAX_MESSAGE_CHARS:
            raise PoSyntaxError(path, f"a translation of {len(entry.msgstr):,} characters: a message is at most "
                                      f"{MAX_MESSAGE_CHARS:,} (the English paragraph it translates is too)", entry.line)


def _parse(lines: list[str], path: str) -> list[_Entry]:
    entries: list[_Entry] = []
    entry: _Entry | None = None
    state = "start"  # start, ctx, id, plural, str
    part = ""  # which field a continuation string belongs to
    previous_kind = {"#|": "start", "#~": "start"}  # the other streams: only their line syntax is checked
    pending_fuzzy = False

    def close(number: int) -> None:
        nonlocal entry, state
        if entry is not None and state in ("ctx", "id", "plural"):
            raise PoSyntaxError(path, f"message at line {entry.line} has no msgstr", number)
        if entry is not None and state == "str":
            entries.append(entry)
        entry, state = None, "start"

    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r").strip()
        if not line:
            continue
        if line.startswith("#"):
            stream = line[:2]
            if stream in previous_kind:
                rest = line[2:].lstrip()
                if stream == "#~" and rest.startswith("|"):
                    rest = rest[1:].lstrip()
                previous_kind[stream] = _stream_line(rest, previous_kind[stream], path, number)
                continue
            if state in ("ctx", "id", "plural") and entry is not None:
                raise PoSyntaxError(path, f"message at line {entry.line} has no msgstr (a comment cannot stand "
                                          "between msgid and msgstr)", number)
            if state == "str":
                close(number)
            if line.startswith("#,") and "fuzzy" in (f.strip() for f in line[2:].split(",")):
                pending_fuzzy = True
            state = "comment" if state in ("start", "comment") else state
            continue
        if line.startswith('"'):
            if entry is None or state not in ("ctx", "id", "plural", "str") or not part:
                raise PoSyntaxError(path, "a continuation string must follow msgid, msgstr or another string",
                                    number)
            entry.parts.setdefault(part, []).extend(strings(line, path, number))
            continue
        match = _KEYWORD_RE.match(line)
        if not match:
            word = line.split()[0][:30]
            raise PoSyntaxError(path, f"'{word}' is not PO syntax: a line must start with msgid, msgstr, a "
                                      "double quote or #", number)
        keyword, rest = match.groups()
        values = strings(rest, path, number)
        if keyword in ("msgctxt", "msgid"):
            if state in ("ctx", "id", "plural") and not (keyword == "msgid" and state == "ctx"):
                close(number)
            if state == "str":
                close(number)
            if keyword == "msgctxt" or entry is None:
                entry = _Entry(number, fuzzy=pending_fuzzy)
                pending_fuzzy = False
            state = "ctx" if keyword == "msgctxt" else "id"
        elif keyword == "msgid_plural":
            if state != "id" or entry is None:
                raise PoSyntaxError(path, "msgid_plural must follow a msgid", number)
            state = "plural"
        elif keyword == "msgstr":
            if state != "id" or entry is None:
                raise PoSyntaxError(path, "msgstr must follow a msgid" + (" (this message has a plural: use "
                                          "msgstr[0], msgstr[1] ...)" if state == "plural" else ""), number)
            state = "str"
        else:  # msgstr[N]
            if state not in ("plural", "str") or entry is None or "msgid_plural" not in entry.parts:
                raise PoSyntaxError(path, f"{keyword} must follow a msgid_plural", number)
            state = "str"
        part = keyword
        assert entry is not None
        entry.parts.setdefault(part, []).extend(values)
    close(len(lines))
    return entries


def _stream_line(rest: str, last: str, path: str, number: int) -> str:
    """Check one ``#|`` or ``#~`` line; returns the kind of line it was."""
    if not rest:
        return last
    if rest.startswith('"'):
        if last != "string":
            raise PoSyntaxError(path, "a continuation string must follow msgid, msgstr or another string", number)
        strings(rest, path, number)
        return "string"
    match = _KEYWORD_RE.match(rest)
    if not match:
        raise PoSyntaxError(path, f"'{rest.split()[0][:30]}' is not PO syntax in a #| or #~ line", number)
    strings(match.group(2), path, number)
    return "string"


def _header_charset(entries: list[_Entry], path: str) -> None:
    header = next((e for e in entries if not e.msgid and e.context is None), None)
    if header is None:
        return
    # One reader takes a field's first value and Babel its last: a field given twice is refused outright.
    named: dict[str, str] = {}
    for field_line in header.msgstr.split("\n"):
        name = field_line.split(":", 1)[0].strip() if ":" in field_line else ""
        if name and name.lower() in named:
            raise PoSyntaxError(path, f"the header gives {name} twice: keep one", header.line)
        if name:
            named[name.lower()] = name
    plural_forms = next((line.split(":", 1)[1] for line in header.msgstr.split("\n")
                         if line.split(":", 1)[0].strip().lower() == "plural-forms"), None)
    if plural_forms is not None:
        try:
            check_plural_forms(plural_forms)
        except PluralError as exc:
            raise PoSyntaxError(path, str(exc), header.line) from None
    match = re.search(r"charset=([^\s;\\]+)", header.msgstr)
    if match and match.group(1).upper().replace("_", "-") not in ("UTF-8", "UTF8", "CHARSET"):
        raise PoSyntaxError(path, f"the header says charset={match.group(1)}: catalogues must be UTF-8 (convert "
                                  "with 'msgconv --to-code=UTF-8' and set charset=UTF-8)", header.line)


def _newlines(entry: _Entry, path: str) -> None:
    msgid, msgstr = entry.msgid, entry.msgstr
    if not msgid or not msgstr or entry.fuzzy:
        return
    for where, test in (("begin", str.startswith), ("end", str.endswith)):
        if test(msgid, "\n") != test(msgstr, "\n"):
            raise PoSyntaxError(path, f"msgid and msgstr of '{first_words(msgid)}' do not both {where} with a "
                                      "line break (\\n)", entry.line)
