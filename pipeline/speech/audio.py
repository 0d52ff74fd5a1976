"""The audio format: a speech script, synthesised, assembled into navigable MP3s.

Files (names relative to the locale folder; ``{stem}`` is ``<CODE>-<locale>``):

* ``{stem}.mp3``: the whole leaflet, with ID3v2 chapters (CHAP + CTOC, one per section,
  titled with its heading) so podcast-style players can jump between sections;
* ``audio/NN-<heading>.mp3``: one file per section, numbered as tracks;
* ``audio/{stem}.m3u8``: a playlist of the section files;
* ``{stem}.speech.txt``: the speech script, for proof-reading.

Every file is tagged: title, artist (organisation), album (code and title), track,
language (ISO 639-2) and year of review.  Mono MP3 at the engine's rate (22.05 kHz for
eSpeak NG, 24 kHz for gTTS), 48 kbit/s.  A short pause follows each paragraph and a
longer one each section; each paragraph is brought to the same loudness.

Synthesised pieces are cached by a hash of (text, engine, voice, options, engine
version) under the cache folder, written atomically, so a rebuild after an edit
synthesises only what changed and parallel builds never see half a file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.exporters import Bundle, FormatUnavailable
from pipeline.model import Leaflet
from pipeline.output import make_folder
from pipeline.speech.engines import ENGINES, Engine, EngineUnavailable, LanguageUnsupported, Pcm, reachable
from pipeline.speech.script import script_text, slug, speech_script
from pipeline.workers import in_worker

SENTENCE_PAUSE = 0.35
"""Between the sentences of a paragraph (each is synthesised on its own): eSpeak NG's own pause is 0.38 s."""
PARAGRAPH_PAUSE = 0.6
SECTION_PAUSE = 1.5
BITRATE_KBPS = 48
MAX_CHAPTERS = 255
"""An ID3 table of contents (CTOC) counts its chapters in one byte."""

ISO_639_2 = {"en": "eng", "pl": "pol", "cy": "cym", "ur": "urd", "ro": "ron", "pa": "pan", "bn": "ben",
             "ar": "ara", "pt": "por", "es": "spa", "ne": "nep", "fa": "fas", "so": "som", "fr": "fra",
             "de": "deu", "it": "ita", "hi": "hin", "gu": "guj", "ta": "tam", "zh": "zho", "tr": "tur",
             "lt": "lit", "lv": "lav", "sk": "slk", "cs": "ces", "hu": "hun", "bg": "bul", "ru": "rus",
             "uk": "ukr", "ku": "kur", "ps": "pus", "ti": "tir"}

AUTO = ("neural", "espeak")
"""``--tts auto``: the best voice that works offline for each language, in order: the neural voice where it has
one (English), eSpeak NG for the rest.  Nothing is sent over the network unless ``--tts gtts`` is chosen."""


def engines_of(spec: str) -> list[str]:
    """The engines a ``--tts`` value names, in the order they are tried (``auto`` spelled out)."""
    names: list[str] = []
    for name in spec.split(","):
        names += [n for n in (AUTO if name == "auto" else (name,)) if n not in names]
    return names


@functools.cache
def engine_for(name: str) -> Engine:
    """The engine named ``name`` (``auto`` is spelled out by :func:`engines_of` first)."""
    if name not in ENGINES:
        raise FormatUnavailable(f"unknown speech engine {name!r}; use auto, gtts, espeak or neural")
    if name == "gtts" and not reachable():
        raise FormatUnavailable("gTTS could not be reached (no internet?); use --tts espeak for the offline voice")
    return ENGINES[name]()


def engine_for_language(spec: str, locale: str) -> tuple[Engine, str, str]:
    """The first engine of ``spec`` (``neural,espeak``: a choice in order) with a voice for ``locale``.

    Returns the engine, its voice, and how the manifest names them: engine, version and
    voice, and why an earlier engine was passed over.  Raises
    :class:`~pipeline.exporters.FormatUnavailable` when none has a voice.
    """
    passed: list[str] = []
    chosen = "auto" in spec.split(",")
    for name in engines_of(spec):
        try:
            tts = engine_for(name)
            voice = tts.voice(locale)
        except LanguageUnsupported as exc:
            if not chosen:  # with auto, no neural voice for Polish is the plan, not a fallback
                passed.append(str(exc))
            continue
        except (EngineUnavailable, FormatUnavailable) as exc:
            passed.append(str(exc))
            continue
        describe = getattr(tts, "describe", None)
        shown = describe(voice, locale) if describe else voice
        return tts, voice, f"{tts.version}, voice {shown}" + (f" (fallback: {passed[0]})" if passed else "")
    raise FormatUnavailable("; ".join(passed))


_CACHE_MAGIC = b"LPCM3"
_OLD_MAGIC = (b"LPCM2",)
_HEAD = len(_CACHE_MAGIC) + 4 + 32
MAX_LETTERS_PER_SECOND = 40
"""No voice speaks faster: eSpeak NG reads about 16 letters a second at its fastest, Urdu about 5."""
log = logging.getLogger("pipeline")


def spoken(engine: Engine, text: str, voice: str, locale: str, cache: Path | None,
           refresh: bool | float = False) -> Pcm:
    """``text`` spoken by ``voice`` (the voice for ``locale``), each part in another script by a
    voice that can say it (:func:`pipeline.speech.scripts.runs`).

    The foreign part is spoken by the same engine's voice for its language, else by eSpeak
    NG's; a part no voice here can say is left out, with a warning, rather than read by a
    voice that cannot say it.
    """
    from pipeline.speech.scripts import runs

    parts = runs(text, locale)
    if len(parts) == 1 and parts[0][1] is None:
        return speech(engine, text, voice, cache, refresh)
    sounds: list[Pcm] = []
    for part, language in parts:
        if language is None:
            sounds.append(speech(engine, part, voice, cache, refresh))
            continue
        found = _foreign_voice(engine, language)
        if found is None:
            log.warning("no voice here can say %r (%s): it is left out of the recording", part[:60], language)
            continue
        sounds.append(speech(found[0], part, found[1], cache, refresh))
    # At the rate of the leaflet's voice, which the rest of the file has.
    rate = getattr(engine, "rate", None) or (sounds[0].rate if sounds else 22050)
    gap = silence(0.08, rate)
    return Pcm(gap.join(_resampled(s, rate) for s in sounds), rate)


def _foreign_voice(engine: Engine, locale: str) -> tuple[Engine, str] | None:
    for candidate in (engine, "espeak"):
        try:
            tts = engine_for(candidate) if isinstance(candidate, str) else candidate
            return tts, tts.voice(locale)
        except (LanguageUnsupported, EngineUnavailable, FormatUnavailable):
            continue
    return None


def _resampled(pcm: Pcm, rate: int) -> bytes:
    """``pcm``'s samples at ``rate`` (linear interpolation: enough for a voice joined to another)."""
    if pcm.rate == rate or not pcm.samples:
        return pcm.samples
    import numpy as np

    samples = np.frombuffer(pcm.samples, dtype="<i2").astype(np.float64)
    count = round(len(samples) * rate / pcm.rate)
    positions = np.linspace(0, len(samples) - 1, count)
    return np.interp(positions, np.arange(len(samples)), samples).round().astype("<i2").tobytes()


def speech(engine: Engine, text: str, voice: str, cache: Path | None, refresh: bool | float = False) -> Pcm:
    """``text`` spoken, from the cache when a sound entry is there.

    ``refresh``: ``True`` synthesises again; a time (``build --force``) synthesises again what
    the cache held before that time, so two formats of one forced build share one synthesis.

    The cache is in ``output/``, so an entry is not believed because it says it is whole.
    Its name is the hash of what was spoken and how (text, engine, voice, version); it holds
    the engine's rate and a SHA-256 over that name, the rate and the samples, so an entry
    cut short, with a changed rate or copied from another piece fails even when the rest of
    its header was rewritten to match.  The sample count is the data's own; the rate must be
    the engine's; the duration must be one a voice could take for the text.  A failing entry
    is reported and synthesised again.  Entries are written to a temporary file, flushed to
    disk (fsync) and then renamed; while one process synthesises a piece, another that needs
    the same piece waits for it instead of making it a second time (a lock per cache folder).
    """
    key = _key(engine, text, voice)
    if cache is None:
        return engine.synthesise(text, voice)
    path = cache / key[:2] / f"{key}.pcm"
    expect = _Expected(key, getattr(engine, "rate", None), text)
    pcm = _usable(path, expect, refresh)
    if pcm is not None:
        return pcm
    make_folder(path.parent)
    with _locked(path.parent / ".lock"):
        pcm = _usable(path, expect, refresh, report=True)  # another process may have made it meanwhile
        if pcm is not None:
            return pcm
        pcm = engine.synthesise(text, voice)
        if _entry_fault(pcm, expect) is not None:
            return pcm  # not kept: reading it back would report it as damaged every time
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pcm.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                rate = pcm.rate.to_bytes(4, "little")
                fh.write(_CACHE_MAGIC + rate + _seal(key, rate, pcm.samples) + pcm.samples)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return pcm


def _key(engine: Engine, text: str, voice: str) -> str:
    """A piece's name in the cache: what was spoken and how."""
    return hashlib.sha256("\0".join([text, engine.name, voice, engine.version, "v1"]).encode()).hexdigest()


@dataclass(frozen=True)
class _Expected:
    """What a cache entry must agree with: its own name, the engine's rate, the text's length."""

    key: str
    rate: int | None
    text: str


def _seal(key: str, rate: bytes, samples: bytes) -> bytes:
    return hashlib.sha256(key.encode("ascii") + rate + samples).digest()


def _usable(path: Path, expect: _Expected, refresh: bool | float, report: bool = False) -> Pcm | None:
    """The entry at ``path`` if it may be used (whole, and not older than ``refresh``)."""
    try:
        made = path.stat().st_mtime
    except FileNotFoundError:
        return None
    if refresh is True or (refresh is not False and made < refresh):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data.startswith(_OLD_MAGIC):  # an earlier version's entry is simply replaced
        return None
    pcm, fault = _read_entry(data, expect)
    if fault is not None and report:
        log.warning("%s: a speech cache entry is damaged (%s): synthesised again", path, fault)
    return pcm


def _read_entry(data: bytes, expect: _Expected) -> tuple[Pcm | None, str | None]:
    """A cache entry's samples, or ``None`` and what is wrong with it."""
    if len(data) < _HEAD or not data.startswith(_CACHE_MAGIC):
        return None, "cut short" if _CACHE_MAGIC.startswith(data[:5]) else "not a cache entry"
    rate, samples = data[5:9], data[_HEAD:]
    if _seal(expect.key, rate, samples) != data[9:_HEAD]:
        return None, "its sound does not match its name: cut short, changed or copied"
    pcm = Pcm(samples, int.from_bytes(rate, "little"))
    fault = _entry_fault(pcm, expect)
    return (None, fault) if fault is not None else (pcm, None)


def _entry_fault(pcm: Pcm, expect: _Expected) -> str | None:
    """Why ``pcm`` cannot be the engine's speech of the text, or None."""
    if len(pcm.samples) % 2:
        return "an odd number of bytes"
    if expect.rate is not None and pcm.rate != expect.rate or not 8000 <= pcm.rate <= 96000:
        return f"a rate of {pcm.rate} Hz"
    letters = sum(ch.isalnum() for ch in expect.text)
    if pcm.seconds * MAX_LETTERS_PER_SECOND < letters:
        return f"{pcm.seconds:.2f} s for {letters} letters"
    if pcm.seconds > 5 + letters:
        return f"{pcm.seconds:.1f} s for {letters} letters"
    return None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) for the ``with`` block."""
    try:
        import fcntl
    except ImportError:  # not POSIX: builds run in one process there
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def silence(seconds: float, rate: int) -> bytes:
    return b"\0\0" * int(seconds * rate)


def level(samples: bytes, rate: int) -> bytes:
    """A paragraph's sound at :data:`~pipeline.speech.loudness.TARGET_LUFS`, its true peak under -1 dBTP."""
    from pipeline.speech.loudness import normalise

    return normalise(samples, rate)


def encoder(rate: int) -> Any:
    """A mono MP3 encoder at :data:`BITRATE_KBPS`; fed PCM in pieces, it gives the same stream as all at once."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(5)  # speech at 48 kbit/s: the faster setting is indistinguishable
    return encoder


def encode(samples: bytes, rate: int) -> bytes:
    """``samples`` as one MP3 stream."""
    mp3 = encoder(rate)
    return bytes(mp3.encode(samples) + mp3.flush())


def _tag(mp3: bytes, *, title: str, leaflet: Leaflet, track: tuple[int, int] | None,
         chapters: Iterable[tuple[str, int, int]] = ()) -> bytes:
    from mutagen.id3 import CHAP, CTOC, ID3, TALB, TDRC, TIT2, TLAN, TPE1, TRCK, CTOCFlags

    meta = leaflet.meta
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text=meta.organisation or meta.department or "NHS"))
    tags.add(TALB(encoding=3, text=f"{meta.shown_code} {meta.title}"))
    tags.add(TLAN(encoding=3, text=ISO_639_2.get(meta.language.split("_")[0], "und")))
    if meta.reviewed:
        tags.add(TDRC(encoding=3, text=str(meta.reviewed.year)))
    if track:
        tags.add(TRCK(encoding=3, text=f"{track[0]}/{track[1]}"))
    ids = []
    for number, (name, start, end) in enumerate(chapters, start=1):
        ids.append(f"chp{number}")
        tags.add(CHAP(element_id=f"chp{number}", start_time=start, end_time=end,
                      sub_frames=[TIT2(encoding=3, text=name)]))
    if ids:
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                      sub_frames=[TIT2(encoding=3, text=meta.title)]))
    buffer = io.BytesIO(mp3)
    tags.save(buffer, v2_version=4)
    _chapters_in_order(buffer)
    return buffer.getvalue()


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _chapters_in_order(buffer: io.BytesIO) -> None:
    """Rewrite the ID3v2.4 tag at the start of ``buffer`` with its chapter frames in reading order, the table of
    contents first (in place: the tag keeps its size, the sound is not copied).

    mutagen writes frames by size, so chapters came out as chp1, chp8, chp9, chp6 ...; a player
    that lists chapter frames as found (rather than by the table of contents) showed them shuffled.
    """
    view = buffer.getbuffer()
    try:
        if bytes(view[:3]) != b"ID3" or view[3] != 4:
            return
        size = _syncsafe(bytes(view[6:10]))
        body = bytes(view[10:10 + size])
    finally:
        view.release()
    frames: list[tuple[bytes, bytes]] = []
    pos = 0
    while pos + 10 <= len(body) and body[pos:pos + 4].strip(b"\x00"):
        length = _syncsafe(body[pos + 4:pos + 8])
        frames.append((body[pos:pos + 4], body[pos:pos + 10 + length]))
        pos += 10 + length

    def chapter(frame: bytes) -> int:
        element = frame[10:frame.index(b"\x00", 10)]
        return int(element[3:]) if element.startswith(b"chp") and element[3:].isdigit() else 0

    others = [f for kind, f in frames if kind not in (b"CHAP", b"CTOC")]
    tocs = [f for kind, f in frames if kind == b"CTOC"]
    chapters = sorted((f for kind, f in frames if kind == b"CHAP"), key=chapter)
    buffer.seek(10)
    buffer.write(b"".join(others + tocs + chapters) + body[pos:])


def export_audio(leaflet: Leaflet, engine: str = "auto", cache_dir: str | None = None,
                 refresh_cache: bool | float = False) -> Bundle:
    """Speech script, section MP3s, whole MP3 with chapters and playlist for ``leaflet``.

    Memory is bounded by one paragraph's sound, not the section's or the leaflet's: each
    paragraph is synthesised, levelled, fed to its section's encoder and the whole-leaflet
    encoder, and let go before the next.  ``refresh_cache``
    (``build --force``) synthesises every piece again instead of trusting the cache.
    """
    from tqdm import tqdm

    tts, voice, named = engine_for_language(engine, leaflet.meta.language)
    sections = speech_script(leaflet)
    # A bilingual leaflet's other language is spoken by its own voice where the engine has one.
    other_voices: dict[str | None, tuple[Engine, str]] = {}
    for locale in {line.locale for s in sections for line in s.paragraphs if line.locale}:
        try:
            other, other_voice, _ = engine_for_language(engine, locale)
            other_voices[locale] = (other, other_voice)
        except FormatUnavailable as exc:
            log.warning("%s: the %s paragraphs are spoken by the %s voice: %s", leaflet.meta.code, locale,
                        leaflet.meta.language, exc)
    cache = Path(cache_dir) if cache_dir else None
    files: dict[str, bytes] = {}
    playlist = ["#EXTM3U"]
    chapters = []
    whole: Any = None
    whole_mp3 = bytearray()
    position = 0
    rate = 22050
    total = len(sections)
    quiet = not sys.stderr.isatty() or bool(os.environ.get("CI")) or in_worker()
    todo = sum(len(line) for s in sections for line in s.paragraphs)
    with tqdm(total=todo, desc="speech", unit="sentence", disable=quiet, leave=False) as bar:
        for number, section in enumerate(sections, start=1):
            track: Any = None
            track_mp3 = bytearray()
            length = 0
            for index, line in enumerate(section.paragraphs):
                line_tts, line_voice = other_voices.get(line.locale, (tts, voice))
                sentences: list[Pcm] = []
                for sentence in line:
                    try:
                        piece = spoken(line_tts, sentence, line_voice, line.locale or leaflet.meta.language, cache,
                                       refresh_cache)
                        if (sentences and piece.rate != sentences[0].rate
                                or whole is not None and piece.rate != rate):
                            piece = spoken(tts, sentence, voice, leaflet.meta.language, cache,
                                           refresh_cache)  # one rate in one file
                        sentences.append(piece)
                    except (LanguageUnsupported, EngineUnavailable) as exc:
                        raise FormatUnavailable(str(exc)) from None
                    bar.update()
                if not sentences:
                    continue
                rate = sentences[0].rate
                # One paragraph's sound at a time: memory follows the longest paragraph (which the
                # readers bound), not the section, and each paragraph is brought to the same loudness.
                chunk = (silence(PARAGRAPH_PAUSE, rate) if index else b"") + level(
                    silence(SENTENCE_PAUSE, rate).join(p.samples for p in sentences), rate)
                del sentences
                if whole is None:
                    whole = encoder(rate)
                if track is None:
                    track = encoder(rate)
                track_mp3 += track.encode(chunk)
                whole_mp3 += whole.encode(chunk)
                length += len(chunk)
                del chunk
            tail = silence(PARAGRAPH_PAUSE, rate)
            if whole is None:
                whole = encoder(rate)
            if track is None:
                track = encoder(rate)
            track_mp3 += track.encode(tail) + track.flush()
            length += len(tail)
            name = f"{number:02d}-{slug(section.title)}.mp3"
            files[f"{{audio}}/{name}"] = _tag(bytes(track_mp3), title=section.title, leaflet=leaflet,
                                              track=(number, total))
            playlist += [f"#EXTINF:{round(length / 2 / rate)},{section.title}", name]
            gap = silence(SECTION_PAUSE - PARAGRAPH_PAUSE, rate) if number < total else b""
            start_ms = round(position / 2 / rate * 1000)
            whole_mp3 += whole.encode(tail + gap)
            position += length + len(gap)
            chapters.append((section.title, start_ms, round(position / 2 / rate * 1000)))
    if whole is not None:
        whole_mp3 += whole.flush()
    if len(chapters) > MAX_CHAPTERS:
        log.warning("%s: the whole-leaflet MP3 has no chapter marks: it has %d sections and an MP3's table of "
                    "contents holds at most %d; the section files are all there", leaflet.meta.code, len(chapters),
                    MAX_CHAPTERS)
        chapters = []
    files["{stem}.mp3"] = _tag(bytes(whole_mp3), title=leaflet.meta.title, leaflet=leaflet, track=None,
                               chapters=chapters)
    files["{audio}/{stem}.m3u8"] = ("\n".join(playlist) + "\n").encode("utf-8")
    files["{stem}.speech.txt"] = script_text(leaflet, sections).encode("utf-8")
    return Bundle(files, engine=named)


def choose_engine(engine: str | None = "auto", cache_dir: str | None = None,
                  refresh_cache: bool | float = False) -> None:
    """Decide the engine once, before a build's workers start (they inherit the choice)."""
    if engine is None:
        return
    loaded = {}
    for name in engines_of(engine):
        with contextlib.suppress(FormatUnavailable, EngineUnavailable):
            loaded[name] = engine_for(name)
    if "auto" in engine.split(","):
        english = "the neural voice" if "neural" in loaded else "eSpeak NG (the neural voice could not be loaded)"
        espeak = loaded.get("espeak")
        print(f"leaflet: audio: English in {english}, other languages in "
              f"{espeak.version if espeak else 'eSpeak NG'}; offline (--tts gtts for Google's online voices)",
              file=sys.stderr)
    if "neural" in engines_of(engine):
        _accent_notice()


@functools.cache
def _accent_notice() -> None:
    """Say once per build (not once per speaking format) when English is read in another accent."""
    from pipeline.speech.neural import accent_note, choose, installed

    with contextlib.suppress(EngineUnavailable, LanguageUnsupported):
        note = accent_note("en_GB", choose("en_GB", installed()))
        if note:
            print(f"leaflet: neural voice: {note}", file=sys.stderr)


def unavailable(locale: str, engine: str = "auto", cache_dir: str | None = None,
                refresh_cache: bool | float = False) -> str | None:
    """Why audio cannot be made in ``locale`` with ``engine``, without loading a voice (``None``: it can)."""
    from pipeline.speech.engines import voice_known

    names = engines_of(engine)
    if any(voice_known(name, locale) for name in names):
        return None
    shown = {"espeak": "eSpeak NG", "gtts": "gTTS", "neural": "neural"}
    return f"no {' or '.join(shown.get(name, name) for name in names)} voice for this language"
