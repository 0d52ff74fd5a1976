"""Text-to-speech engines behind one small interface.

* :class:`Espeak`: eSpeak NG, offline.  It is driven through ctypes from the
  ``espeakng-loader`` wheel, which ships libespeak-ng and its voice data, so it installs
  from PyPI with no root and works with no network (and in CI).
* :class:`Gtts`: Google Translate's voices through gTTS, which needs the internet.  gTTS
  builds the requests; this module sends them as a careful client: a timeout on every
  request, TLS verification on, retries with exponential back-off and jitter only on
  connection errors, 429 and 5xx, and a steady request rate.

An engine turns one piece of text into :class:`Pcm` (16-bit mono samples).
"""

from __future__ import annotations

import base64
import ctypes
import functools
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


class EngineUnavailable(RuntimeError):
    """The engine cannot be used here (not installed, or not reachable)."""


class LanguageUnsupported(RuntimeError):
    """The engine has no voice for the language."""


@dataclass(frozen=True, slots=True)
class Pcm:
    """Signed 16-bit little-endian mono samples."""

    samples: bytes
    rate: int

    @property
    def seconds(self) -> float:
        """Duration."""
        return len(self.samples) / 2 / self.rate


class Engine(Protocol):
    """What the audio exporter needs from a text-to-speech engine."""

    name: str

    @property
    def version(self) -> str:
        """Engine and version, for the cache key and the manifest."""
        ...

    def voice(self, locale: str) -> str:
        """The voice for ``locale``; raises :class:`LanguageUnsupported`."""
        ...

    def synthesise(self, text: str, voice: str) -> Pcm:
        """Speak ``text`` with ``voice``."""
        ...


# --- eSpeak NG -----------------------------------------------------------------

_ESPEAK_VOICES = {
    "en": "en", "pl": "pl", "cy": "cy", "ur": "ur", "pa": "pa", "bn": "bn", "ar": "ar", "ro": "ro",
    "pt": "pt", "es": "es", "ne": "ne", "fa": "fa", "ku": "ku", "fr": "fr", "de": "de", "it": "it",
    "hi": "hi", "gu": "gu", "ta": "ta", "zh": "cmn", "tr": "tr", "lt": "lt", "lv": "lv", "sk": "sk",
    "cs": "cs", "hu": "hu", "bg": "bg", "ru": "ru", "uk": "uk", "sq": "sq", "ti": "ti",
}
"""Locale language -> eSpeak NG voice ("en" is its British English).  eSpeak NG has no Somali."""


class _EspeakEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_void_p)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_EspeakEvent))


class Espeak:
    """eSpeak NG through ctypes (``espeakng-loader``); the Debian ``espeak-ng`` library also works."""

    name = "espeak"
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._lib, self.rate, self._version = _espeak_library()
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)
        self._lib.espeak_SetSynthCallback(self._callback)

    @property
    def version(self) -> str:
        """``eSpeak NG 1.52``."""
        return f"eSpeak NG {self._version}"

    def voice(self, locale: str) -> str:
        """The eSpeak NG voice for ``locale``."""
        lang = locale.replace("-", "_").split("_")[0].lower()
        if lang not in _ESPEAK_VOICES:
            raise LanguageUnsupported(f"eSpeak NG has no voice for {locale!r}")
        return _ESPEAK_VOICES[lang]

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def synthesise(self, text: str, voice: str) -> Pcm:
        """Speak ``text``: 16-bit mono at eSpeak NG's own rate (22050 Hz)."""
        data = text.encode("utf-8") + b"\0"
        with self._lock:
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise LanguageUnsupported(f"eSpeak NG could not load voice {voice!r}")
            self._lib.espeak_SetParameter(1, 155, 0)  # espeakRATE: a little slower than the default 175
            self._chunks = []
            # POS_CHARACTER = 1, espeakCHARS_UTF8 = 1
            result = self._lib.espeak_Synth(data, len(data), 0, 1, 0, 1, None, None)
            if result != 0:
                raise EngineUnavailable(f"eSpeak NG failed ({result})")
            self._lib.espeak_Synchronize()
            samples = b"".join(self._chunks)
        return Pcm(samples, self.rate)


@functools.cache
def _espeak_library() -> tuple[Any, int, str]:
    try:
        import espeakng_loader

        path, data = espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
        lib = ctypes.CDLL(path)
    except (ImportError, OSError) as exc:
        raise EngineUnavailable(f"eSpeak NG is not available: {exc}; reinstall with 'make'") from None
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                 ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    rate = lib.espeak_Initialize(2, 0, data.encode(), 0)  # AUDIO_OUTPUT_SYNCHRONOUS
    if rate <= 0:
        raise EngineUnavailable(f"eSpeak NG failed to start with data at {data}")
    version = (lib.espeak_Info(None) or b"").decode()
    return lib, rate, version


# --- gTTS ----------------------------------------------------------------------

_GTTS = {
    # locale language -> (gTTS lang, tld): a British English voice, European Portuguese.
    "en": ("en", "co.uk"), "pt": ("pt", "pt"), "pl": ("pl", "com"), "cy": ("cy", "com"), "ur": ("ur", "com"),
    "pa": ("pa", "com"), "bn": ("bn", "com"), "ar": ("ar", "com"), "ro": ("ro", "com"), "es": ("es", "es"),
    "ne": ("ne", "com"), "fr": ("fr", "fr"), "de": ("de", "de"), "it": ("it", "it"), "hi": ("hi", "co.in"),
    "gu": ("gu", "com"), "ta": ("ta", "com"), "zh": ("zh-CN", "com"), "tr": ("tr", "com"),
    "lt": ("lt", "com"), "lv": ("lv", "com"), "sk": ("sk", "com"), "cs": ("cs", "com"), "hu": ("hu", "com"),
    "bg": ("bg", "com"), "ru": ("ru", "com"), "uk": ("uk", "com"),
}
"""gTTS has no Somali, Farsi, Kurdish, Pashto or Tigrinya."""

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class Gtts:
    """Google Translate voices, sent with a timeout, retries and a steady rate; decoded to PCM."""

    name = "gtts"

    def __init__(self, timeout: float = 10, retries: int = 4, min_interval: float = 0.5,
                 session: Any = None, sleep: Callable[[float], None] = time.sleep) -> None:
        import requests

        self.timeout, self.retries, self.min_interval = timeout, retries, min_interval
        self.session = session or requests.Session()
        self._sleep = sleep
        self._last = 0.0

    @property
    def version(self) -> str:
        """``gTTS 2.5.4``."""
        from importlib.metadata import version

        return f"gTTS {version('gTTS')}"

    def voice(self, locale: str) -> str:
        """``en/co.uk``: gTTS language and Google domain."""
        lang = locale.replace("-", "_").split("_")[0].lower()
        if lang not in _GTTS:
            raise LanguageUnsupported(f"gTTS has no voice for {locale!r}")
        return "/".join(_GTTS[lang])

    def requests_for(self, text: str, voice: str) -> list[Any]:
        """gTTS's prepared requests for ``text``, built without sending anything."""
        from gtts import gTTS

        lang, tld = voice.split("/")
        return list(gTTS(text=text, lang=lang, tld=tld, lang_check=False)._prepare_requests())

    def synthesise(self, text: str, voice: str) -> Pcm:
        """Speak ``text``; the MP3 Google returns is decoded to PCM so pauses and loudness can be set."""
        mp3 = b"".join(self._send(request) for request in self.requests_for(text, voice))
        return decode_mp3(mp3)

    def _send(self, request: Any) -> bytes:
        import requests

        for attempt in range(self.retries + 1):
            wait = self.min_interval - (time.monotonic() - self._last)
            if wait > 0:
                self._sleep(wait)  # a steady request rate
            self._last = time.monotonic()
            try:
                response = self.session.send(request, timeout=self.timeout, verify=True)
            except (requests.ConnectionError, requests.Timeout) as exc:
                error: str = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    return _audio_from(response.text)
                if response.status_code not in RETRY_STATUSES:
                    raise EngineUnavailable(f"gTTS request refused: HTTP {response.status_code}")
                error = f"HTTP {response.status_code}"
            if attempt < self.retries:
                self._sleep(min(30.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.5))  # back-off with jitter
        raise EngineUnavailable(f"gTTS could not be reached after {self.retries + 1} attempts ({error})")


def _audio_from(body: str) -> bytes:
    """The MP3 bytes in a Google Translate batchexecute response."""
    chunks = [base64.b64decode(m.group(1)) for m in re.finditer(r'jQ1olc","\[\\"(.*?)\\"]', body)]
    if not chunks:
        raise EngineUnavailable("gTTS answer held no audio")
    return b"".join(chunks)


def decode_mp3(data: bytes) -> Pcm:
    """MP3 bytes as 16-bit mono PCM at their own rate (miniaudio, from PyPI)."""
    import miniaudio

    # At the file's own rate: miniaudio's default would resample everything to 44.1 kHz.
    rate = miniaudio.mp3_get_info(data).sample_rate
    decoded = miniaudio.decode(data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=rate)
    return Pcm(decoded.samples.tobytes(), decoded.sample_rate)


def reachable(timeout: float = 3) -> bool:
    """True when Google Translate answers: decides ``--tts auto`` once per build."""
    import requests

    try:
        requests.head("https://translate.google.com", timeout=timeout)
    except requests.RequestException:
        return False
    return True


def _neural() -> Engine:
    from pipeline.speech.neural import Neural

    return Neural()


ENGINES: dict[str, Callable[[], Engine]] = {"espeak": Espeak, "gtts": Gtts, "neural": _neural}
"""Engine name -> constructor."""


def voice_known(engine: str, locale: str) -> bool:
    """True when ``engine`` (``espeak``, ``gtts`` or ``neural``) has a voice for ``locale``'s language."""
    lang = locale.replace("-", "_").split("_")[0].lower()
    if engine == "neural":
        return lang == "en"  # the neural voices are English; one is always in the package
    return lang in (_ESPEAK_VOICES if engine == "espeak" else _GTTS if engine == "gtts" else ())
