"""Audio: what is spoken (golden), the MP3s a listener can navigate, engines, cache, careful gTTS client."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

import pipeline.speech.audio as audio
from pipeline.exporters import Bundle, FormatUnavailable
from pipeline.i18n.catalogues import read_catalog
from pipeline.i18n.translate import review, translate
from pipeline.model import Leaflet, Paragraph, Text, block_text
from pipeline.readers import read_leaflet
from pipeline.speech.engines import ENGINES, EngineUnavailable, Espeak, Gtts, Pcm
from pipeline.speech.normalise import normalise
from pipeline.speech.script import script_text, speech_script
from tests.conftest import FIXTURES, LEAFLETS, LOCALES

SPEECH = FIXTURES / "speech.md"
RAD = LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md"


def polish() -> Leaflet:
    leaflet = read_leaflet(str(RAD))
    po = LOCALES / "pl" / "LC_MESSAGES" / "RAD_0102.po"
    catalog = read_catalog(po, "pl")
    return translate(leaflet, catalog, "pl", review(leaflet, catalog, "pl", po))


# --- What is spoken ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["speech-fixture", "RAD_0102-en_GB", "RAD_0102-pl"])
def test_speech_script_golden(name: str, golden) -> None:  # type: ignore[no-untyped-def]
    leaflet = {"speech-fixture": lambda: read_leaflet(str(SPEECH)),
               "RAD_0102-en_GB": lambda: read_leaflet(str(RAD)), "RAD_0102-pl": polish}[name]()
    golden(f"{name}.speech.txt", script_text(leaflet, speech_script(leaflet)))


@pytest.mark.parametrize(("written", "spoken"), [
    ("Tel 0118 322 7991.", "telephone zero one one eight, three two two, seven nine nine one."),
    ("Open 8.30am-5pm", "Open 8:30 in the morning to five in the afternoon"),
    ("Monday-Friday", "Monday to Friday"),
    ("for 2-4 hours", "for two to four hours"),
    ("about 50% of people", "about fifty per cent of people"),
    ("1 in 200", "one in two hundred"),
    ("an MRI or CT scan, e.g. today", "an M R I or C T scan, for example today"),
    ("visit www.royalberkshire.nhs.uk", "visit royal berkshire dot n h s dot u k"),
    ("Call 999", "Call nine nine nine"),
    ("Reviewed: May 2026.", "Reviewed: May twenty twenty-six."),
])
def test_normalise_for_listening(written: str, spoken: str) -> None:
    assert normalise(written, "en_GB") == spoken


def test_numbers_in_the_listeners_language() -> None:
    assert normalise("tel. 0118 496 0123, 1 na 30 osób", "pl") == (
        "tel. zero jeden jeden osiem, cztery dziewięć sześć, zero jeden dwa trzy, jeden na trzydzieści osób")
    assert "un o bob deg ar hugain" in normalise("1 o bob 30 person", "cy")


def test_unchecked_translation_is_announced_in_the_listeners_language() -> None:
    intro = [" ".join(line) for line in speech_script(polish())[0].paragraphs]
    assert any("To tłumaczenie nie zostało sprawdzone" in p for p in intro)
    assert not any("has not been checked" in p for p in intro)


# --- The MP3 files -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    cache = tmp_path_factory.mktemp("cache")
    result = audio.export_audio(read_leaflet(str(SPEECH)), engine="espeak", cache_dir=str(cache))
    assert isinstance(result, Bundle)
    return result


def test_bundle_files(fixture_bundle: Bundle) -> None:
    names = sorted(fixture_bundle.files)
    assert names == ["{audio}/01-introduction.mp3", "{audio}/02-before-your-scan.mp3",
                     "{audio}/03-after-your-scan.mp3", "{audio}/04-contacting-us.mp3",
                     "{audio}/05-contacts-and-review-dates.mp3", "{audio}/{stem}.m3u8", "{stem}.mp3",
                     "{stem}.speech.txt"]
    playlist = fixture_bundle.files["{audio}/{stem}.m3u8"].decode().splitlines()
    assert playlist[0] == "#EXTM3U"
    assert [line for line in playlist if line.endswith(".mp3")] == [n.split("/")[1] for n in names[:5]]
    assert fixture_bundle.engine.startswith("eSpeak NG ") and fixture_bundle.engine.endswith("voice en")


def test_whole_mp3_tags_and_chapters(fixture_bundle: Bundle) -> None:
    data = fixture_bundle.files["{stem}.mp3"]
    info = MP3(io.BytesIO(data)).info
    assert info.channels == 1 and info.sample_rate in (22050, 24000) and 48000 <= info.bitrate <= 64000
    tags = ID3(io.BytesIO(data))
    assert str(tags["TIT2"]) == "Having an MRI scan"
    assert str(tags["TPE1"]) == "Example Hospitals NHS Trust"
    assert str(tags["TALB"]) == "MRI_0001 Having an MRI scan"
    assert str(tags["TLAN"]) == "eng" and str(tags["TDRC"]) == "2026"
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [
        "Introduction", "Before your scan", "After your scan", "Contacting us", "Contacts and review dates"]
    assert chapters[0].start_time == 0
    assert all(a.end_time == b.start_time for a, b in zip(chapters, chapters[1:], strict=False))
    assert abs(chapters[-1].end_time / 1000 - info.length) < 0.5
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == [c.element_id for c in chapters]


def test_section_tracks_are_numbered_and_level(fixture_bundle: Bundle) -> None:
    import numpy as np

    levels = []
    for number in range(1, 6):
        name = next(n for n in fixture_bundle.files if n.startswith(f"{{audio}}/{number:02d}-"))
        tags = ID3(io.BytesIO(fixture_bundle.files[name]))
        assert str(tags["TRCK"]) == f"{number}/5"
        from pipeline.speech.engines import decode_mp3

        pcm = np.frombuffer(decode_mp3(fixture_bundle.files[name]).samples, dtype="<i2").astype(float)
        voiced = pcm[np.abs(pcm) > 300]
        levels.append(float(np.sqrt(np.mean(voiced ** 2))))
    assert max(levels) / min(levels) < 1.5, f"sections at different loudness: {levels}"


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe not installed (apt-get install ffmpeg)")
def test_ffprobe_reads_chapters(fixture_bundle: Bundle, tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    path.write_bytes(fixture_bundle.files["{stem}.mp3"])
    done = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(path)],
                          capture_output=True, text=True, check=True)
    data = json.loads(done.stdout)
    assert len(data["chapters"]) == 5
    assert data["format"]["tags"]["title"] == "Having an MRI scan"


@pytest.mark.slow
def test_reference_recording(reference: Path, tmp_path: Path) -> None:
    bundle = audio.export_audio(read_leaflet(str(reference)), engine="espeak", cache_dir=str(tmp_path))
    assert isinstance(bundle, Bundle)
    whole = bundle.files["{stem}.mp3"]
    assert MP3(io.BytesIO(whole)).info.length > 180
    tags = ID3(io.BytesIO(whole))
    titles = {str(c.sub_frames["TIT2"]) for c in tags.getall("CHAP")}
    assert {"What is sacroplasty?", "How is the procedure performed?", "Contacting us"} <= titles
    assert len(tags.getall("CHAP")) == len([n for n in bundle.files if n.endswith(".mp3")]) - 1
    script = bundle.files["{stem}.speech.txt"].decode()
    assert "zero one one eight, three two two, seven nine nine one" in script
    assert "royal berkshire dot n h s dot u k" in script
    assert "Monday to Friday 8:30 in the morning to five in the afternoon" in script


# --- Cache and engines -------------------------------------------------------------------


class CountingEngine(Espeak):
    calls = 0

    def synthesise(self, text: str, voice: str) -> Pcm:
        CountingEngine.calls += 1
        return super().synthesise(text, voice)


@pytest.mark.slow
def test_second_build_synthesises_nothing_and_an_edit_only_what_changed(
        run_cli_all, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ENGINES, "espeak", CountingEngine)
    audio.engine_for.cache_clear()
    CountingEngine.calls = 0
    first = run_cli_all("build", "leaflets/END_0031-sedation-fasting.md", "-f", "audio", "--tts", "espeak",
                        "-l", "en_GB")
    assert first.code == 0, first.err
    made = CountingEngine.calls
    assert made > 10
    assert Path("output/END_0031/en_GB/audio/01-introduction.mp3").exists()
    entry = json.loads(Path("output/END_0031/en_GB/manifest.json").read_text())["files"]["END_0031-en_GB.mp3"]
    assert entry["engine"].startswith("eSpeak NG") and "voice en" in entry["engine"]
    again = run_cli_all("build", "leaflets/END_0031-sedation-fasting.md", "-f", "audio", "--tts", "espeak",
                        "-l", "en_GB")
    assert "0 file(s) built" in again.err and CountingEngine.calls == made
    source = Path("leaflets/END_0031-sedation-fasting.md")
    source.write_text(source.read_text().replace("Our nurses are there", "Our kind nurses are there"))
    edited = run_cli_all("build", "leaflets/END_0031-sedation-fasting.md", "-f", "audio", "--tts", "espeak",
                         "-l", "en_GB")
    assert edited.code == 0 and CountingEngine.calls == made + 1, "only the edited paragraph is synthesised"
    audio.engine_for.cache_clear()


class FailingEngine(Espeak):
    def synthesise(self, text: str, voice: str) -> Pcm:
        raise EngineUnavailable("the voice service went away")


def test_failed_synthesis_leaves_no_audio_and_the_rest_builds(run_cli_all, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ENGINES, "espeak", FailingEngine)
    audio.engine_for.cache_clear()
    result = run_cli_all("build", "leaflets/PHY_0015-after-a-hip-replacement.txt", "-f", "audio", "-f", "text",
                         "--tts", "espeak", "-l", "en_GB")
    audio.engine_for.cache_clear()
    assert "PHY_0015 en_GB: audio not made: the voice service went away" in result.err
    assert Path("output/PHY_0015/en_GB/PHY_0015-en_GB.txt").exists()
    assert not list(Path("output").rglob("*.mp3")) and not list(Path("output").rglob("*.tmp"))
    assert result.code == 1, "audio was asked for by name"


def test_language_without_a_voice_gets_a_clear_message() -> None:
    somali = read_leaflet(str(SPEECH))
    somali = replace(somali, meta=replace(somali.meta, language="so"))
    with pytest.raises(FormatUnavailable, match="eSpeak NG has no voice for 'so'"):
        audio.export_audio(somali, engine="espeak")
    with pytest.raises(Exception, match="gTTS has no voice for 'so'"):
        Gtts().voice("so")


def test_gtts_refused_clearly_without_a_network(run_cli_all, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.speech.engines as engines

    monkeypatch.setattr(engines, "reachable", lambda timeout=3: False)
    for spoken in ("audio", "epub"):  # the read-along book speaks too
        result = run_cli_all("build", "leaflets/END_0031-sedation-fasting.md", "-f", spoken, "--tts", "gtts")
        assert result.code == 1
        assert result.err.strip() == ("leaflet: error: --tts gtts: gTTS could not be reached (no internet "
                                      "connection?); use --tts espeak for the offline voice")
        assert not Path("output").exists()


def test_auto_is_the_best_offline_voice_per_language_and_never_the_network(monkeypatch: pytest.MonkeyPatch,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The default: English in the neural voice, the rest in eSpeak NG, whatever the network does; gTTS only when
    chosen (it sends the text to Google)."""
    asked = []
    monkeypatch.setattr(audio, "reachable", lambda timeout=3: asked.append(1) or True)
    assert audio.engines_of("auto") == ["neural", "espeak"]
    assert audio.engines_of("gtts,auto") == ["gtts", "neural", "espeak"]
    audio.engine_for.cache_clear()
    english, _, named_en = audio.engine_for_language("auto", "en_GB")
    polish, _, named_pl = audio.engine_for_language("auto", "pl")
    audio.choose_engine("auto")
    audio.engine_for.cache_clear()
    assert english.name == "neural" and polish.name == "espeak" and not asked, "no network was tried"
    assert "fallback" not in named_pl, "no neural Polish voice is the plan, not a fallback"
    err = capsys.readouterr().err
    assert "leaflet: audio: English in the neural voice, other languages in eSpeak NG" in err and "offline" in err
    assert audio.unavailable("pl", "auto") is None and audio.unavailable("en_GB", "auto") is None


# --- gTTS as a careful client, without the network -----------------------------------------


def test_gtts_requests_are_built_without_sending() -> None:
    prepared = Gtts().requests_for("Hello from the ward.", "en/co.uk")
    assert prepared and prepared[0].url.startswith("https://translate.google.co.uk/")
    assert "Hello from the ward." in requests.utils.unquote(prepared[0].body)


class FakeResponse:
    def __init__(self, status: int, text: str = "") -> None:
        self.status_code, self.text = status, text


class FakeSession:
    """Stands in for the transport: answers from a script, records every call."""

    def __init__(self, answers: list[object]) -> None:
        self.answers, self.calls = answers, []  # type: ignore[var-annotated]

    def send(self, request: object, **kwargs: object) -> FakeResponse:
        self.calls.append(kwargs)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]


def _payload(mp3: bytes) -> str:
    return 'xx jQ1olc","[\\"' + base64.b64encode(mp3).decode() + '\\"]" yy'


def test_gtts_retries_connection_errors_429_and_5xx_with_backoff(fixture_bundle: Bundle) -> None:
    mp3 = fixture_bundle.files["{audio}/01-introduction.mp3"]
    session = FakeSession([requests.ConnectionError("reset"), FakeResponse(429), FakeResponse(503),
                           FakeResponse(200, _payload(mp3))])
    sleeps: list[float] = []
    engine = Gtts(session=session, sleep=sleeps.append, min_interval=0)
    pcm = engine.synthesise("Hello.", "en/co.uk")
    assert pcm.seconds > 1
    assert len(session.calls) == 4
    assert all(call["timeout"] == 10 and call["verify"] is True for call in session.calls)
    backoffs = [s for s in sleeps if s > 0]
    assert len(backoffs) == 3 and backoffs[0] < backoffs[2], "exponential back-off with jitter"


def test_gtts_gives_up_cleanly_and_does_not_retry_other_errors() -> None:
    engine = Gtts(session=FakeSession([FakeResponse(403)]), sleep=lambda s: None, min_interval=0)
    with pytest.raises(EngineUnavailable, match="HTTP 403"):
        engine.synthesise("Hello.", "en/co.uk")
    engine = Gtts(session=FakeSession([FakeResponse(503)] * 5), sleep=lambda s: None, min_interval=0, retries=4)
    with pytest.raises(EngineUnavailable, match="after 5 attempts"):
        engine.synthesise("Hello.", "en/co.uk")


def test_gtts_keeps_a_steady_rate(fixture_bundle: Bundle) -> None:
    mp3 = fixture_bundle.files["{audio}/01-introduction.mp3"]
    session = FakeSession([FakeResponse(200, _payload(mp3)) for _ in range(3)])
    sleeps: list[float] = []
    engine = Gtts(session=session, sleep=sleeps.append, min_interval=0.5)
    for _ in range(3):
        engine.synthesise("Hi.", "en/co.uk")
    assert len([s for s in sleeps if 0 < s <= 0.5]) >= 2, "requests are spaced out"


class ToneEngine(Espeak):
    """A stand-in voice: a made-up tone, a tenth of a second per character, counted."""

    calls = 0

    def synthesise(self, text: str, voice: str) -> Pcm:
        ToneEngine.calls += 1
        return Pcm((bytes(range(256)) * (18 * len(text)))[: 4410 * len(text)], 22050)


TEXT = "Call 999 if you have chest pain."


def _forged(data: bytes, key: str, samples: bytes, rate: int = 22050) -> bytes:
    """An entry whose header was rewritten to match ``samples`` (the name is the key: anyone can)."""
    raw_rate = rate.to_bytes(4, "little")
    return data[:5] + raw_rate + audio._seal(key, raw_rate, samples) + samples


@pytest.mark.parametrize("damage", ["empty", "magic only", "truncated", "changed byte", "old format", "bad rate",
                                    "cut to a tenth, header rewritten", "rate doubled, header rewritten",
                                    "odd length, header rewritten", "another piece's entry",
                                    "a minute of noise added, header rewritten", "not an entry"])
def test_a_damaged_cache_entry_is_found_and_synthesised_again(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                              damage: str) -> None:
    engine = ToneEngine()
    ToneEngine.calls = 0
    first = audio.speech(engine, TEXT, "en", tmp_path)
    other = audio.speech(engine, "Phone the ward.", "en", tmp_path)
    key = audio._key(engine, TEXT, "en")
    entry = tmp_path / key[:2] / f"{key}.pcm"
    assert audio.speech(engine, TEXT, "en", tmp_path) == first and ToneEngine.calls == 2
    data = entry.read_bytes()
    [other_entry] = [p for p in tmp_path.rglob("*.pcm") if p != entry]
    broken = {"empty": b"", "magic only": data[:5], "truncated": data[: len(data) // 2],
              "changed byte": data[:-1] + b"\x00",
              "old format": b"LPCM2" + data[5:9] + len(first.samples).to_bytes(8, "little") + data[9:],
              "bad rate": data[:5] + (0).to_bytes(4, "little") + data[9:],
              "cut to a tenth, header rewritten": _forged(data, key, first.samples[: len(first.samples) // 20 * 2]),
              "rate doubled, header rewritten": _forged(data, key, first.samples, 44100),
              "odd length, header rewritten": _forged(data, key, first.samples[:-1]),
              "another piece's entry": other_entry.read_bytes(),
              "a minute of noise added, header rewritten": _forged(data, key, first.samples + b"\1\0" * 22050 * 60),
              "not an entry": b"RIFF" + bytes(100)}[damage]
    entry.write_bytes(broken)
    again = audio.speech(engine, TEXT, "en", tmp_path)
    assert again == first and ToneEngine.calls == 3, "synthesised again, nothing of the speech lost"
    # An earlier version's entry is replaced without a word (an upgrade is not damage).
    assert ("speech cache entry is damaged" in caplog.text) == (damage != "old format"), caplog.text
    assert audio._read_entry(entry.read_bytes(), audio._Expected(key, 22050, TEXT)) == (first, None), "written again"
    assert not list(tmp_path.rglob("*.tmp"))
    assert other == audio.speech(engine, "Phone the ward.", "en", tmp_path) and ToneEngine.calls == 3


def test_real_speech_cut_to_under_a_third_is_found_even_with_its_header_rewritten(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = Espeak()
    text = "Stop eating six hours before your appointment, and drink only water until two hours before."
    first = audio.speech(engine, text, "en", tmp_path)
    key = audio._key(engine, text, "en")
    entry = tmp_path / key[:2] / f"{key}.pcm"
    cut = first.samples[: len(first.samples) * 3 // 10 // 2 * 2]  # the 47.6 s -> 14.6 s seen
    entry.write_bytes(_forged(entry.read_bytes(), key, cut, engine.rate))
    again = audio.speech(engine, text, "en", tmp_path)  # eSpeak NG differs by a few samples from run to run
    assert abs(again.seconds - first.seconds) < 0.2
    assert "speech cache entry is damaged" in caplog.text and "letters" in caplog.text


def test_speech_no_voice_could_make_is_not_kept(tmp_path: Path) -> None:
    class Silent(ToneEngine):
        def synthesise(self, text: str, voice: str) -> Pcm:
            ToneEngine.calls += 1
            return Pcm(b"\0\0" * 100, 22050)

    ToneEngine.calls = 0
    for _ in range(2):
        assert audio.speech(Silent(), TEXT, "en", tmp_path).samples == b"\0\0" * 100
    assert ToneEngine.calls == 2 and not list(tmp_path.rglob("*.pcm")), "never read back as damaged"


def test_force_synthesises_again_without_changing_what_counts_as_up_to_date(tmp_path: Path) -> None:
    from pipeline.build import configured
    from pipeline.exporters import FORMATS
    from pipeline.output import build_key

    engine = ToneEngine()
    ToneEngine.calls = 0
    audio.speech(engine, "Call 999.", "en", tmp_path)
    audio.speech(engine, "Call 999.", "en", tmp_path, refresh=True)
    assert ToneEngine.calls == 2
    [plain] = [f for f in configured([FORMATS["audio"]], out=tmp_path) if f.name == "audio"]
    [forced, book] = configured([FORMATS["audio"], FORMATS["epub"]], out=tmp_path, force=True)
    assert "refresh_cache" not in plain.options
    assert build_key("s", "audio", plain.options) == build_key("s", "audio", forced.options)
    # A forced build makes again what the cache held before it started, once: the book's
    # narration then uses the pieces the audio format has just made.
    since = forced.options["refresh_cache"]
    assert book.options["refresh_cache"] == since and book.options["cache_dir"] == forced.options["cache_dir"]
    cache = tmp_path / "forced"
    audio.speech(engine, "Call 111.", "en", cache)
    os.utime(next(cache.rglob("*.pcm")), (since - 60, since - 60))  # made before this build
    audio.speech(engine, "Call 111.", "en", cache, refresh=since)
    audio.speech(engine, "Call 111.", "en", cache, refresh=since)
    assert ToneEngine.calls == 4, "made again once, then shared"


@pytest.mark.slow
def test_more_sections_than_an_mp3_can_mark_is_one_line_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from mutagen.id3 import ID3

    monkeypatch.setitem(ENGINES, "espeak", ToneEngine)
    audio.engine_for.cache_clear()
    source = tmp_path / "TST_0256-many.md"
    source.write_text("# Many sections\n\n" + "".join(f"## Part {n}\n\nStep {n}.\n\n" for n in range(1, 261))
                      + "TST_0256\n", encoding="utf-8")
    bundle = audio.export_audio(read_leaflet(str(source)), engine="espeak")
    audio.engine_for.cache_clear()
    assert "no chapter marks" in caplog.text
    whole = tmp_path / "whole.mp3"
    whole.write_bytes(bundle.files["{stem}.mp3"])
    assert not ID3(whole).getall("CHAP")
    assert len([name for name in bundle.files if name.startswith("{audio}/") and name.endswith(".mp3")]) > 260


class LongToneEngine(Espeak):
    """A stand-in voice: two seconds of sound per paragraph."""

    def synthesise(self, text: str, voice: str) -> Pcm:
        return Pcm(bytes(range(256)) * 344, 22050)


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["sections", "paragraphs"])
def test_memory_follows_a_paragraph_not_the_section_or_the_leaflet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   layout: str) -> None:
    import tracemalloc

    monkeypatch.setitem(ENGINES, "espeak", LongToneEngine)
    audio.engine_for.cache_clear()
    audio.export_audio(read_leaflet(str(SPEECH)), engine="espeak")  # imports and first allocations
    peaks, made = {}, {}
    for count in (20, 80):
        source = tmp_path / f"TST_{count:04d}-long.md"
        part = "## Part {n}\n\nStep {n}.\n\n" if layout == "sections" else "Step {n} of the one long section.\n\n"
        source.write_text("# Long\n\n## The only section\n\n" + "".join(part.format(n=n) for n in range(count))
                          + f"TST_{count:04d}\n", encoding="utf-8")
        leaflet = read_leaflet(str(source))
        tracemalloc.start()
        bundle = audio.export_audio(leaflet, engine="espeak")
        peaks[count] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        made[count] = sum(len(data) for data in bundle.files.values())
        del bundle
    audio.engine_for.cache_clear()
    # The MP3s returned (and their tagged copies) are the floor; the sound itself (about 2.5 times
    # the MP3s: 5.3 to 10.6 MB more at 80) must not be held, whether in sections or in one section.
    # (2.5 MB of slack for what else the run allocates, which varies with the modules loaded: still
    # well under the 5.3 MB more that holding the sound would take.)
    allowed = 2.5 * (made[80] - made[20]) + 2_500_000
    assert peaks[80] - peaks[20] < allowed, f"memory grew by {(peaks[80] - peaks[20]) / 1e6:.1f} MB, " \
                                            f"allowed {allowed / 1e6:.1f}"


def test_chapter_frames_are_written_in_reading_order() -> None:
    """mutagen writes frames by size; a player that lists chapter frames as found showed them shuffled."""
    import re

    import lameenc
    import numpy as np
    from mutagen.id3 import ID3

    from pipeline.readers import read_leaflet
    from pipeline.speech.audio import _tag

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(22050)
    encoder.set_channels(1)
    mp3 = encoder.encode(np.zeros(22050 * 3, dtype=np.int16).tobytes()) + encoder.flush()
    leaflet = read_leaflet("leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    chapters = [(f"Section {i} " + "words " * (i * 7 % 13), i * 200, i * 200 + 190) for i in range(1, 13)]
    data = _tag(mp3, title="t", leaflet=leaflet, track=None, chapters=chapters)
    in_file = [int(m) for m in re.findall(rb"CHAP.{6}chp(\d+)\x00", data, re.S)]
    assert in_file == list(range(1, 13))
    tags = ID3(io.BytesIO(data))
    assert [f.element_id for f in tags.getall("CHAP")] == [f"chp{i}" for i in range(1, 13)]
    assert tags.getall("CTOC")[0].child_element_ids == [f"chp{i}" for i in range(1, 13)]
    assert data.index(b"CTOC") < data.index(b"CHAP"), "the table of contents first"


@pytest.mark.parametrize("locale", ["en_GB", "pl", "cy", "ur"])
def test_every_address_with_a_hyphen_is_spoken_with_its_hyphen(locale: str) -> None:
    """"northfield hospitals dot n h s dot u k" sends a listener to the wrong address: the hyphen is said,
    in the leaflet's language, in every example's speech script."""
    from pipeline.patterns import ADDRESS_RE
    from pipeline.speech.normalise import HYPHEN, language

    said = 0
    for source in sorted(Path("leaflets").iterdir()):
        leaflet = read_leaflet(str(source))
        if locale != "en_GB":
            po = LOCALES / locale / "LC_MESSAGES" / f"{leaflet.meta.code}.po"
            catalog = read_catalog(po, locale)
            leaflet = translate(leaflet, catalog, locale, review(leaflet, catalog, locale, po))
        script = script_text(leaflet, speech_script(leaflet))
        written = {m.group(0) for m in ADDRESS_RE.finditer(
            "\n".join(block_text(b) for b in leaflet.blocks)) if "-" in m.group(0).split("@")[-1]}
        for address in written:
            host = address.split("@")[-1].removeprefix("https://").removeprefix("www.").split("/")[0]
            first, rest = host.split("-", 1)
            assert f"{first} {HYPHEN[language(locale)]}" in script.replace("\n", " ").lower(), (source, address)
            said += 1
    assert said >= 1


# --- Loudness: -16 LUFS, true peak at most -1 dBTP ------------------------------------------------

FFMPEG = shutil.which("ffmpeg")


def _ebur128(path: Path) -> tuple[float, float]:
    """(integrated loudness LUFS, true peak dBTP) as ffmpeg's EBU R128 meter measures them."""
    if FFMPEG is None:
        if os.environ.get("CI") == "true":
            pytest.fail("ffmpeg is required in CI (apt-get install ffmpeg)")
        pytest.skip("ffmpeg not installed (apt-get install ffmpeg)")
    done = subprocess.run([FFMPEG, "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true",
                           "-f", "null", "-"], capture_output=True, text=True, timeout=120)
    summary = done.stderr[done.stderr.rindex("Summary:"):]
    loudness = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return loudness, peak


def test_the_loudness_meter_agrees_with_ffmpeg(tmp_path: Path) -> None:
    import wave

    import numpy as np

    from pipeline.speech.loudness import integrated

    rng = np.random.default_rng(7)
    rate = 22050
    parts = []
    for level in (0.02, 0.2, 0.05, 0.0, 0.3):  # quiet, loud, silence: the gates matter
        tone = np.sin(2 * np.pi * rng.uniform(150, 3000) * np.arange(rate * 2) / rate)
        parts.append(level * (0.6 * tone + 0.4 * rng.standard_normal(rate * 2).clip(-2, 2) / 2))
    signal = np.concatenate(parts)
    path = tmp_path / "test.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((signal * 32767).astype("<i2").tobytes())
    theirs, _ = _ebur128(path)
    assert abs(integrated(signal, rate) - theirs) < 0.3


@pytest.mark.slow
def test_every_mp3_is_at_the_target_loudness_with_true_peak_under_the_ceiling(run_cli_all) -> None:  # type: ignore[no-untyped-def]
    from pipeline.speech.loudness import TARGET_LUFS, TRUE_PEAK_DBTP

    for source in ("leaflets/END_0031-sedation-fasting.md", "leaflets/EYE_0112-eye-drops.pdf"):
        for locale in ("en_GB", "pl", "ur"):
            done = run_cli_all("build", source, "-f", "audio", "-l", locale)
            assert done.code == 0, done.err
    files = sorted(Path("output").glob("*/*/*.mp3")) + sorted(Path("output").glob("*/*/audio/01-*.mp3"))
    assert len(files) >= 12
    for path in files:
        loudness, peak = _ebur128(path)
        assert abs(loudness - TARGET_LUFS) <= 1.0, (path, loudness)
        assert peak <= TRUE_PEAK_DBTP, (path, peak)


@pytest.mark.parametrize("locale", ["ur", "pl", "cy", "en_GB"])
def test_section_tracks_are_named_from_their_headings_in_every_script(locale: str) -> None:
    """A carer finds "04-khtrt-ky-hyn.mp3" (خطرات کیا ہیں؟, the risks), never a row of "NN-section.mp3"."""
    from pipeline.speech.script import slug

    for source in sorted(LEAFLETS.iterdir()):
        leaflet = read_leaflet(str(source))
        if locale != "en_GB":
            po = LOCALES / locale / "LC_MESSAGES" / f"{leaflet.meta.code}.po"
            catalog = read_catalog(po, locale)
            leaflet = translate(leaflet, catalog, locale, review(leaflet, catalog, locale, po))
        names = [slug(section.title) for section in speech_script(leaflet)]
        assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name) for name in names), names
        assert "section" not in names and len(set(names)) == len(names), (source.name, names)
    assert slug("خطرات کیا ہیں؟") == "khtrt-ky-hyn" and slug("ঝুঁকিগুলো কী?") == "jhumkigulo-ki"
    assert slug("Przed wizytą") == "przed-wizyta" and slug("Łódź") == "lodz" and slug("?!") == "section"


RUNS = [
    ("Northfield Hospitals NHS Foundation Trust کی جانب سے۔", "ur",
     [("Northfield Hospitals NHS Foundation Trust", "en_GB"), ("کی جانب سے۔", None)]),
    ("مزید جاننے کے لیے northfield ہائفن hospitals ڈاٹ n h s دیکھیں۔", "ur",
     [("مزید جاننے کے لیے", None), ("northfield", "en_GB"), ("ہائفن", None), ("hospitals", "en_GB"), ("ڈاٹ", None),
      ("n h s", "en_GB"), ("دیکھیں۔", None)]),
    ("(Northfield) کی جانب سے، NHS؟", "ur", [("(Northfield)", "en_GB"), ("کی جانب سے،", None), ("NHS؟", "en_GB")]),
    ("এনএইচএস 111 নম্বরে Northfield ফোন করুন।", "bn",
     [("এনএইচএস 111 নম্বরে", None), ("Northfield", "en_GB"), ("ফোন করুন।", None)]),
    ("اتصل بـ NHS 111 الآن.", "ar", [("اتصل بـ", None), ("NHS 111", "en_GB"), ("الآن.", None)]),
    ("Please ask. اگر آپ کو یہ معلومات درکار ہوں تو پوچھیں۔ Proszę pytać.", "en_GB",
     [("Please ask.", None), ("اگر آپ کو یہ معلومات درکار ہوں تو پوچھیں۔", "ur"), ("Proszę pytać.", None)]),
    ("For Persian readers: برای اطلاعات بیشتر با ما تماس بگیرید.", "en_GB",
     [("For Persian readers:", None), ("برای اطلاعات بیشتر با ما تماس بگیرید.", "fa")]),
    ("For Arabic readers: اتصل بنا.", "en_GB", [("For Arabic readers:", None), ("اتصل بنا.", "ar")]),
    ("বাংলায় জানতে চাইলে, please ask.", "en_GB", [("বাংলায় জানতে চাইলে,", "bn"), ("please ask.", None)]),
    ("Zadzwoń do NHS 111 lub Northfield Hospitals.", "pl", [("Zadzwoń do NHS 111 lub Northfield Hospitals.", None)]),
    ("Ffoniwch 0118 496 0123.", "cy", [("Ffoniwch 0118 496 0123.", None)]),
]


@pytest.mark.parametrize(("text", "locale", "expected"), RUNS)
def test_a_sentence_is_cut_where_its_script_changes(text: str, locale: str,
                                                     expected: list[tuple[str, str | None]]) -> None:
    from pipeline.speech.scripts import runs

    assert runs(text, locale) == expected


def test_text_in_another_script_is_spoken_by_a_voice_that_can_say_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Urdu leaflet's English organisation name by the English voice; an English leaflet's Urdu
    line by the Urdu voice; a part no voice has is left out with a warning, never misread."""
    said: list[tuple[str, str]] = []

    def synthesise(self: Espeak, text: str, voice: str) -> Pcm:
        said.append((text, voice))
        return Pcm(b"\x00\x01" * 2205, self.rate)

    monkeypatch.setattr(Espeak, "synthesise", synthesise)
    po = LOCALES / "ur" / "LC_MESSAGES" / "RAD_0102.po"
    leaflet = read_leaflet(str(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md"))
    catalog = read_catalog(po, "ur")
    audio.export_audio(translate(leaflet, catalog, "ur", review(leaflet, catalog, "ur", po)), engine="espeak")
    voices = dict(said)
    english, urdu = Espeak().voice("en_GB"), Espeak().voice("ur")
    assert voices["Northfield Hospitals NHS Foundation Trust"] == english
    assert all(voice == urdu for text, voice in said if any("\u0600" <= c <= "\u06ff" for c in text))
    assert not [text for text, voice in said if voice == urdu and re.search(r"[A-Za-z]{2}", text)], \
        "no Latin word is left to the Urdu voice"

    said.clear()
    english_leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    english_leaflet = replace(english_leaflet, blocks=(*english_leaflet.blocks, Paragraph((Text(
        "Urdu: اگر آپ کو یہ معلومات درکار ہوں تو پوچھیں۔ Amharic: ይህን መረጃ ከፈለጉ ይጠይቁ።"),))))
    monkeypatch.delitem(__import__("pipeline.speech.engines", fromlist=["x"])._ESPEAK_VOICES, "am", raising=False)
    audio.export_audio(english_leaflet, engine="espeak")
    assert ("اگر آپ کو یہ معلومات درکار ہوں تو پوچھیں۔", urdu) in said
    assert not [text for text, _ in said if "ይህን" in text], "a part no voice here can say is left out"
