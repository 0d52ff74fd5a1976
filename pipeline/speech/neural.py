"""The offline neural voice (``--tts neural``): hibari, a small distillation of Kokoro-82M, on the CPU.

Why hibari (figures in bench/README.md): Apache-2.0, one 14 MB wheel from PyPI with an
American voice inside it and British spelling-to-sound rules, about 70 times real time on
one core, 1 s to start.  Piper (``piper-tts``) is GPL-3.0, about 15 times real time with
a medium voice, and its voices are 60 MB files.

Voices are ONNX files.  One (``heart``, American English) is in the package; the others,
British ones included, are 8 MB files the team copies once into the voices folder
(``voices/`` in the working folder, or the folder named by ``LEAFLET_VOICES``).  A file
is used only when its SHA-256 is the one hibari publishes for it.  Nothing is ever
downloaded: the pipeline passes hibari the file itself.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.speech.engines import EngineUnavailable, LanguageUnsupported, Pcm

VOICES_ENV = "LEAFLET_VOICES"
log = logging.getLogger("pipeline")


@dataclass(frozen=True, slots=True)
class Voice:
    """An installed neural voice."""

    name: str
    """hibari's name for it: ``heart``, ``emma``, ``fable`` ..."""
    language: str
    """``en-GB`` or ``en-US``."""
    accent: str
    """``British`` or ``American``."""
    gender: str
    path: Path
    sha256: str
    where: str
    """``in the package`` or the voices folder."""

    @property
    def key(self) -> str:
        """What the speech cache is keyed by: the name and the model's hash."""
        return f"{self.name}@{self.sha256[:12]}"

    def describe(self) -> str:
        """``emma (British English, female)``."""
        return f"{self.name} ({self.accent} English, {self.gender})"


def voices_folder() -> Path:
    """Where the team puts voice files: ``$LEAFLET_VOICES``, else ``voices/`` here."""
    return Path(os.environ.get(VOICES_ENV) or "voices")


def _registry() -> dict[str, dict[str, Any]]:
    try:
        from hibari.voices import ASSETS, VOICES
    except ImportError:
        raise EngineUnavailable("the neural voice (hibari) is not installed; reinstall with 'make'") from None
    return {name: {**entry, "assets": ASSETS} for name, entry in VOICES.items()}


@functools.cache
def _sha256(path: Path, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def installed(report: bool = False) -> list[Voice]:
    """The voices that can be used here, the package's first.

    ``report``: log a warning for a file in the voices folder that has a voice's name but not
    its published content (a partial copy, another version), which is not used.
    """
    found = []
    folder = voices_folder()
    for name, entry in _registry().items():
        path = Path(entry["assets"]) / entry["file"] if entry.get("bundled") else folder / entry["file"]
        if not path.is_file():
            continue
        stat = path.stat()
        digest = _sha256(path.resolve(), stat.st_size, stat.st_mtime)
        if digest != entry["sha256"]:
            if report:
                log.warning("%s: not the published %s voice (SHA-256 %s..., expected %s...): not used", path, name,
                            digest[:12], entry["sha256"][:12])
            continue
        found.append(Voice(name, entry["language"], entry["accent"], entry["gender"], path, digest,
                           "in the package" if entry.get("bundled") else str(folder)))
    return found


def choose(locale: str, voices: list[Voice] | None = None) -> Voice:
    """The voice for ``locale``: one of its accent if installed (British for ``en_GB``), else another
    English voice; raises :class:`LanguageUnsupported` for a language with no neural voice."""
    language = locale.replace("-", "_").split("_")[0].lower()
    voices = installed() if voices is None else voices
    if language != "en" or not voices:
        raise LanguageUnsupported(f"no neural voice for {locale!r}: the neural voices are English")
    region = locale.replace("-", "_").split("_")[1].upper() if "_" in locale.replace("-", "_") else "GB"
    wanted = "en-US" if region == "US" else "en-GB"
    return next((v for v in voices if v.language == wanted), voices[0])


def accent_note(locale: str, voice: Voice) -> str | None:
    """One line when ``locale`` is read in another accent than its own, else ``None``."""
    wanted = "en-US" if locale.replace("-", "_").upper().endswith("_US") else "en-GB"
    if voice.language == wanted:
        return None
    accent = "British" if wanted == "en-GB" else "American"
    return (f"no {accent} English neural voice installed: {locale} is read by {voice.describe()}; "
            f"see README 'A natural voice offline' to add one")


class Neural:
    """hibari through its Python API, one ONNX session per voice and process, one thread each
    (the build runs one process per core)."""

    name = "neural"
    rate = 24000
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._models: dict[str, Any] = {}
        self._voices = {voice.key: voice for voice in installed(report=True)}
        if not self._voices:
            raise EngineUnavailable("no neural voice is installed; reinstall with 'make'")

    @property
    def version(self) -> str:
        """``hibari 0.2.1``."""
        from importlib.metadata import version

        return f"hibari {version('hibari-tts')}"

    def voice(self, locale: str) -> str:
        """The key (name and model hash) of the voice for ``locale``."""
        return choose(locale, list(self._voices.values())).key

    def describe(self, voice: str, locale: str) -> str:
        """The voice as the manifest names it, with a note when its accent is not the leaflet's."""
        chosen = self._voices[voice]
        note = accent_note(locale, chosen)
        return chosen.describe() + (f"; {note.split(':')[0]}" if note else "")

    def synthesise(self, text: str, voice: str) -> Pcm:
        """Speak ``text`` (already normalised: numbers as words) at 24 kHz."""
        import numpy as np

        with self._lock:
            model = self._models.get(voice)
            if model is None:
                from hibari import Hibari

                chosen = self._voices[voice]
                model = self._models[voice] = Hibari(voice=chosen.name, model=str(chosen.path), threads=1)
            sound = model(text, seed=0)  # seed: the same text gives the same sound
        samples = np.clip(np.asarray(sound, dtype=np.float32) * 32767.0, -32768, 32767).astype("<i2")
        return Pcm(samples.tobytes(), int(model.sample_rate))
