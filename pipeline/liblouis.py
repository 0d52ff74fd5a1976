"""liblouis, the braille translator screen readers and DAISY Pipeline use: the only module that calls it.

liblouis is not on PyPI: it comes from the system (Debian ``liblouis-bin liblouis-data
python3-louis``).  Its Python binding is one ctypes file, so it is loaded from where the
system put it even when the pipeline runs in a virtual environment that cannot see the
system's packages.

Text goes in as Unicode and comes out as Unicode braille cells (U+2800 to U+28FF), with
the index of the input character each cell came from, so the page layout can keep a
phone number whole.  A character the table cannot translate comes out as liblouis's
8-dot escape (``'\\x0144'``); :func:`translate` never returns those: such words are
translated with uncontracted English braille, then without accents, then as ``?``, and
each is reported.
"""

from __future__ import annotations

import functools
import glob
import importlib.util
import logging
import os
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

PACKAGES = "liblouis-bin liblouis-data python3-louis"
"""The Debian packages that provide liblouis, its tables and its Python binding."""

FALLBACK_TABLE = "en-ueb-g1.ctb"
"""For words in another script than the leaflet's table knows (``www.nhs.uk`` in Urdu)."""

BOLD = 4
ITALIC = 1
"""liblouis typeform bits (``louis.bold``, ``louis.italic``)."""

_PREFERRED: dict[str, tuple[str, ...]] = {
    # The braille codes readers in the UK are taught, where liblouis's own metadata is silent
    # (Pl-Pl-g1.utb and cy-cy-g2.ctb carry none) or would pick a computer (8-dot) table.
    "en": ("en-ueb-g2.ctb",),
    "cy": ("cy-cy-g2.ctb", "cy-cy-g1.utb"),
    "pl": ("Pl-Pl-g1.utb",),
}

_BINDING_PLACES = (
    "/usr/lib/python3/dist-packages/louis/__init__.py",
    "/usr/local/lib/python3/dist-packages/louis/__init__.py",
    "/usr/lib/python3*/site-packages/louis/__init__.py",
)


def _load() -> ModuleType | None:
    try:
        import louis  # type: ignore[import-not-found]  # installed into this Python by the user

        return louis  # type: ignore[no-any-return]
    except ImportError:
        pass
    for pattern in _BINDING_PLACES:
        for place in sorted(glob.glob(pattern)):
            spec = importlib.util.spec_from_file_location("louis", place)
            if spec is None or spec.loader is None:
                continue
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
                module.version()
            except (OSError, AttributeError, ImportError):  # the binding without the library
                continue
            sys.modules.setdefault("louis", module)
            return module
    return None


@functools.cache
def _louis() -> ModuleType | None:
    return _load()


def missing() -> str | None:
    """``None`` when liblouis can be used here, else one sentence saying how to install it."""
    louis = _louis()
    if louis is None:
        return f"liblouis is not installed on this computer (install it with: sudo apt-get install {PACKAGES})"
    if not _tables_dir():
        return f"liblouis has no braille tables here (install them with: sudo apt-get install {PACKAGES})"
    return None


def version() -> str:
    """``liblouis 3.24.0``."""
    louis = _louis()
    return f"liblouis {louis.version()}" if louis else "liblouis (not installed)"


@functools.cache
def _tables_dir() -> Path | None:
    for place in (*os.environ.get("LOUIS_TABLEPATH", "").split(","), "/usr/share/liblouis/tables",
                  "/usr/local/share/liblouis/tables"):
        if place and (Path(place) / FALLBACK_TABLE).is_file():
            return Path(place)
    return None


def _metadata(path: Path) -> dict[str, str]:
    """A table's ``#+key:value`` lines (liblouis's table metadata), read from its opening comments."""
    found: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for n, line in enumerate(handle):
                if line.startswith("#+"):
                    key, _, value = line[2:].partition(":")
                    found[key.strip().lower()] = value.strip()
                elif n > 80:
                    break
    except OSError:
        pass
    return found


@functools.cache
def table_for(locale: str) -> str | None:
    """The literary (6-dot) braille table liblouis has for ``locale``, contracted where it can, or ``None``."""
    folder = _tables_dir()
    if folder is None:
        return None
    language = locale.replace("-", "_").split("_")[0].lower()
    for name in _PREFERRED.get(language, ()):
        if (folder / name).is_file():
            return name
    ranked: list[tuple[int, str]] = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".ctb", ".utb", ".tbl"}:
            continue
        meta = _metadata(path)
        if meta.get("language", "").split("-")[0].lower() != language or meta.get("type") != "literary":
            continue
        if meta.get("dots") == "8" or meta.get("direction") == "backward":
            continue
        ranked.append(({"full": 0, "partial": 1, "no": 2}.get(meta.get("contraction", ""), 3), path.name))
    return min(ranked)[1] if ranked else None


@dataclass(frozen=True, slots=True)
class Braille:
    """Translated text: Unicode braille cells and, for each cell, the index of the character it came from."""

    cells: str
    source: tuple[int, ...]


def _raw(text: str, table: str, typeform: list[int] | None) -> tuple[str, list[int]]:
    louis = _louis()
    assert louis is not None
    mode = louis.dotsIO | louis.ucBrl
    braille, in_pos, _, _ = louis.translate(["unicode.dis", table], text, typeform=typeform, mode=mode)
    return braille, list(in_pos)


def _unknown(cells: str) -> bool:
    return any(ord(c) & 0xC0 for c in cells)  # dots 7 and 8: liblouis's escape for a character it lacks


@functools.lru_cache(maxsize=8192)
def _knows(table: str, char: str) -> bool:
    return not _unknown(_raw(char, table, None)[0])


def translate(text: str, table: str, typeform: list[int] | None = None, where: str = "") -> Braille:
    """``text`` in braille with ``table``; see the module docstring for characters it lacks.

    ``typeform`` gives each character's emphasis (:data:`BOLD`, :data:`ITALIC`);
    ``where`` names the text in warnings.  Give NFC-normalised text: accents are looked up
    as single characters.
    """
    typeform = list(typeform) if typeform is not None else [0] * len(text)
    if len(typeform) != len(text):
        raise ValueError("typeform must give one value per character")
    cells: list[str] = []
    source: list[int] = []
    for start, end, usable in _runs(text, table, where):
        piece, origin = _readable(text, start, end) if usable == FALLBACK_TABLE else (
            text[start:end], list(range(start, end)))
        braille, in_pos = _raw(piece, usable, [typeform[i] for i in origin])
        cells.append(braille)
        source.extend(origin[min(p, len(origin) - 1)] for p in in_pos)
    return Braille("".join(cells), tuple(source))


def _readable(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """``text[start:end]`` with what no table has replaced (see :func:`_stand_in`), and where each
    character came from."""
    out: list[str] = []
    origin: list[int] = []
    for i in range(start, end):
        char = text[i]
        if not (char.isspace() or _knows(FALLBACK_TABLE, char)):
            char = _stand_in(char)
        out.append(char)
        origin.extend([i] * len(char))
    return "".join(out), origin


def _stand_in(char: str) -> str:
    """What to write for a character no table has: the letter without its accent, else ``?``."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare if bare and all(_knows(FALLBACK_TABLE, c) for c in bare) else "?"


def _runs(text: str, table: str, where: str) -> list[tuple[int, int, str]]:
    """Split ``text`` into (start, end, table) runs: what ``table`` knows, and what only the fallback knows.

    Spaces, digits and punctuation ``table`` knows stay in the run they are in, so ``CT-اسکین`` in
    Urdu is the English ``CT-`` and the Urdu rest, and a letter ``table`` knows is always its own.
    """
    runs: list[tuple[int, int, str]] = []
    lacking: set[str] = set()
    for i, char in enumerate(text):
        own = char.isspace() or _knows(table, char)
        if own and not char.isalpha() and runs:
            usable = runs[-1][2]  # spaces, digits and punctuation stay in the run they are in
        elif own:
            usable = table
        else:
            usable = FALLBACK_TABLE
            if not _knows(FALLBACK_TABLE, char):
                lacking.add(char)
        if runs and runs[-1][2] == usable:
            runs[-1] = (runs[-1][0], i + 1, usable)
        else:
            runs.append((i, i + 1, usable))
    if lacking:
        written = ", ".join(f"{c!r} (U+{ord(c):04X}) as {_stand_in(c)!r}" for c in sorted(lacking))
        log.warning("%sbraille: no braille table here has %s: written %s", f"{where}: " if where else "",
                    "this character" if len(lacking) == 1 else "these characters", written)
    return runs


def back_translate(cells: str, table: str) -> str:
    """Braille cells back to text with ``table`` (for checking what a reader would get)."""
    louis = _louis()
    assert louis is not None
    result: str = louis.backTranslateString(["unicode.dis", table], cells)
    return result
