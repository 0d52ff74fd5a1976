"""A no-op build costs what changed, not what exists: output files are trusted by their stat, as git does."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import pipeline.output as output
from pipeline.output import STAT_CACHE, StatCache, file_sha256, sha256, trusted_stats

SOURCE = "leaflets/PHY_0015-after-a-hip-replacement.txt"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output files read in full (hashed) while the fixture is in use."""
    seen: list[str] = []
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if "output" in self.parts and ".cache" not in self.parts and self.name != "manifest.json":
            seen.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return seen


def _age(out: Path) -> None:
    """Make every output file (and its change time) look older than the stat cache's racy window."""
    cache = out / STAT_CACHE
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        for entry in data.values():
            entry[4] += 10_000_000_000  # as if hashed ten seconds later than it was
        cache.write_text(json.dumps(data), encoding="utf-8")


def test_a_no_op_build_reads_no_output_file_once_their_stats_are_known(run_cli, reads: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "--format", "text", "--format", "docx", "--format", "html", SOURCE).code == 0
    reads.clear()
    first = run_cli("build", "--format", "text", "--format", "docx", "--format", "html", SOURCE)
    assert "0 file(s) built" in first.err and reads, "files just written are racy: hashed once more"
    _age(Path("output"))
    reads.clear()
    second = run_cli("build", "--format", "text", "--format", "docx", "--format", "html", SOURCE)
    assert "0 file(s) built" in second.err and reads == [], reads
    verified = run_cli("build", "--verify", "--format", "text", "--format", "docx", "--format", "html", SOURCE)
    assert "0 file(s) built" in verified.err and len(reads) == 12, "--verify hashes every file"


def test_a_file_changed_behind_the_manifest_is_made_again_even_with_its_times_restored(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "--format", "text", SOURCE).code == 0
    assert run_cli("build", "--format", "text", SOURCE).code == 0
    _age(Path("output"))
    target = Path("output/PHY_0015/en_GB/PHY_0015-en_GB.txt")
    before = target.stat()
    data = target.read_bytes()
    target.write_bytes(data.replace(b"0118", b"0119", 1))  # same size, one digit of a phone number
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # the modification time put back
    rebuilt = run_cli("build", "--format", "text", SOURCE)
    assert "1 file(s) built" in rebuilt.err and target.read_bytes() == data


def test_the_stat_cache_is_not_trusted_within_the_racy_window_or_when_damaged(tmp_path: Path) -> None:
    out = tmp_path / "output"
    (out / "A").mkdir(parents=True)
    path = out / "A" / "f.txt"
    path.write_bytes(b"one")
    with trusted_stats(out) as cache:
        assert file_sha256(path) == sha256(b"one") and cache.dirty
    path.write_bytes(b"two")  # within the same second: size and perhaps times the same
    with trusted_stats(out):
        assert file_sha256(path) == sha256(b"two"), "changed within the racy window: hashed"
    (out / STAT_CACHE).write_text("{not json", encoding="utf-8")
    assert StatCache.load(out).entries == {}
    (out / STAT_CACHE).write_text(json.dumps({"A/f.txt": [1, 2, 3, 4, 5, "forged"], "B": "x"}), encoding="utf-8")
    cache = StatCache.load(out)
    assert list(cache.entries) == ["A/f.txt"]
    assert cache.sha256(path) == sha256(b"two"), "an entry whose stat does not match is not believed"
    assert output._STAT is None, "outside a build, files are hashed directly"
    assert file_sha256(out / "missing") is None


def test_a_trusted_entry_is_used_only_when_every_field_matches(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    path = out / "f.txt"
    path.write_bytes(b"same")
    st = path.stat()
    old = time.time_ns() + 10_000_000_000
    cache = StatCache(out, {"f.txt": [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, old, "recorded"]})
    assert cache.sha256(path) == "recorded", "the stat as recorded and old enough: trusted, not read"
    for field in range(4):
        entry = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, old, "recorded"]
        entry[field] += 1
        assert StatCache(out, {"f.txt": entry}).sha256(path) == sha256(b"same"), f"field {field} differs"
    assert StatCache(out, {"f.txt": [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, old, "recorded"]},
                     verify=True).sha256(path) == sha256(b"same")


@pytest.fixture
def inputs_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources and catalogues read while the fixture is in use."""
    import pipeline.readers as readers

    seen: list[str] = []
    original_source, original_bytes = readers.read_source_bytes, Path.read_bytes

    def read_source_bytes(path: str) -> bytes:
        seen.append(Path(path).name)
        return original_source(path)

    def read_bytes(self: Path) -> bytes:
        if self.suffix == ".po":
            seen.append(self.name)
        return original_bytes(self)

    monkeypatch.setattr(readers, "read_source_bytes", read_source_bytes)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return seen


def test_a_no_op_build_reads_no_source_and_no_catalogue_once_their_stats_are_known(  # type: ignore[no-untyped-def]
        run_cli, inputs_read: list[str]) -> None:
    # The finished translations (an unfinished one, ro, is checked again on every build: its refusal
    # is reported each time); the labels catalogues are read once when any command starts.
    build = ["build", "--format", "text", "-l", "en_GB", "-l", "pl", "-l", "cy", "-l", "ur", SOURCE]
    assert run_cli(*build).code == 0
    assert {"PHY_0015-after-a-hip-replacement.txt", "PHY_0015.po"} <= set(inputs_read)
    assert run_cli(*build).code == 0  # just hashed: racy, read once more
    _age(Path("output"))
    inputs_read.clear()
    quiet = run_cli(*build)
    assert "0 file(s) built" in quiet.err and [n for n in inputs_read if n != "labels.po"] == [], inputs_read
    verified = run_cli(*build, "--verify")
    assert "0 file(s) built" in verified.err
    assert inputs_read.count("PHY_0015.po") == 3 and "PHY_0015-after-a-hip-replacement.txt" in inputs_read


@pytest.mark.parametrize("which", ["source", "catalogue"])
def test_an_edited_input_with_its_times_restored_is_read_and_made_again(run_cli, which: str) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "--format", "text", SOURCE).code == 0
    assert run_cli("build", "--format", "text", SOURCE).code == 0
    _age(Path("output"))
    path = Path(SOURCE) if which == "source" else Path("locales/pl/LC_MESSAGES/PHY_0015.po")
    before = path.stat()
    data = path.read_bytes()
    changed = data.replace(b"0118", b"0119", 1)
    assert changed != data and len(changed) == len(data)
    path.write_bytes(changed)  # same size, one digit of a phone number
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the modification time put back
    rebuilt = run_cli("build", "--format", "text", SOURCE)
    made = Path("output/PHY_0015/pl/PHY_0015-pl.txt")
    if which == "source":
        # The English changed: its file is made again, and the translations no longer match it.
        assert "0119" in Path("output/PHY_0015/en_GB/PHY_0015-en_GB.txt").read_text(encoding="utf-8"), rebuilt.err
    else:
        assert "1 file(s) built" in rebuilt.err or not made.exists(), rebuilt.err


def test_a_source_that_changed_after_its_hash_was_trusted_stops_the_build() -> None:
    from pipeline.build import _Source
    from pipeline.errors import LeafletError

    source = _Source(SOURCE, None, sha256(b"what it held when it was hashed"), "PHY_0015", "en_GB")
    with pytest.raises(LeafletError, match="changed while the build was reading it"):
        source.load()


@pytest.fixture
def leaflets_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The leaflets parsed while the fixture is in use."""
    import pipeline.readers as readers

    seen: list[str] = []
    original = readers.read_leaflet

    def read_leaflet(path: str, data: bytes):  # type: ignore[no-untyped-def]
        seen.append(Path(path).name.split("-")[0])
        return original(path, data)

    monkeypatch.setattr(readers, "read_leaflet", read_leaflet)
    return seen


def _built_and_settled(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "--format", "text", "-l", "en_GB").code == 0
    _age(Path("output"))


def test_a_request_reads_only_the_leaflet_asked_for_once_the_library_is_built(  # type: ignore[no-untyped-def]
        run_cli, leaflets_read: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAFLET_DB", str(tmp_path / "records.sqlite"))
    _built_and_settled(run_cli)
    for query in ("PHY_0015", "phy 0015", "hip replacement"):
        leaflets_read.clear()
        asked = run_cli("request", query, "--format", "text", "--ref", "T-1")
        assert asked.code == 0 and asked.out.strip().endswith("PHY_0015-en_GB.txt"), asked.err
        assert set(leaflets_read) == {"PHY_0015"}, (query, leaflets_read)  # (the desk makes its copy afresh)
    unknown = run_cli("request", "no such leaflet", "--format", "text", "--ref", "T-1")
    assert unknown.code == 2 and "no such leaflet" in unknown.err  # (said from the leaflets themselves)


@pytest.mark.parametrize("change", ["forged-title", "forged-code", "edited", "added", "unbuilt"])
def test_a_request_reads_the_whole_library_when_the_index_cannot_be_trusted(  # type: ignore[no-untyped-def]
        run_cli, leaflets_read: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    monkeypatch.setenv("LEAFLET_DB", str(tmp_path / "records.sqlite"))
    if change != "unbuilt":
        _built_and_settled(run_cli)
    index = Path("output/.sources.json")
    source = Path(SOURCE)
    query, expect = "hip replacement", "PHY_0015-en_GB.txt"
    if change.startswith("forged"):
        # The index is in output/: an entry naming another leaflet's title or code must not choose it.
        entries = json.loads(index.read_text(encoding="utf-8"))
        lung = next(k for k in entries if "RAD_0102" in k)
        if change == "forged-title":
            entries[lung]["title"] = "Exercises after your hip replacement"
            for key in entries:
                if "PHY_0015" in key:
                    entries[key]["title"] = "Something else"
        else:
            entries[lung]["code"], query = "PHY_0015", "PHY_0015"
        index.write_text(json.dumps(entries), encoding="utf-8")
    elif change == "edited":
        source.write_text(source.read_text(encoding="utf-8").replace("Exercises after", "Exercises after all"),
                          encoding="utf-8")
        query = "after all"
    elif change == "added":
        text = source.read_text(encoding="utf-8").replace("PHY_0015", "PHY_0016").replace(
            "Exercises after your hip replacement", "Walking after your knee replacement")
        Path("leaflets/PHY_0016-knee.txt").write_text(text, encoding="utf-8")
        query, expect = "knee replacement", "PHY_0016-en_GB.txt"
    leaflets_read.clear()
    asked = run_cli("request", query, "--format", "text", "--ref", "T-1")
    assert asked.code == 0 and asked.out.strip().endswith(expect), asked.err
    assert len(set(leaflets_read)) >= len(list(Path("leaflets").iterdir())), leaflets_read  # every one read
    if change == "edited":
        assert "Exercises after all" in Path(asked.out.strip()).read_text(encoding="utf-8")
