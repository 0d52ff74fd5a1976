"""The offline neural voice (hibari): selection and fallback, cache keys, tags, normalised text, no network."""

from __future__ import annotations

import io
import json
import re
import shutil
import socket
import zipfile
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

import pipeline.speech.audio as audio
from pipeline.speech import neural
from pipeline.speech.engines import ENGINES, LanguageUnsupported, Pcm

END = "leaflets/END_0031-sedation-fasting.md"


class Recording(neural.Neural):
    """The neural engine, remembering what it was asked to say (in this process)."""

    said: list[str] = []

    def synthesise(self, text: str, voice: str) -> Pcm:
        Recording.said.append(text)
        return super().synthesise(text, voice)


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to open a network connection fails (and is remembered)."""
    tried: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        tried.append(repr(args)[:80])
        raise OSError("network use is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return tried


@pytest.mark.slow
def test_english_is_spoken_offline_by_the_packaged_voice_and_other_languages_fall_back(
        run_cli_all, no_sockets: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "empty"))  # nothing hibari may have cached elsewhere
    monkeypatch.setenv("LEAFLET_VOICES", str(tmp_path / "voices"))
    audio.engine_for.cache_clear()
    result = run_cli_all("build", END, "-f", "audio", "-f", "epub", "--tts", "neural,espeak", "-l", "en_GB",
                         "-l", "pl", "--jobs", "2")  # the workers inherit the refused sockets
    audio.engine_for.cache_clear()
    assert result.code == 0, result.err
    assert not no_sockets, no_sockets
    english = json.loads(Path("output/END_0031/en_GB/manifest.json").read_text())["files"]["END_0031-en_GB.mp3"]
    assert english["engine"].startswith("hibari ") and "voice heart (American English, female)" in english["engine"]
    assert "no British English neural voice installed" in english["engine"], "the accent is in the manifest"
    polish = json.loads(Path("output/END_0031/pl/manifest.json").read_text())["files"]["END_0031-pl.mp3"]
    assert polish["engine"].startswith("eSpeak NG") and "fallback: no neural voice for 'pl'" in polish["engine"]
    # One line says the accent; the summary names each engine and the languages it spoke.
    assert result.err.count("no British English neural voice installed: en_GB is read by heart") == 1
    assert "spoken by eSpeak NG" in result.err and ": pl\n" in result.err
    assert "spoken by hibari" in result.err and ": en_GB\n" in result.err
    # The MP3 of the neural voice: its own rate, tags and chapters as with every engine.
    whole = Path("output/END_0031/en_GB/END_0031-en_GB.mp3").read_bytes()
    info = MP3(io.BytesIO(whole)).info
    assert info.sample_rate == 24000 and info.length > 60
    tags = ID3(io.BytesIO(whole))
    assert str(tags["TIT2"]) == "Fasting before sedation for your endoscopy" and str(tags["TLAN"]) == "eng"
    chapters = [str(c.sub_frames["TIT2"]) for c in sorted(tags.getall("CHAP"), key=lambda c: c.start_time)]
    assert chapters[0] == "Introduction" and "Why must I fast?" in chapters and len(chapters) >= 6
    tracks = sorted(Path("output/END_0031/en_GB/audio").glob("*.mp3"))
    assert len(tracks) == len(chapters) and str(ID3(tracks[1])["TRCK"]) == f"2/{len(tracks)}"


def test_only_neural_leaves_other_languages_without_audio_in_one_line(run_cli_all) -> None:  # type: ignore[no-untyped-def]
    audio.engine_for.cache_clear()
    result = run_cli_all("build", END, "-f", "audio", "--tts", "neural", "-l", "pl")
    audio.engine_for.cache_clear()
    assert "END_0031 pl: audio not made: no neural voice for 'pl': the neural voices are English" in result.err
    assert not list(Path("output").rglob("*.mp3"))


@pytest.mark.slow
def test_a_phone_number_reaches_the_voice_as_digits(run_cli_all, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """hibari alone reads "0118" as "one eighteen": it is given the words, digit by digit."""
    monkeypatch.setitem(ENGINES, "neural", Recording)
    Recording.said = []
    audio.engine_for.cache_clear()
    result = run_cli_all("build", END, "-f", "audio", "--tts", "neural", "-l", "en_GB", "--jobs", "1")
    audio.engine_for.cache_clear()
    assert result.code == 0, result.err
    said = "\n".join(Recording.said)
    assert "zero one one eight, four nine six, zero" in said
    # Only clock times stay in figures ("8:30"), which hibari's own normaliser reads as "eight thirty".
    assert not re.search(r"\d", re.sub(r"\b\d{1,2}:\d{2}\b", "", said)), re.findall(r".{20}\d.{20}", said)[:3]
    script = Path("output/END_0031/en_GB/END_0031-en_GB.speech.txt").read_text()
    assert "zero one one eight, four nine six" in script


def test_the_cache_key_names_the_voice_and_its_model(tmp_path: Path) -> None:
    engine = neural.Neural()
    [voice] = [v for v in neural.installed() if v.name == "heart"]
    assert engine.voice("en_GB") == voice.key and voice.key.startswith("heart@") and voice.sha256[:12] in voice.key
    first = audio.speech(engine, "Call us.", engine.voice("en_GB"), tmp_path)
    entries = list(tmp_path.rglob("*.pcm"))
    assert len(entries) == 1 and first.rate == 24000
    # The same text with another voice (or another model file) is another entry.

    class Other(neural.Neural):
        def voice(self, locale: str) -> str:
            return "heart@ffffffffffff"

        def synthesise(self, text: str, voice: str) -> Pcm:
            return Pcm(b"\0\0" * 24000, 24000)

    other = Other()
    audio.speech(other, "Call us.", other.voice("en_GB"), tmp_path)
    assert len(list(tmp_path.rglob("*.pcm"))) == 2


def _fake_british(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """A British voice "installed": the packaged model copied under emma's name, registered with its hash."""
    from hibari import voices

    [heart] = [v for v in neural.installed() if v.name == "heart"]
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(heart.path, folder / voices.VOICES["emma"]["file"])
    monkeypatch.setitem(voices.VOICES, "emma", {**voices.VOICES["emma"], "sha256": heart.sha256})
    monkeypatch.setenv("LEAFLET_VOICES", str(folder))


def test_a_british_voice_is_preferred_for_en_gb_when_installed(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    _fake_british(monkeypatch, tmp_path / "voices")
    found = {v.name: v for v in neural.installed()}
    assert found["emma"].accent == "British" and found["emma"].where == str(tmp_path / "voices")
    assert neural.choose("en_GB").name == "emma" and neural.accent_note("en_GB", found["emma"]) is None
    assert neural.choose("en_US").name == "heart"
    with pytest.raises(LanguageUnsupported, match="no neural voice for 'pl'"):
        neural.choose("pl")


def test_a_voice_file_that_is_not_the_published_one_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    from hibari import voices

    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / voices.VOICES["fable"]["file"]).write_bytes(b"half a download")
    monkeypatch.setenv("LEAFLET_VOICES", str(folder))
    assert "fable" not in {v.name for v in neural.installed(report=True)}
    assert "not the published fable voice" in caplog.text


def test_leaflet_voices_lists_language_and_accent(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LEAFLET_VOICES", str(tmp_path / "none"))
    plain = run_cli("voices")
    assert plain.code == 0
    assert "heart  en-US     American  female  in the package" in plain.out
    assert "no British English neural voice installed" in plain.out
    _fake_british(monkeypatch, tmp_path / "voices")
    listed = run_cli("voices")
    assert "emma   en-GB     British   female  " in listed.out and "no British" not in listed.out


def test_tts_takes_a_choice_in_order_and_refuses_unknown_engines(run_cli) -> None:  # type: ignore[no-untyped-def]
    bad = run_cli("build", END, "--tts", "neural,festival")
    assert bad.code == 2 and "give one of auto, gtts, espeak, neural" in bad.err


@pytest.mark.slow
def test_the_read_along_book_uses_the_neural_voice_with_its_clip_times(
        run_cli_all, no_sockets: list[str]) -> None:  # type: ignore[no-untyped-def]
    from tests.test_readalong import _read

    audio.engine_for.cache_clear()
    result = run_cli_all("build", END, "-f", "epub", "--tts", "neural,espeak", "-l", "en_GB", "--jobs", "1")
    audio.engine_for.cache_clear()
    assert result.code == 0, result.err
    data = Path("output/END_0031/en_GB/END_0031-en_GB.epub").read_bytes()
    book = _read(data)
    ids = [e.get("id") for e in book.document.iter() if e.get("id")]
    assert [p[0] for p in book.pars] == ids
    for name in dict.fromkeys(p[1] for p in book.pars):
        info = MP3(io.BytesIO(book.package.read(f"EPUB/{name}"))).info
        clips = [(b, e) for _, file, b, e in book.pars if file == name]
        assert info.sample_rate == 24000 and abs(sum(e - b for b, e in clips) - info.length) <= 0.1
    assert "hibari" in zipfile.ZipFile(io.BytesIO(data)).read("EPUB/package.opf").decode()
    assert not no_sockets
