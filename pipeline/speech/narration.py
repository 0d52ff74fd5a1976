"""Read-along narration: each piece a reading system highlights, spoken, and where it is in the sound.

A read-along book (EPUB 3 Media Overlays) pairs every heading, sentence, list item and
table cell with a clip of audio.  The pieces are synthesised one by one with the same
engine, voice and cache as the audio format (:func:`pipeline.speech.audio.speech`), so a
sentence both formats say is synthesised once.  Each part (one per section) is one MP3;
the clip times are counted in samples of what was synthesised, not estimated: a clip
runs from the start of its piece to the start of the next, so it holds the piece and
the pause after it, the clips of a part follow each other with no gap, and together
they last exactly as long as the MP3 does.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.exporters import FormatUnavailable
from pipeline.speech.engines import EngineUnavailable, LanguageUnsupported

ENCODER_DELAY = 576 + 529
"""Samples of silence before the first sound when an MP3 is decoded: LAME's encoder delay
(576) plus the MP3 decoder's own (529).  The files carry no gapless-playback header, so
players (Chromium's, ffmpeg's) play these samples; each clip boundary moves by as much,
and the first clip begins at 0 so that it covers them."""


@dataclass(frozen=True, slots=True)
class Piece:
    """One element to be spoken and highlighted."""

    id: str
    """The element's ``id`` in the content document."""
    text: str
    """What is said (normalised for listening)."""
    locale: str
    """The language it is said in (an English notice in a Polish book is said in English)."""
    pause: float
    """Seconds of silence after it, part of its clip."""
    part: int
    """Which audio file it is in (a section of the leaflet)."""


@dataclass(frozen=True, slots=True)
class Clip:
    """Where one piece is heard."""

    id: str
    audio: str
    """The audio file, e.g. ``audio/02.mp3``."""
    begin: float
    """Seconds from the start of the file."""
    end: float


@dataclass(frozen=True, slots=True)
class Narration:
    """The audio files of a read-along book and the clip of every piece, in reading order."""

    audio: dict[str, bytes]
    """File name -> MP3."""
    clips: tuple[Clip, ...]
    durations: dict[str, float]
    """File name -> seconds, as a player measures it (whole MP3 frames)."""
    engine: str
    """Engine and voice, for the manifest."""


def narrate(pieces: Sequence[Piece], locale: str, *, engine: str, cache_dir: str | None = None,
            refresh_cache: bool | float = False) -> Narration:
    """Speak ``pieces`` (in reading order) into one MP3 per part, with each piece's clip.

    The engine is the one the audio format uses for ``locale`` (the first of ``engine``'s
    choices with a voice for it), so the book and the MP3 share their synthesis.  Raises
    :class:`~pipeline.exporters.FormatUnavailable` when no engine has a voice for
    ``locale``, or the chosen one has none for a piece's language.
    """
    from pipeline.speech.audio import encode, engine_for_language, level, silence, spoken

    tts, voice, named = engine_for_language(engine, locale)
    try:
        voices = {piece.locale: tts.voice(piece.locale) for piece in pieces} | {locale: voice}
    except (LanguageUnsupported, EngineUnavailable) as exc:
        raise FormatUnavailable(str(exc)) from None
    cache = Path(cache_dir) if cache_dir else None
    audio: dict[str, bytes] = {}
    durations: dict[str, float] = {}
    clips: list[Clip] = []
    parts = sorted({piece.part for piece in pieces})
    for number, part in enumerate(parts, start=1):
        name = f"audio/{number:02d}.mp3"
        chunks: list[bytes] = []
        starts: list[tuple[str, int]] = []  # (id, first sample)
        position = 0
        rate = 0
        for piece in (p for p in pieces if p.part == part):
            try:
                pcm = spoken(tts, piece.text, voices[piece.locale], piece.locale, cache, refresh_cache)
            except (LanguageUnsupported, EngineUnavailable) as exc:
                raise FormatUnavailable(str(exc)) from None
            if rate and pcm.rate != rate:
                raise FormatUnavailable(f"{tts.version} gave sound at {pcm.rate} and {rate} Hz in one section")
            rate = pcm.rate
            starts.append((piece.id, position))
            chunks += [pcm.samples, silence(piece.pause, rate)]
            position += (len(pcm.samples) + len(chunks[-1])) // 2
        mp3 = encode(level(b"".join(chunks), rate), rate)
        length = _length(mp3)
        audio[name], durations[name] = mp3, length
        bounds = [0.0, *((start + ENCODER_DELAY) / rate for _, start in starts[1:]), length]
        clips += [Clip(piece_id, name, round(begin, 3), round(end, 3))
                  for (piece_id, _), begin, end in zip(starts, bounds, bounds[1:], strict=False)]
    return Narration(audio, tuple(clips), durations, named)


def _length(mp3: bytes) -> float:
    """Seconds of sound in ``mp3`` as players decode it (whole frames), read with mutagen."""
    from mutagen.mp3 import MP3

    info = MP3(io.BytesIO(mp3)).info  # type: ignore[no-untyped-call]
    assert info is not None
    return float(info.length)
