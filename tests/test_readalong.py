"""The read-along EPUB: every element heard once, in reading order, clips taken from the synthesis.

The books are built as ``make`` builds them, through the CLI with eSpeak NG, from an empty
speech cache, with an engine that records what it synthesises (in a file: the build's
workers are other processes).  The synchronisation is checked in English and Polish.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from mutagen.mp3 import MP3

import pipeline.speech.audio as audio
from pipeline.exporters.epub import epub_bytes, read_along
from pipeline.readers import read_leaflet
from pipeline.speech.engines import ENGINES, Espeak, Gtts, Pcm
from pipeline.speech.script import speech_script
from tests.conftest import EXAMPLE_BUILDS, FIXTURES, LEAFLETS, LOCALES

pytestmark = pytest.mark.slow  # make test SLOW=1, and CI, run it (README, 'Development')

XHTML = "{http://www.w3.org/1999/xhtml}"
SMIL = "{http://www.w3.org/ns/SMIL}"
OPF = "{http://www.idpf.org/2007/opf}"
RAD = "leaflets/RAD_0102-ct-guided-lung-biopsy.md"
RECORD = "LEAFLET_TEST_SYNTHESIS_RECORD"


class RecordingEspeak(Espeak):
    """eSpeak NG, writing each synthesis (text, voice, seconds) as a line of the file named in $RECORD."""

    def synthesise(self, text: str, voice: str) -> Pcm:
        pcm = super().synthesise(text, voice)
        with open(os.environ[RECORD], "a", encoding="utf-8") as record:
            record.write(json.dumps([text, voice, len(pcm.samples) // 2, pcm.rate]) + "\n")
        return pcm


@dataclass
class Built:
    books: dict[str, Path]
    """``RAD_0102-pl`` -> the book."""
    record: list[tuple[str, str, int, int]]
    """(text, voice, samples, rate) of every synthesis, in the order made."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Every example leaflet in every language, read along by eSpeak NG, as ``make`` builds them
    (in parallel), from an empty speech cache."""
    from pipeline.cli import main

    work = tmp_path_factory.mktemp("readalong")
    shutil.copytree(LEAFLETS, work / "leaflets")
    shutil.copytree(LOCALES, work / "locales")
    record = work / "record.jsonl"
    record.touch()
    old = Path.cwd()
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(ENGINES, "espeak", RecordingEspeak)
        patch.setenv(RECORD, str(record))
        audio.engine_for.cache_clear()
        os.chdir(work)
        try:
            assert main(["build", "--quiet", "-f", "epub", "--tts", "espeak"]) == 0
        finally:
            os.chdir(old)
            audio.engine_for.cache_clear()
    books = {path.stem: path for path in (work / "output").rglob("*.epub")}
    lines = [tuple(json.loads(line)) for line in record.read_text(encoding="utf-8").splitlines()]
    yield Built(books, lines)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def books(built: Built) -> dict[str, Path]:
    """The lung biopsy book in English and Polish."""
    return {locale: built.books[f"RAD_0102-{locale}"] for locale in ("en_GB", "pl")}


@dataclass
class Book:
    package: zipfile.ZipFile
    opf: etree._Element
    document: etree._Element
    pars: list[tuple[str, str, float, float]]
    """(element id, audio file, begin, end) in the overlay's order."""

    def text(self, element_id: str) -> str:
        [element] = self.document.xpath(f"//*[@id='{element_id}']")
        return " ".join("".join(element.itertext()).split())

    def duration(self, name: str) -> float:
        return float(MP3(io.BytesIO(self.package.read(f"EPUB/{name}"))).info.length)


def _read(data: bytes) -> Book:
    package = zipfile.ZipFile(io.BytesIO(data))
    opf = etree.fromstring(package.read("EPUB/package.opf"))
    smil = etree.fromstring(package.read("EPUB/leaflet.smil"))
    pars = []
    for par in smil.iter(f"{SMIL}par"):
        text, sound = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
        document, _, element_id = text.get("src").partition("#")
        assert document == "leaflet.xhtml"
        pars.append((element_id, sound.get("src"), _seconds(sound.get("clipBegin")), _seconds(sound.get("clipEnd"))))
    return Book(package, opf, etree.fromstring(package.read("EPUB/leaflet.xhtml")), pars)


def _seconds(clock: str) -> float:
    if clock.endswith("s"):
        return float(clock[:-1])
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


@pytest.mark.parametrize("locale", ["en_GB", "pl"])
def test_every_element_with_an_id_has_one_clip_in_reading_order(books: dict[str, Path], locale: str) -> None:
    book = _read(books[locale].read_bytes())
    body = book.document.find(f"{XHTML}body")
    ids = [element.get("id") for element in body.iter() if element.get("id")]
    spoken = [element_id for element_id, *_ in book.pars]
    assert Counter(spoken) == Counter(ids) and set(Counter(spoken).values()) == {1}, "exactly one par each"
    assert spoken == ids, "the spoken order is the reading order"
    assert len(ids) > 60
    # Every element that holds text is, or is inside, an element with an id (nothing silent).
    for element in body.iter(*(f"{XHTML}{tag}" for tag in ("h1", "h2", "h3", "p", "li", "td", "th"))):
        if "".join(element.itertext()).strip():
            assert element.get("id") or element.xpath(".//*[@id]") or element.xpath("ancestor::*[@id]"), (
                etree.tostring(element)[:100])


@pytest.mark.parametrize("locale", ["en_GB", "pl"])
def test_clips_follow_each_other_and_fill_their_mp3(books: dict[str, Path], locale: str) -> None:
    book = _read(books[locale].read_bytes())
    files = list(dict.fromkeys(name for _, name, _, _ in book.pars))
    assert len(files) > 5, "one audio file per section"
    total = 0.0
    for name in files:
        clips = [(begin, end) for _, file, begin, end in book.pars if file == name]
        length = book.duration(name)
        assert clips[0][0] == 0.0
        for (begin, end), (next_begin, _) in zip(clips, clips[1:], strict=False):
            assert begin < end == next_begin, (name, begin, end, next_begin)  # in order, no overlap, no gap
        assert clips[-1][1] <= length + 0.0005
        assert abs(sum(end - begin for begin, end in clips) - length) <= 0.1, (name, length)
        total += length
    durations = {meta.get("refines"): _seconds(meta.text) for meta in book.opf.iter(f"{OPF}meta")
                 if meta.get("property") == "media:duration"}
    assert abs(durations[None] - total) <= 0.1 and abs(durations["#mo1"] - total) <= 0.1
    item = book.opf.find(f".//{OPF}item[@href='leaflet.xhtml']")
    assert item.get("media-overlay") == "mo1"
    assert book.opf.find(f".//{OPF}item[@id='mo1']").get("media-type") == "application/smil+xml"
    active = [m.text for m in book.opf.iter(f"{OPF}meta") if m.get("property") == "media:active-class"]
    assert active == ["-epub-media-overlay-active"]
    assert ".-epub-media-overlay-active" in book.package.read("EPUB/style.css").decode()
    properties = [(m.get("property"), m.text) for m in book.opf.iter(f"{OPF}meta")]
    assert ("schema:accessMode", "auditory") in properties
    assert ("schema:accessibilityFeature", "synchronizedAudioText") in properties


def _decoded(mp3: bytes) -> tuple[np.ndarray, int]:
    """The MP3 as a player decodes it (ffmpeg, as in Chromium-based reading apps)."""
    done = subprocess.run(["ffmpeg", "-v", "error", "-i", "-", "-f", "s16le", "-ac", "1", "-"], input=mp3,
                          capture_output=True, check=True)
    rate = MP3(io.BytesIO(mp3)).info.sample_rate
    return np.abs(np.frombuffer(done.stdout, dtype="<i2").astype(np.int32)), rate


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed (apt-get install ffmpeg)")
@pytest.mark.parametrize("locale", ["en_GB", "pl"])
def test_each_clip_starts_where_its_speech_starts(books: dict[str, Path], locale: str) -> None:
    """Decoded as a player decodes it: silence before each boundary, the voice right after it."""
    book = _read(books[locale].read_bytes())
    onsets = []
    for name in dict.fromkeys(name for _, name, _, _ in book.pars):
        sound, rate = _decoded(book.package.read(f"EPUB/{name}"))
        assert abs(len(sound) / rate - book.duration(name)) < 0.01
        for _, file, begin, _ in book.pars:
            if file != name or begin == 0:
                continue
            at = round(begin * rate)
            assert sound[at - int(0.25 * rate): at - int(0.03 * rate)].max() < 300, (name, begin, "not a pause")
            loud = np.nonzero(sound[at - int(0.03 * rate): at + int(0.5 * rate)] > 1000)[0]
            assert loud.size, (name, begin, "no voice after the boundary")
            onsets.append(loud[0] / rate - 0.03)
    assert min(onsets) > -0.005 and max(onsets) < 0.15, (min(onsets), max(onsets))  # a soft "f" starts quietly
    # Many pieces start with a vowel or a fricative, heard at once; a plosive ("p", "t") starts
    # with a closure of 40-60 ms.  Without the encoder's delay allowed for, every onset is 50 ms later.
    assert float(np.percentile(onsets, 10)) < 0.015, "the MP3 encoder's delay is allowed for"


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]{4,}", text.lower()))  # words, not abbreviations a voice expands


@pytest.mark.parametrize("locale", ["en_GB", "pl"])
def test_each_clip_is_the_synthesis_of_its_own_element(built: Built, books: dict[str, Path], locale: str) -> None:
    """The clip of an element lasts exactly as long as what was synthesised for its words (plus a pause)."""
    book = _read(books[locale].read_bytes())
    assert {voice for _, voice, _, _ in built.record} == {"en", "pl", "cy", "ur"}
    assert len({(text, voice) for text, voice, _, _ in built.record}) == len(built.record), "nothing twice"
    english_notice = [text for text, voice, _, _ in built.record if voice == "en" and "not been checked" in text]
    assert len(english_notice) == 1, "the English notice of a translation is said in English, once for all"
    last_of_file = {name: max(i for i, par in enumerate(book.pars) if par[1] == name)
                    for _, name, _, _ in book.pars}
    for index, (element_id, name, begin, end) in enumerate(book.pars):
        if begin == 0 or index == last_of_file[name]:
            continue  # the first and last clip of a file also hold the encoder's delay and padding
        shown = _words(book.text(element_id))
        matches = [(samples / rate) for text, _, samples, rate in built.record
                   if shown and len(shown & _words(text)) >= 0.7 * len(shown)]
        assert any(abs(end - begin - (seconds + pause)) < 0.002 for seconds in matches
                   for pause in (audio.SENTENCE_PAUSE, audio.PARAGRAPH_PAUSE)), (element_id, book.text(element_id))


def test_the_recording_and_the_book_say_the_same_sentences() -> None:
    """Every sentence of the MP3's sections is a piece of the book: one synthesis serves both."""
    for source in [*sorted(LEAFLETS.iterdir()), FIXTURES / "all-blocks.md", FIXTURES / "speech.md"]:
        leaflet = read_leaflet(str(source))
        book = {piece.text for piece in read_along(leaflet)}
        sections = speech_script(leaflet)
        heard = {sentence for section in sections[1:-1] for line in section.paragraphs for sentence in line}
        assert heard <= book, (source.name, sorted(heard - book)[:3])


def test_audio_and_book_share_one_synthesis_and_a_no_op_build_makes_neither(
        run_cli_all, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    record = tmp_path / "record.jsonl"
    record.touch()
    monkeypatch.setenv(RECORD, str(record))
    monkeypatch.setitem(ENGINES, "espeak", RecordingEspeak)
    audio.engine_for.cache_clear()
    args = ("build", "leaflets/END_0031-sedation-fasting.md", "-f", "audio", "-f", "epub", "--tts", "espeak",
            "-l", "en_GB", "-l", "pl")
    first = run_cli_all(*args)
    assert first.code == 0, first.err
    made = record.read_text(encoding="utf-8").splitlines()
    pairs = [tuple(json.loads(line)[:2]) for line in made]
    assert len(pairs) == len(set(pairs)) > 40, "no piece synthesised twice"
    books = sorted(Path("output").rglob("*.epub"))
    assert len(books) == 2 and len(list(Path("output").rglob("END_0031-*.mp3"))) == 2
    manifest = json.loads(Path("output/END_0031/pl/manifest.json").read_text())["files"]
    assert manifest["END_0031-pl.epub"]["engine"].startswith("eSpeak NG") and "voice pl" in manifest[
        "END_0031-pl.epub"]["engine"]
    stamps = {p: p.stat().st_mtime_ns for p in Path("output").rglob("*") if p.is_file() and ".cache" not in p.parts}
    again = run_cli_all(*args)
    assert "0 file(s) built" in again.err, again.err
    assert record.read_text(encoding="utf-8").splitlines() == made, "nothing synthesised again"
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps, "nothing written again"
    forced = run_cli_all(*args, "--force")
    assert forced.code == 0
    pairs = [tuple(json.loads(line)[:2]) for line in record.read_text(encoding="utf-8").splitlines()[len(made):]]
    assert len(pairs) == len(set(pairs)) == len(made), "--force: every piece made again, once"
    audio.engine_for.cache_clear()


class SlowTone:
    """An engine that takes its time (so two processes ask for the same piece at once)."""

    name = "slow"
    version = "slow 1"

    def voice(self, locale: str) -> str:
        return "x"

    def synthesise(self, text: str, voice: str) -> Pcm:
        with open(os.environ[RECORD], "a", encoding="utf-8") as record:
            record.write(text + "\n")
        time.sleep(0.4)
        return Pcm(b"\1\0" * 11025, 22050)


def test_two_processes_needing_the_same_piece_synthesise_it_once(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "record.txt"
    record.touch()
    monkeypatch.setenv(RECORD, str(record))
    children = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 0
            try:
                audio.speech(SlowTone(), "Call 999.", "x", tmp_path / "cache")  # type: ignore[arg-type]
            except BaseException:
                code = 1
            os._exit(code)
        children.append(pid)
    assert all(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in children)
    assert record.read_text().splitlines() == ["Call 999."]


def test_a_language_without_a_voice_gets_a_book_without_audio_and_one_line(
        caplog: pytest.LogCaptureFixture) -> None:
    leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    somali = replace(leaflet, meta=replace(leaflet.meta, language="so"))
    data = epub_bytes(somali, engine="espeak")
    package = zipfile.ZipFile(io.BytesIO(data))
    assert not [n for n in package.namelist() if n.endswith((".smil", ".mp3"))]
    opf = package.read("EPUB/package.opf").decode()
    assert "media-overlay" not in opf and "auditory" not in opf and "synchronizedAudioText" not in opf
    lines = [r.getMessage() for r in caplog.records if "read-along" in r.getMessage()]
    assert lines == ["TST_0001 so: the EPUB is made without read-along audio: eSpeak NG has no voice for 'so'"] or (
        len(lines) == 1 and "no voice for 'so'" in lines[0]), lines
    assert epub_bytes(leaflet) == epub_bytes(leaflet, engine=None), "no engine asked: no audio, no line"


def test_the_online_voice_reads_along_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """gTTS (24 kHz MP3 from Google) through a stand-in transport: the same synchronisation holds."""
    tone = np.tile(np.concatenate([np.sin(np.arange(2400) / 3) * 8000, np.zeros(2400)]), 5).astype("<i2")
    answer = audio.encode(tone.tobytes(), 24000)
    payload = 'x jQ1olc","[\\"' + base64.b64encode(answer).decode() + '\\"]" y'

    class Session:
        def send(self, request: object, **kwargs: object) -> object:
            return type("Response", (), {"status_code": 200, "text": payload})()

    monkeypatch.setattr(audio, "reachable", lambda timeout=3: True)
    monkeypatch.setitem(ENGINES, "gtts", lambda: Gtts(session=Session(), sleep=lambda s: None, min_interval=0))
    audio.engine_for.cache_clear()
    leaflet = read_leaflet(str(FIXTURES / "speech.md"))
    book = _read(epub_bytes(leaflet, engine="gtts"))
    audio.engine_for.cache_clear()
    ids = [e.get("id") for e in book.document.find(f"{XHTML}body").iter() if e.get("id")]
    assert [p[0] for p in book.pars] == ids
    for name in dict.fromkeys(p[1] for p in book.pars):
        mp3 = MP3(io.BytesIO(book.package.read(f"EPUB/{name}")))
        assert mp3.info.sample_rate == 24000
        clips = [(b, e) for _, file, b, e in book.pars if file == name]
        assert abs(sum(e - b for b, e in clips) - mp3.info.length) <= 0.1
    assert "gTTS" in book.package.read("EPUB/package.opf").decode()


@pytest.mark.skipif(shutil.which("java") is None, reason="Java not installed (apt-get install default-jre-headless)")
def test_every_read_along_book_passes_epubcheck(built: Built, tmp_path: Path) -> None:
    from tests.test_epub import _epubcheck

    assert len(built.books) == EXAMPLE_BUILDS  # every example x en_GB, pl, cy, ur: what make writes
    for book in built.books.values():
        assert "EPUB/leaflet.smil" in zipfile.ZipFile(book).namelist(), book
    # The check can fail (in the same Java run): a book without its navigation document, and
    # one whose overlay names a sound file that is not in it.
    broken = []
    for name, left_out in (("no-nav", "EPUB/nav.xhtml"), ("no-sound", "EPUB/audio/02.mp3")):
        copy = tmp_path / f"{name}.epub"
        with zipfile.ZipFile(built.books["RAD_0102-pl"]) as source, zipfile.ZipFile(copy, "w") as target:
            for member in source.infolist():
                if member.filename != left_out:
                    target.writestr(member, source.read(member.filename))
        broken.append(copy)
    found = _epubcheck([*sorted(built.books.values()), *broken])
    assert sorted(found) == broken, found


def test_daisy_ace_passes_a_read_along_book(books: dict[str, Path], tmp_path: Path) -> None:
    from tests.test_epub import _ace, _ace_missing

    if _ace_missing():
        pytest.skip(_ace_missing() or "")
    copy = tmp_path / "pl.epub"
    copy.write_bytes(books["pl"].read_bytes())
    report = _ace(copy)
    assert report["earl:result"] == {"earl:outcome": "pass"}
