"""A catalogue's ``Plural-Forms`` header, checked as GNU ``msgfmt -c`` checks it, without evaluating Python.

The expression is parsed with gettext's own grammar (``plural.y``): ``n``, unsigned
numbers, ``! * / % + - < > <= >= == != && || ?:`` and parentheses, nothing else (no
function call, no ``**``, no name but ``n``).  It is then evaluated, as ``msgfmt`` does, in
unsigned 64-bit arithmetic for n = 0 ... 1000: a division by zero or a value at or past
``nplurals`` is refused.  No language needs more than six plural forms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

MAX_FORMS = 6
_MASK = (1 << 64) - 1
_TOKEN_RE = re.compile(r"[ \t]*(?:(\d+)|(n)|(&&|\|\||==|!=|<=|>=|[-+*/%<>!?:()]))")
_MAX_LENGTH = 1000
_MAX_TOKENS = 200
_MAX_DEPTH = 30
"""Arabic's expression, the longest a language needs, has about 40 tokens and 6 levels of nesting."""

Node = Callable[[int], int]


class PluralError(ValueError):
    """The header cannot be used; the message says why in one sentence."""


def check_plural_forms(value: str) -> None:
    """Raise :class:`PluralError` for a ``Plural-Forms`` value ``msgfmt -c`` (or a patient leaflet) would refuse."""
    nplurals_match = re.search(r"nplurals[ \t]*=[ \t]*", value)
    if nplurals_match is None:
        raise PluralError("Plural-Forms has no nplurals=")
    digits = re.match(r"\d+", value[nplurals_match.end():])
    if digits is None:
        raise PluralError("Plural-Forms: nplurals must be a whole number")
    nplurals = int(digits.group(0))
    if not 1 <= nplurals <= MAX_FORMS:
        raise PluralError(f"Plural-Forms: nplurals={digits.group(0)}: a language has 1 to {MAX_FORMS} plural forms")
    plural_match = re.search(r"(?<![a-z])plural[ \t]*=", value)
    if plural_match is None:
        return  # msgfmt accepts this while no message has plural forms; none of a leaflet's has
    expression = value[plural_match.end():].split(";", 1)[0]
    largest = _largest(expression.strip())
    if largest >= 1 << 63:
        raise PluralError("Plural-Forms: the plural expression can give a negative value")
    if largest >= nplurals:
        raise PluralError(f"Plural-Forms: nplurals={nplurals} but the plural expression gives {largest}")


@functools.lru_cache(maxsize=64)
def _largest(expression: str) -> int:
    """The largest value ``expression`` takes for n = 0 ... 1000 (as gettext checks it)."""
    if len(expression) > _MAX_LENGTH:
        raise PluralError("Plural-Forms: the plural expression is too long")
    node = _Parser(expression).parse()
    try:
        return max(node(n) for n in range(1001))
    except ZeroDivisionError:
        raise PluralError("Plural-Forms: the plural expression can divide by zero") from None


class _Parser:
    """Recursive descent over gettext's grammar; precedence from lowest: ?: || && ==,!= <,>,<=,>= +,- *,/,% !"""

    _LEVELS: tuple[tuple[str, ...], ...] = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"),
                                            ("*", "/", "%"))

    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        pos = 0
        while pos < len(text.rstrip(" \t")):
            match = _TOKEN_RE.match(text, pos)
            if match is None:
                shown = text[pos:].strip()[:20]
                raise PluralError(f"Plural-Forms: the plural expression has '{shown}', which gettext does not allow "
                                  "(only n, numbers, ! * / % + - < > <= >= == != && || ?: and brackets)")
            self.tokens.append(match.group(0).strip())
            pos = match.end()
        if len(self.tokens) > _MAX_TOKENS:
            raise PluralError("Plural-Forms: the plural expression is too long")
        self.pos = 0
        self.depth = 0

    def parse(self) -> Node:
        if not self.tokens:
            raise PluralError("Plural-Forms: the plural expression is empty")
        node = self._conditional()
        if self.pos != len(self.tokens):
            raise PluralError(f"Plural-Forms: unexpected '{self.tokens[self.pos]}' in the plural expression")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, expected: str) -> None:
        if self._peek() != expected:
            found = self._peek()
            raise PluralError(f"Plural-Forms: the plural expression lacks '{expected}'"
                              + (f" before '{found}'" if found else " at its end"))
        self.pos += 1

    def _deeper(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise PluralError("Plural-Forms: the plural expression is nested too deeply")

    def _conditional(self) -> Node:
        self._deeper()
        test = self._binary(0)
        if self._peek() == "?":
            self.pos += 1
            yes = self._conditional()
            self._take(":")
            no = self._conditional()
            self.depth -= 1
            return lambda n: yes(n) if test(n) else no(n)
        self.depth -= 1
        return test

    def _binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self._unary()
        left = self._binary(level + 1)
        while self._peek() in self._LEVELS[level]:
            op = self.tokens[self.pos]
            self.pos += 1
            left = _combine(op, left, self._binary(level + 1))
        return left

    def _unary(self) -> Node:
        token = self._peek()
        if token == "!":
            self.pos += 1
            self._deeper()
            inner = self._unary()
            self.depth -= 1
            return lambda n: int(not inner(n))
        if token == "(":
            self.pos += 1
            inner = self._conditional()
            self._take(")")
            return inner
        if token == "n":
            self.pos += 1
            return lambda n: n
        if token is not None and token.isdigit():
            self.pos += 1
            value = int(token) & _MASK
            return lambda n: value
        raise PluralError("Plural-Forms: the plural expression " + (f"has '{token}' where a value belongs"
                                                                     if token else "ends too early"))


def _combine(op: str, left: Node, right: Node) -> Node:
    if op == "||":
        return lambda n: int(bool(left(n)) or bool(right(n)))
    if op == "&&":
        return lambda n: int(bool(left(n)) and bool(right(n)))
    arithmetic: dict[str, Callable[[int, int], int]] = {
        "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b), "<": lambda a, b: int(a < b),
        ">": lambda a, b: int(a > b), "<=": lambda a, b: int(a <= b), ">=": lambda a, b: int(a >= b),
        "+": lambda a, b: (a + b) & _MASK, "-": lambda a, b: (a - b) & _MASK, "*": lambda a, b: (a * b) & _MASK,
        "/": lambda a, b: a // b, "%": lambda a, b: a % b,
    }
    fn = arithmetic[op]
    return lambda n: fn(left(n), right(n))
