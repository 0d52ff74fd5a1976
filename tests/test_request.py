"""Serving a patient's request: one command, the right version, and a record of what was issued."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import docx
import lxml.html
import pytest

from pipeline.records import SCHEMA_VERSION
from tests.conftest import FIXTURES, ROOT

DB = Path("records/requests.sqlite")
PL_LARGE = Path("output/RAD_0102/pl/RAD_0102-pl-large-print.docx")


@pytest.fixture(autouse=True)
def own_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEAFLET_DB", raising=False)


def rows(db: Path = DB) -> list[dict[str, object]]:
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT * FROM issued ORDER BY id")]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


def add_overdue_leaflet() -> None:
    shutil.copy(FIXTURES / "overdue.md", Path("leaflets/ORT_0042-plaster-cast.md"))


# --- The 4 pm request ---------------------------------------------------------------------------


def test_unchecked_translation_refused_then_issued_with_the_override_and_recorded(run_cli) -> None:  # type: ignore[no-untyped-def]
    refused = run_cli("request", "--ref", "T-1", "lung", "--locale", "Polish", "--format", "large-print")
    assert refused.code == 1 and refused.out == ""
    assert "not been checked by a qualified translator" in refused.err and "--allow-unchecked" in refused.err
    assert "ALLOW_UNCHECKED=1" in refused.err
    assert not PL_LARGE.exists(), "a refused request makes nothing"

    issued = run_cli("request", "lung", "--locale", "Polish", "--format", "large-print", "--allow-unchecked",
                     "--ref", "T-1234")
    assert issued.code == 0, issued.err
    assert issued.out == f"{PL_LARGE}\n", "standard output is the path to hand over, and nothing else"
    text = "\n".join(p.text for p in docx.Document(str(PL_LARGE)).paragraphs)
    assert "not been checked by a qualified translator" in text, "the file carries the notice"
    [row] = rows()
    assert row["leaflet_code"] == "RAD_0102" and row["title"] == "CT-guided lung biopsy"
    assert row["locale"] == "pl" and row["language"] == "Polish" and row["format"] == "large-print"
    assert row["ref"] == "T-1234" and row["translator_check"] == "unchecked" and row["checked_by"] is None
    assert row["source_sha256"] == sha(Path("leaflets/RAD_0102-ct-guided-lung-biopsy.md"))
    assert row["catalogue_sha256"] == sha(Path("locales/pl/LC_MESSAGES/RAD_0102.po"))
    assert row["output_sha256"] == sha(PL_LARGE) and row["output_path"] == str(PL_LARGE)
    assert row["next_review"] == "2028-09" and row["last_reviewed"] == "2026-09"
    assert json.loads(str(row["options"])) == {"point_size": 18.0}
    assert json.loads(str(row["overrides"])) == [{"override": "allow-unchecked", "reason": ""}]
    assert str(row["issued_at"]).endswith("+00:00")

    listed = run_cli("requests")
    assert listed.code == 0 and "T-1234" in listed.out and "allow-unchecked" in listed.out


def test_a_current_file_is_reused_and_each_request_recorded(run_cli) -> None:  # type: ignore[no-untyped-def]
    first = run_cli("request", "--ref", "T-1", "RAD_0102", "--format", "docx")
    assert first.code == 0 and "made" in first.err
    made = Path(first.out.strip()).stat().st_mtime_ns
    second = run_cli("request", "--ref", "T-1", "rad0102", "--format", "word")
    assert second.code == 0 and "re-used" in second.err and second.out == first.out
    assert Path(second.out.strip()).stat().st_mtime_ns == made
    assert [r["translator_check"] for r in rows()] == ["source", "source"]


def _swap(target: Path, data: bytes) -> None:
    """Replace ``target`` and make its manifest entry agree (what someone who can write output/ can do)."""
    target.write_bytes(data)
    manifest = target.parent / "manifest.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    entries["files"][target.name].update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    manifest.write_text(json.dumps(entries), encoding="utf-8")


@pytest.mark.parametrize("swap", ["after make", "after a request", "another language's file", "docx edited"])
def test_a_replaced_output_is_never_handed_over_as_current(run_cli, tmp_path: Path, swap: str) -> None:  # type: ignore[no-untyped-def]
    fmt = "docx" if swap == "docx edited" else "text"
    suffix = ".docx" if fmt == "docx" else ".txt"
    target = Path(f"output/RAD_0102/en_GB/RAD_0102-en_GB{suffix}")
    assert run_cli("build", "-f", "text", "-f", "docx").code == 0
    genuine = target.read_bytes()
    if swap != "after make":
        first = run_cli("request", "lung", "--format", fmt, "--ref", "T-1")
        assert first.code == 0 and "made" in first.err, "a file make wrote is made again by the desk the first time"
        assert run_cli("request", "lung", "--format", fmt, "--ref", "T-2").err.count("re-used") == 1
    forged = {"after make": genuine.replace(b"999", b"998"), "after a request": b"Call 0118 000 0000 now.\n",
              "another language's file": Path("output/RAD_0102/pl/RAD_0102-pl.txt").read_bytes(),
              "docx edited": genuine[:-40] + bytes(40)}[swap]
    _swap(target, forged)
    result = run_cli("request", "lung", "--format", fmt, "--ref", "T-3")
    assert result.code == 0, result.err
    assert "made" in result.err and "re-used" not in result.err
    assert target.read_bytes() == genuine, "the file handed over is the one the source makes"
    assert rows()[-1]["output_sha256"] == hashlib.sha256(genuine).hexdigest()
    again = run_cli("request", "lung", "--format", fmt, "--ref", "T-4")
    assert "re-used" in again.err and rows()[-1]["output_sha256"] == hashlib.sha256(genuine).hexdigest()


def test_a_request_changes_no_other_output(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build").code == 0
    assert run_cli("build", "--draft", "--locale", "ro", "leaflets/END_0031-sedation-fasting.md").code == 0
    before = snapshot(Path("output"))
    result = run_cli("request", "--ref", "T-1", "END_0031", "--locale", "cy", "--format", "large-print",
                     "--point-size", "20pt",
                     "--allow-unchecked")
    assert result.code == 0, result.err
    target = "END_0031/cy/END_0031-cy-large-print-20pt.docx"
    assert result.out.strip() == f"output/{target}"
    after = snapshot(Path("output"))
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert changed <= {target, "END_0031/cy/manifest.json", ".sources.json"}, changed
    assert any("-DRAFT" in name for name in after), "the Romanian draft is still there"


# --- Names -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pl", "pl_PL", "pl-PL", "Polish", "polski", "POLSKI"])
def test_a_locale_given_many_ways(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "--ref", "T-1", "PHY_0015", "--locale", name, "--format", "text", "--allow-unchecked")
    assert result.code == 0, result.err
    assert result.out.strip() == "output/PHY_0015/pl/PHY_0015-pl.txt"


@pytest.mark.parametrize(("name", "locale"), [("Welsh", "cy"), ("Cymraeg", "cy"), ("Urdu", "ur"), ("اردو", "ur"),
                                              ("English", "en_GB"), ("en", "en_GB")])
def test_language_names_in_english_and_in_themselves(run_cli, name: str, locale: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "--ref", "T-1", "END_0031", "--locale", name, "--format", "txt", "--allow-unchecked")
    assert result.code == 0, result.err
    assert result.out.strip() == f"output/END_0031/{locale}/END_0031-{locale}.txt"


def test_unknown_language_lists_the_leaflets_languages(run_cli) -> None:  # type: ignore[no-untyped-def]
    german = run_cli("request", "--ref", "T-1", "lung", "--locale", "German", "--format", "docx")
    assert german.code == 2 and "no German version of RAD_0102" in german.err
    assert all(lang in german.err for lang in ("Polish (pl)", "Welsh (cy)", "Urdu (ur)", "Romanian (ro)"))
    nonsense = run_cli("request", "--ref", "T-1", "lung", "--locale", "Qwertish", "--format", "docx")
    assert nonsense.code == 2 and "not a language name" in nonsense.err and "Polish (pl)" in nonsense.err


@pytest.mark.parametrize("query", ["RAD_0102", "rad_0102", "RAD0102", "rad-0102", "lung biopsy", "LUNG", "ct guided"])
def test_a_leaflet_by_code_or_title_words(run_cli, query: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "--ref", "T-1", *query.split(), "--format", "text")
    assert result.code == 0, result.err
    assert result.out.strip() == "output/RAD_0102/en_GB/RAD_0102-en_GB.txt"


def test_an_ambiguous_title_lists_the_candidates_and_none_lists_the_nearest(run_cli) -> None:  # type: ignore[no-untyped-def]
    both = run_cli("request", "--ref", "T-1", "your", "--format", "text")
    assert both.code == 2 and both.out == ""
    assert "END_0031 (Fasting before sedation for your endoscopy)" in both.err
    assert "PHY_0015 (Exercises after your hip replacement)" in both.err and "RAD_0102" not in both.err
    none = run_cli("request", "--ref", "T-1", "hip replacment exercizes", "--format", "text")
    assert none.code == 2 and "no leaflet matches" in none.err and "PHY_0015" in none.err
    assert not Path("output").exists()


@pytest.mark.parametrize(("name", "fmt"), [("pdf", "large-print-pdf"), ("large_print", "large-print"),
                                           ("Large print", "large-print"), ("LARGE-PRINT", "large-print"),
                                           ("mp3", "audio"), ("Word", "docx"), ("web page", "html")])
def test_format_names_are_forgiving(name: str, fmt: str) -> None:
    from pipeline.exporters import FORMATS
    from pipeline.names import resolve_format

    assert resolve_format(name, FORMATS).name == fmt


def test_a_wrong_format_name_suggests_the_nearest(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "--ref", "T-1", "lung", "--format", "larg-print")
    assert result.code == 2 and "did you mean 'large-print'?" in result.err
    built = run_cli("build", "--format", "larje_print")
    assert built.code == 2 and "did you mean 'large-print'?" in built.err
    sized = run_cli("build", "--format", "Large print", "--point-size", "20pt",
                    "leaflets/PHY_0015-after-a-hip-replacement.txt", "--locale", "en_GB")
    assert sized.code == 0 and Path("output/PHY_0015/en_GB/PHY_0015-en_GB-large-print-20pt.docx").exists()
    assert run_cli("request", "--ref", "T-1", "lung", "--format", "docx", "--point-size", "20").code == 2


# --- Refusals -----------------------------------------------------------------------------------


def test_refused_incomplete_translation(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "--ref", "T-1", "lung", "--locale", "Romanian", "--format", "docx", "--allow-unchecked")
    assert result.code == 1 and result.out == ""
    assert "incomplete: 46 of 47 message(s) are not translated yet" in result.err
    assert not DB.exists() or rows() == []


def test_refused_stale_translation_after_an_english_change(run_cli) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/END_0031-sedation-fasting.md")
    source.write_text(source.read_text(encoding="utf-8").replace("6 hours", "8 hours"), encoding="utf-8")
    result = run_cli("request", "--ref", "T-1", "END_0031", "--locale", "pl", "--format", "docx", "--allow-unchecked")
    assert result.code == 1 and "the English leaflet has changed since it was translated" in result.err


def test_refused_translation_that_fails_a_check(run_cli) -> None:  # type: ignore[no-untyped-def]
    po = Path("locales/pl/LC_MESSAGES/RAD_0102.po")
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("7 dni", "17 dni", 1), encoding="utf-8")
    result = run_cli("request", "--ref", "T-1", "RAD_0102", "--locale", "pl", "--format", "docx", "--allow-unchecked")
    assert result.code == 1 and "safety check(s)" in result.err and "17" in result.err


def test_refused_overdue_leaflet_unless_overridden_with_a_reason(run_cli) -> None:  # type: ignore[no-untyped-def]
    add_overdue_leaflet()
    refused = run_cli("request", "--ref", "T-1", "plaster cast", "--format", "large-print")
    assert refused.code == 1 and "past its review date" in refused.err and "January 2024" in refused.err
    assert "--allow-overdue" in refused.err
    no_reason = run_cli("request", "--ref", "T-1", "plaster", "--format", "large-print", "--allow-overdue")
    assert no_reason.code == 2
    issued = run_cli("request", "--ref", "T-1", "plaster", "--format", "large-print", "--allow-overdue",
                     "--reason", "patient discharged today; review booked")
    assert issued.code == 0, issued.err
    [row] = rows()
    assert json.loads(str(row["overrides"])) == [
        {"override": "allow-overdue", "reason": "patient discharged today; review booked"}]


def test_refused_when_the_format_needs_a_missing_program(run_cli_all, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real = shutil.which
    hidden = ("soffice", "libreoffice")
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in hidden else real(name))
    result = run_cli_all("request", "--ref", "T-1", "lung", "--format", "pdf")
    assert result.code == 1 and "LibreOffice is not installed" in result.err
    assert "sudo apt-get install libreoffice-writer-nogui" in result.err


def test_refused_when_there_is_no_voice(run_cli_all, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.speech.engines as engines

    monkeypatch.delitem(engines._ESPEAK_VOICES, "cy")
    result = run_cli_all("request", "--ref", "T-1", "lung", "--locale", "cy", "--format", "audio", "--allow-unchecked")
    assert result.code == 1 and "no neural or eSpeak NG voice" in result.err
    listing = run_cli_all("request", "lung", "--list")
    assert "Welsh (cy)" in listing.out and "not available: no neural or eSpeak NG voice" in listing.out


def test_list_shows_every_language_and_format_with_its_state(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "--ref", "T-1", "lung", "--format", "docx").code == 0
    listing = run_cli("request", "lung", "--list")
    assert listing.code == 0
    lines = listing.out.splitlines()
    assert any("English" in line and "docx" in line and "ready: output/RAD_0102/en_GB/RAD_0102-en_GB.docx" in line
               for line in lines)
    assert any("Polish (pl)" in line and "can be made now" in line and "--allow-unchecked" in line for line in lines)
    assert any("Romanian (ro)" in line and "not available" in line and "46 of 47" in line for line in lines)


# --- The record ---------------------------------------------------------------------------------


def test_the_record_schema_holds_no_patient_details_and_has_a_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "--ref", "T-1", "lung", "--format", "text").code == 0
    with sqlite3.connect(DB) as con:
        columns = [r[1] for r in con.execute("PRAGMA table_info(issued)")]
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not [c for c in columns if any(w in c for w in ("name", "nhs", "birth", "dob", "address", "patient"))]


def test_an_old_schema_is_migrated_and_a_newer_one_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    DB.parent.mkdir()
    sqlite3.connect(DB).close()  # an empty database: user_version 0
    assert run_cli("request", "--ref", "T-1", "lung", "--format", "text").code == 0 and len(rows()) == 1
    with sqlite3.connect(DB) as con:  # back to the first schema, with its row
        con.execute("DROP TABLE made")
        con.execute("DROP TABLE writer")
        con.execute("DROP TABLE events")
        con.execute("ALTER TABLE issued DROP COLUMN issued_by")
        con.execute("PRAGMA user_version = 1")
    assert run_cli("request", "--ref", "T-1", "lung", "--format", "text").code == 0 and len(rows()) == 2
    with sqlite3.connect(DB) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM made").fetchone()[0] == 1
        con.execute("PRAGMA user_version = 99")
    newer = run_cli("request", "--ref", "T-1", "lung", "--format", "text")
    assert newer.code == 2 and "newer version" in newer.err and newer.out == ""


def test_a_corrupt_record_stops_the_request(run_cli) -> None:  # type: ignore[no-untyped-def]
    DB.parent.mkdir()
    DB.write_bytes(b"this is not a database, it was overwritten by a spreadsheet" * 100)
    result = run_cli("request", "--ref", "T-1", "lung", "--format", "text")
    assert result.code == 2 and result.out == ""
    assert str(DB) in result.err and "not handed over without a record" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not Path("output/RAD_0102/en_GB/RAD_0102-en_GB.txt").exists()
    listing = run_cli("requests")
    assert listing.code == 2 and "damaged" in listing.err


def test_an_unwritable_record_stops_the_request(run_cli) -> None:  # type: ignore[no-untyped-def]
    Path("blocked").write_text("a file where a folder should be", encoding="utf-8")
    result = run_cli("request", "--ref", "T-1", "lung", "--format", "text", "--db", "blocked/requests.sqlite")
    assert result.code == 2 and result.out == "" and "not handed over without a record" in result.err


def test_a_record_that_fails_after_the_file_is_made_says_do_not_hand_it_over(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pipeline.records import RecordError, Records

    def fail(self: Records, *args: object, **kwargs: object) -> int:
        raise RecordError(str(self.path), "the issue could not be recorded: disk I/O error")

    monkeypatch.setattr(Records, "add", fail)
    result = run_cli("request", "--ref", "T-1", "lung", "--format", "text")
    assert result.code == 2 and result.out == "" and "do not hand it over" in result.err


def test_two_requests_at_once_both_land(tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(ROOT / "leaflets", work / "leaflets")
    shutil.copytree(ROOT / "locales", work / "locales")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LEAFLET_DB": str(work / "shared.sqlite")}
    env.pop("CI", None)
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "request", code, "--format", "text",
                               "--ref", f"R{n}"], cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for n, code in enumerate(("RAD_0102", "END_0031", "PHY_0015", "RAD_0102"))]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [r[1] for r in results]
    assert sorted(str(r["ref"]) for r in rows(work / "shared.sqlite")) == ["R0", "R1", "R2", "R3"]


def test_requests_filters_and_formats(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "lung", "--format", "text", "--ref", "A").code == 0
    assert run_cli("request", "END_0031", "--locale", "cy", "--format", "text", "--allow-unchecked",
                   "--ref", "B").code == 0
    as_json = json.loads(run_cli("requests", "--format", "json").out)
    assert [r["ref"] for r in as_json] == ["A", "B"]
    assert [r["ref"] for r in json.loads(run_cli("requests", "--format", "json", "--locale", "cy").out)] == ["B"]
    assert [r["ref"] for r in json.loads(run_cli("requests", "--format", "json", "--leaflet", "lung").out)] == ["A"]
    assert json.loads(run_cli("requests", "--format", "json", "--since", "2999-01-01").out) == []
    csv_out = run_cli("requests", "--format", "csv").out.splitlines()
    assert csv_out[0].startswith("id,issued_at,issued_by,ref,leaflet") and len(csv_out) == 3


def test_affected_by_after_the_english_changes(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "RAD_0102", "--format", "large-print", "--ref", "OLD-1").code == 0
    assert run_cli("request", "RAD_0102", "--locale", "ur", "--format", "docx", "--allow-unchecked",
                   "--ref", "OLD-2").code == 0
    assert "No issued copy" in run_cli("requests", "--affected-by", "RAD_0102").out
    source = Path("leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    text = source.read_text(encoding="utf-8")
    assert "0118 496 0123" in text and "at least 7 days before" in text
    source.write_text(text.replace("0118 496 0123", "0118 496 0999").replace("at least 7 days", "at least 10 days"),
                      encoding="utf-8")
    assert run_cli("request", "RAD_0102", "--format", "text", "--ref", "NEW-1").code == 0
    recall = run_cli("requests", "--affected-by", "lung biopsy")
    assert recall.code == 0
    assert "OLD-1" in recall.out and "OLD-2" in recall.out and "NEW-1" not in recall.out
    assert "section 'Contacting us'" in recall.out and "0118 496 0999" in recall.out and "0118 496 0123" in recall.out
    assert "section 'Before your appointment'" in recall.out and "10 days" in recall.out
    data = json.loads(run_cli("requests", "--affected-by", "RAD_0102", "--format", "json").out)
    assert [(r["ref"], r["locale"], r["format"]) for r in data] == [("OLD-1", "en_GB", "large-print"),
                                                                     ("OLD-2", "ur", "docx")]


def test_affected_by_after_a_catalogue_changes(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "END_0031", "--locale", "cy", "--format", "html", "--allow-unchecked",
                   "--ref", "W-1").code == 0
    assert run_cli("request", "END_0031", "--locale", "pl", "--format", "html", "--allow-unchecked",
                   "--ref", "P-1").code == 0
    po = Path("locales/cy/LC_MESSAGES/END_0031.po")
    text = po.read_text(encoding="utf-8")
    start = text.index('msgstr "', text.index('msgid "Why must I fast?"'))
    end = text.index("\n", start)
    po.write_text(text[:start] + 'msgstr "Pam mae angen i mi ymprydio? (wedi ei gywiro)"' + text[end:],
                  encoding="utf-8")
    recall = run_cli("requests", "--affected-by", "END_0031")
    assert "W-1" in recall.out and "P-1" not in recall.out
    assert "the translation has changed since" in recall.out
    assert "translation of 'Why must I fast?' changed" in recall.out


# --- Status and the catalogue page --------------------------------------------------------------


def test_status_answers_may_it_be_issued_with_review_dates_first(run_cli) -> None:  # type: ignore[no-untyped-def]
    add_overdue_leaflet()
    no_offer = Path("leaflets/PHY_0015-after-a-hip-replacement.txt")
    no_offer.write_text("\n".join(line for line in no_offer.read_text(encoding="utf-8").splitlines()
                                  if "another language or format" not in line) + "\n", encoding="utf-8")
    source = Path("leaflets/END_0031-sedation-fasting.md")
    source.write_text(source.read_text(encoding="utf-8").replace("6 hours", "8 hours"), encoding="utf-8")
    result = run_cli("status")
    assert result.code == 0
    out = result.out
    assert out.index("OVERDUE") < out.index("May it be issued now?")
    assert "ORT_0042  Caring for your plaster cast" in out
    assert "PHY_0015" in out and "no 'another language or format' offer line" in out
    lines = out.splitlines()
    assert any("Romanian (ro)" in line and "NO: it is incomplete: 46 of 47" in line for line in lines)
    end_pl = next(i for i, line in enumerate(lines) if line.startswith("END_0031")) + 1
    assert "Polish (pl)" in lines[end_pl] and "NO: the English leaflet has changed" in lines[end_pl]
    data = json.loads(run_cli("status", "--json").out)
    assert "buildable" not in json.dumps(data)
    rad = next(d for d in data if d["leaflet"] == "RAD_0102")
    assert {lang["locale"]: lang["may_issue"] for lang in rad["languages"]} == {
        "en_GB": "yes", "pl": "unchecked", "cy": "unchecked", "ur": "unchecked", "ro": "no"}


def test_status_lists_a_leaflet_due_within_90_days(run_cli) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    soon = dt.date.today() + dt.timedelta(days=40)
    text = (FIXTURES / "overdue.md").read_text(encoding="utf-8").replace(
        "Next review due: January 2024", f"Next review due: {soon:%B %Y}")
    Path("leaflets/ORT_0042-plaster-cast.md").write_text(text, encoding="utf-8")
    assert "DUE SOON  ORT_0042" in run_cli("status").out


def test_the_catalogue_page_lists_every_built_output(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build").code == 0
    assert run_cli("build", "--draft", "--locale", "ro", "leaflets/PHY_0015-after-a-hip-replacement.txt").code == 0
    result = run_cli("index")
    assert result.code == 0
    page = Path("output/index.html")
    text = page.read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(text)
    assert doc.get("lang") == "en-GB" and len(doc.findall(".//h1")) == 1
    assert "<script" not in text and not doc.xpath("//*[@src]"), "no scripts, nothing fetched"
    assert doc.xpath("//a[@class='skip']/@href") == ["#content"]
    assert all(th.get("scope") in ("col", "row") for th in doc.xpath("//table//th"))
    assert doc.xpath("//details/@id") == ["CARD_0040", "END_0031", "EYE_0112", "PHY_0015", "RAD_0102"]
    assert [" ".join(h.itertext()) for h in doc.xpath("//details/summary/h2")][-1] == "RAD_0102: CT-guided lung biopsy"
    links = {Path("output", href).resolve() for href in doc.xpath("//a/@href") if not href.startswith("#")}
    built = {p.resolve() for p in Path("output").rglob("*")
             if p.is_file() and p.parent.parent.parent == Path("output") and p.name != "manifest.json"}
    assert built and built <= links, sorted(built - links)[:5]
    assert all(link.exists() for link in links)
    body = " ".join(doc.find("body").itertext())
    assert "draft, not for patients" in body and "refused: it is incomplete" in body
    assert "not checked by a qualified translator" in body and "Reading age" in body


def test_make_request_for_people_who_only_use_make(tmp_path: Path) -> None:
    if not (ROOT / ".venv" / "bin" / "leaflet").exists() or not shutil.which("make"):
        pytest.skip("needs the venv made by `make` and GNU make")
    env = {**os.environ, "LEAFLET_DB": str(tmp_path / "r.sqlite")}
    args = ["make", "-s", "-C", str(ROOT), "request", "LEAFLET=lung", "LANG=Polish", "FORMAT=large-print",
            f"OUT={tmp_path / 'out'}", "REF=T-9"]
    refused = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and "ALLOW_UNCHECKED=1" in refused.stderr and refused.stdout == ""
    issued = subprocess.run([*args, "ALLOW_UNCHECKED=1"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert issued.returncode == 0, issued.stderr
    assert issued.stdout.strip() == str(tmp_path / "out" / "RAD_0102" / "pl" / "RAD_0102-pl-large-print.docx")
    [row] = rows(tmp_path / "r.sqlite")
    assert row["ref"] == "T-9" and "allow-unchecked" in str(row["overrides"])


def test_names_are_forgiving_in_build_and_sign_off_too(run_cli) -> None:  # type: ignore[no-untyped-def]
    built = run_cli("build", "--locale", "Polish", "--format", "TXT", "leaflets/END_0031-sedation-fasting.md")
    assert built.code == 0 and Path("output/END_0031/pl/END_0031-pl.txt").exists()
    typo = run_cli("build", "--locale", "Polsih", "leaflets/END_0031-sedation-fasting.md")
    assert typo.code == 2 and "did you mean" in typo.err
    signed = run_cli("i18n", "sign-off", "end0031", "Welsh", "--name", "A. Translator", "--qualification", "MCIL")
    assert signed.code == 0, signed.err
    assert "X-Checked-By: A. Translator" in Path("locales/cy/LC_MESSAGES/END_0031.po").read_text(encoding="utf-8")
    command = run_cli("reqest", "lung")
    assert command.code == 2 and "did you mean 'request'?" in command.err
    language = run_cli("request", "--ref", "T-1", "lung", "--locale", "Polsh", "--format", "text")
    assert language.code == 2 and "did you mean 'Polish'?" in language.err


def test_a_signed_off_translation_is_issued_without_an_override(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("i18n", "sign-off", "END_0031", "cy", "--name", "A. Translator", "--qualification", "MCIL",
                   "--date", "2026-11-01").code == 0
    result = run_cli("request", "fasting", "--locale", "Cymraeg", "--format", "docx", "--ref", "C-1")
    assert result.code == 0, result.err
    [row] = rows()
    assert row["translator_check"] == "checked" and str(row["checked_by"]).startswith("A. Translator")
    assert row["checked_on"] == "2026-11-01" and json.loads(str(row["overrides"])) == []
    lines = run_cli("status").out.splitlines()
    fasting = next(i for i, line in enumerate(lines) if "END_0031" in line)
    assert next(line for line in lines[fasting:] if "Welsh (cy)" in line).endswith("  yes")


def test_an_audio_request_records_the_engine_and_voice(run_cli_all) -> None:  # type: ignore[no-untyped-def]
    result = run_cli_all("request", "hip replacement", "--format", "mp3", "--tts", "espeak", "--ref", "AUD-1")
    assert result.code == 0, result.err
    path = Path(result.out.strip())
    assert path.name == "PHY_0015-en_GB.mp3" and path.stat().st_size > 10_000
    [row] = rows()
    assert row["format"] == "audio" and row["output_sha256"] == sha(path)
    engine = json.loads(str(row["options"]))["engine"]
    assert engine.startswith("eSpeak NG") and "voice en" in engine


@pytest.mark.parametrize("ref", ["T-1\nissue 99  2026-01-01  ref FAKE", "T-1\x1b]0;owned\x07", "T-1\u202eevil",
                                 "T-1\rX", "x" * 501], ids=["newline", "terminal-title", "bidi", "cr", "long"])
def test_a_reference_that_could_forge_rows_is_refused_and_nothing_recorded(run_cli, ref: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "lung", "--format", "text", "--ref", ref)
    assert result.code == 2 and "--ref" in result.err and "\n" not in result.err.strip()
    assert not DB.exists() or rows() == []


def test_sign_off_values_with_line_breaks_are_refused_and_nothing_written(run_cli) -> None:  # type: ignore[no-untyped-def]
    po = Path("locales/cy/LC_MESSAGES/END_0031.po")
    before = po.read_bytes()
    for option, value in (("--name", "A. Translator\nContent-Type: text/plain; charset=latin-1"),
                          ("--qualification", "MCIL\x00")):
        args = ["i18n", "sign-off", "END_0031", "cy", "--name", "A. Translator", "--qualification", "MCIL"]
        args[args.index(option) + 1] = value
        result = run_cli(*args)
        assert result.code == 2 and option in result.err
    assert po.read_bytes() == before


def test_csv_cells_never_run_as_formulas_and_old_rows_print_inert(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "lung", "--format", "text", "--ref", "=HYPERLINK(\"http://x\",\"y\")").code == 0
    assert run_cli("request", "lung", "--format", "html", "--ref", "@SUM(A1)").code == 0
    out = run_cli("requests", "--format", "csv").out
    assert "'=HYPERLINK" in out and "'@SUM(A1)" in out
    assert "\n=HYPERLINK" not in out and ",=HYPERLINK" not in out
    with sqlite3.connect(DB) as con:  # a row stored by an older version, before control characters were refused
        con.execute("UPDATE issued SET ref = ? WHERE id = 1", ("old\x1b[2Jrow",))
    table = run_cli("requests").out
    assert "\x1b" not in table and "old\\x1b[2Jrow" in table


def test_one_broken_leaflet_does_not_stop_the_desk(run_cli, caplog) -> None:  # type: ignore[no-untyped-def]
    Path("leaflets/BRK_0001-broken.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00 not a leaflet")
    Path("leaflets/BRK_0002-old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    served = run_cli("request", "lung", "--format", "text", "--ref", "T-7")
    assert served.code == 0, served.err
    said = " ".join(m for m in caplog.messages if "left out" in m)
    assert "BRK_0001-broken.md" in said and "BRK_0002-old.docx" in said
    assert run_cli("status").code == 0
    assert run_cli("index").code == 0
    assert run_cli("requests", "--affected-by", "lung").code == 0
    listed = run_cli("requests")
    assert listed.code == 0 and "T-7" in listed.out


def _twin(code: str, title: str = "Knee injections") -> Path:
    path = Path(f"leaflets/twin-{len(list(Path('leaflets').glob('twin-*')))}.md")
    path.write_text(f"---\ncode: {code}\n---\n# {title}\n\n## What happens\n\nA small injection into the knee.\n\n"
                    "Reviewed: May 2026. Next review due: May 2028.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("twin", ["RAD-0102", "rad_0102", "Rad0102", "RAD 0102", "ＲＡＤ－０１０２"])
def test_codes_that_differ_only_in_case_or_separator(run_cli, caplog, twin: str) -> None:  # type: ignore[no-untyped-def]
    path = _twin(f'"{twin}"')
    built = run_cli("build", "-f", "text")
    assert built.code == 2 and "differ" in built.err and str(path) in built.err, built.err
    assert "RAD_0102" in built.err
    exact = run_cli("request", "RAD_0102", "--format", "text", "--ref", "T-1")
    assert exact.code == 0, exact.err
    assert rows()[-1]["title"] == "CT-guided lung biopsy", "the code typed exactly wins"
    assert "differ only in case or separators" in caplog.text  # the desk is told
    ambiguous = run_cli("request", "--ref", "T-1", "rad0102x"[:-1] if twin != "rad_0102" else "RAD0102",
                        "--format", "text")
    assert ambiguous.code == 2 and "differ only in case or separators" in ambiguous.err and len(rows()) == 1
    signed = run_cli("i18n", "sign-off", "rad0102", "pl", "--name", "A. Translator", "--qualification", "MCIL")
    assert signed.code == 2 and "differ only in case" in signed.err


def test_a_fullwidth_code_is_its_plain_form_and_look_alike_letters_are_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    _twin('"ＫＮＥ_００１０"')
    info = run_cli("build", "-f", "text")
    assert info.code == 0, info.err
    assert Path("output/KNE_0010/en_GB/KNE_0010-en_GB.txt").exists()
    cyrillic = _twin('"КNE_0011"')  # a Cyrillic K
    refused = run_cli("build", "-f", "text")
    assert refused.code == 2 and "outside A-Z and 0-9" in refused.err and str(cyrillic) in refused.err


@pytest.mark.parametrize("name", ["(a+)+$", ".*", "a", "[", "%", "a b", "*", "^R", "\\d+"])
def test_a_pattern_or_a_letter_is_not_a_leaflet_name(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "--ref", "T-1", name, "--format", "text")
    assert result.code == 2 and result.out == "" and not DB.exists()
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("damage", ["options", "overrides", "text", "both"])
def test_a_damaged_row_is_reported_and_the_rest_listed(run_cli, damage: str) -> None:  # type: ignore[no-untyped-def]
    for ref in ("T-1", "T-2", "T-3"):
        assert run_cli("request", "lung", "--format", "text", "--ref", ref).code == 0
    with sqlite3.connect(DB) as con:
        if damage in ("options", "both"):
            con.execute("UPDATE issued SET options = '{not json' WHERE id = 2")
        if damage == "overrides":
            con.execute("UPDATE issued SET overrides = '[1, 2' WHERE id = 2")
        if damage in ("text", "both"):
            con.execute("UPDATE texts SET compressed = x'00112233'")
    listing = run_cli("requests")
    assert listing.code == 0 and "Traceback" not in listing.err
    assert "T-1" in listing.out and "T-3" in listing.out
    if damage != "text":
        assert "T-2" not in listing.out and "issue 2: cannot be read" in listing.err
    # The recall list after a correction: the rest are listed, what cannot be read is said.
    source = Path("leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    source.write_text(source.read_text(encoding="utf-8").replace("biopsy", "biopsy (sample)", 1), encoding="utf-8")
    recall = run_cli("requests", "--affected-by", "RAD_0102")
    assert recall.code == 0 and "Traceback" not in recall.err
    assert "T-1" in recall.out and "T-3" in recall.out
    if damage in ("text", "both"):
        assert "kept text" in recall.err and "not in the record" in recall.out


def test_a_database_that_is_not_a_record_is_named(run_cli) -> None:  # type: ignore[no-untyped-def]
    DB.parent.mkdir()
    with sqlite3.connect(DB) as con:
        con.execute("CREATE TABLE issued (id INTEGER PRIMARY KEY, patient TEXT)")
        con.execute("PRAGMA user_version = 1")
    for command in (["requests"], ["requests", "--affected-by", "RAD_0102"],
                    ["request", "lung", "--format", "text", "--ref", "T-1"]):
        result = run_cli(*command)
        assert result.code == 2 and "not a record of issued leaflets" in result.err, result.err
        assert "Traceback" not in result.err


def test_a_record_on_read_only_media_can_be_listed(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "lung", "--format", "text", "--ref", "T-9").code == 0
    assert run_cli("request", "lung", "--format", "html", "--ref", "T-10").code == 0
    with sqlite3.connect(DB) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    media = tmp_path / "cdrom"
    media.mkdir()
    shutil.copy(DB, media / "requests.sqlite")
    (media / "requests.sqlite").chmod(0o444)
    media.chmod(0o555)
    try:
        before = sha(media / "requests.sqlite")
        listing = run_cli("requests", "--db", media / "requests.sqlite")
        assert listing.code == 0, listing.err
        assert "T-9" in listing.out and "T-10" in listing.out
        recall = run_cli("requests", "--affected-by", "lung", "--db", media / "requests.sqlite")
        assert recall.code == 0, recall.err
        assert sha(media / "requests.sqlite") == before, "a record that is read is not changed"
    finally:
        media.chmod(0o755)


def test_where_sqlite_cannot_even_lock_the_record_is_read_as_immutable(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import records

    db = tmp_path / "r.sqlite"
    with records.Records(db):
        pass
    real = sqlite3.connect
    opened: list[str] = []

    def connect(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        opened.append(str(target))
        if "immutable=1" not in str(target):
            raise sqlite3.OperationalError("unable to open database file")  # what read-only media gives
        return real(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(records.sqlite3, "connect", connect)
    with records.Records(db, create=False) as record:
        assert record.rows() == []
    assert opened[-1].endswith("mode=ro&immutable=1")


def test_network_file_systems_are_told_from_local_ones(tmp_path: Path) -> None:
    from pipeline.records import network_filesystem

    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\n//fs01/leaflets /mnt/shared cifs rw 0 0\n"
                      "nas:/export /mnt/nfs nfs4 rw 0 0\n/dev/sdb1 /mnt/shared/local ext4 rw 0 0\n"
                      "server:/x /mnt/with\\040space nfs rw 0 0\n", encoding="utf-8")
    assert network_filesystem(Path("/mnt/shared/records/requests.sqlite"), str(mounts)) == "cifs"
    assert network_filesystem(Path("/mnt/nfs/r.sqlite"), str(mounts)) == "nfs4"
    assert network_filesystem(Path("/mnt/with space/r.sqlite"), str(mounts)) == "nfs"
    assert network_filesystem(Path("/mnt/shared/local/r.sqlite"), str(mounts)) is None
    assert network_filesystem(Path("/mnt/sharedother/r.sqlite"), str(mounts)) is None
    assert network_filesystem(Path("/home/r.sqlite"), str(tmp_path / "no-such-file")) is None


def test_a_record_on_a_network_drive_is_written_by_one_machine(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from pipeline import records

    monkeypatch.setattr(records, "network_filesystem", lambda path: "cifs")
    monkeypatch.setattr(records.socket, "gethostname", lambda: "desk-pc-1")
    assert run_cli("request", "lung", "--format", "text", "--ref", "T-1").code == 0
    assert run_cli("request", "lung", "--format", "text", "--ref", "T-2").code == 0
    with sqlite3.connect(DB) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "no WAL on a network drive"
    monkeypatch.setattr(records.socket, "gethostname", lambda: "ward-laptop")
    other = run_cli("request", "lung", "--format", "text", "--ref", "T-3")
    assert other.code == 2 and "network drive (cifs)" in other.err and "'desk-pc-1'" in other.err
    assert other.out == "" and [r["ref"] for r in rows()] == ["T-1", "T-2"]
    listing = run_cli("requests")
    assert listing.code == 0 and "T-2" in listing.out, "another machine may list it"
