"""The desk's record: every copy traceable, no patient data in it, recalls that get done."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from pipeline.exporters import FORMATS
from pipeline.names import UnknownName, resolve_format
from pipeline.references import modulus_11, patient_data
from tests.conftest import ROOT

DB = Path("records/requests.sqlite")


@pytest.fixture(autouse=True)
def own_record(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEAFLET_DB", raising=False)
    monkeypatch.delenv("LEAFLET_VIA_MAKE", raising=False)
    monkeypatch.setenv("LEAFLET_TZ", "Europe/London")


def rows() -> list[dict[str, object]]:
    with sqlite3.connect(DB) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT * FROM issued ORDER BY id")]


def nhs(nine: str) -> str:
    """A valid NHS number starting with ``nine`` digits (the first check digit that works)."""
    return next(nine + str(c) for c in range(10) if modulus_11(nine + str(c)))


# --- A reference that identifies a patient is refused -----------------------------------------

PATIENT_DATA = [
    # NHS and Health and Care numbers: valid check digit, however written
    (nhs("943476591"), "an NHS number"), (f"{nhs('943476591')[:3]} {nhs('943476591')[3:6]} {nhs('943476591')[6:]}",
                                          "an NHS number"),
    (f"T-55 {nhs('401023213')}", "an NHS number"), (f"nhs:{nhs('999000111')}", "an NHS number"),
    ("-".join([nhs("320123456")[:3], nhs("320123456")[3:6], nhs("320123456")[6:]]), "an NHS number"),
    # CHI numbers (DDMMYY + 4)
    ("1203564321", "a CHI number"), ("010190 1234", "a CHI number"), (nhs("120356432"), "a CHI number"),
    (f"chi {nhs('311299876')}", "a CHI number"),
    # postcodes
    ("RG1 5AN", "a postcode"), ("ticket rg15an", "a postcode"), ("SW1A 1AA", "a postcode"), ("EC1A1BB", "a postcode"),
    ("B33 8TH", "a postcode"), ("M1 1AE", "a postcode"),
    # dates (a date of birth cannot be told from other dates)
    ("DOB 12/03/1956", "a date"), ("12-3-56", "a date"), ("1956-03-12", "a date"), ("12 March 1956", "a date"),
    ("12 Mar 56", "a date"), ("March 12, 1956", "a date"), ("3rd of May 1960", "a date"), ("01.02.2003", "a date"),
    # a title and a name
    ("Mr Smith", "a name"), ("Mrs. O'Neil T-4", "a name"), ("Dr Patel", "a name"), ("Ms Kowalska", "a name"),
    ("Miss Jones", "a name"), ("Mx Taylor", "a name"), ("ref 12 Prof Evans", "a name"), ("Mr J Smith", "a name"),
    ("MRS JONES", "a name"),
    # e-mail addresses and phone numbers
    ("jo@example.com", "an e-mail address"), ("T-1 ann.lee+nhs@mail.example.org", "an e-mail address"),
    ("0118 496 0123", "a phone number"), ("07700 900123", "a phone number"), ("+44 118 496 0123", "a phone number"),
    ("call back 01632 960001", "a phone number"), ("(0191) 496 0000", "a phone number"),
]
TICKETS = ["T-1234", "REQ-2026-0012", "INC0012345", "ticket 4521", "1234567890", "Ward 7 request 12", "DR-5521",
           "MRSA-TEAM-3", "CASE 2026/118", "PALS 77812", "ref 12345678901", "SR4455", "Mrsa screen 12", "A&E 3",
           "MS clinic 12", "mr-ward-4"]


@pytest.mark.parametrize(("ref", "what"), PATIENT_DATA)
def test_patient_data_in_a_reference_is_found(ref: str, what: str) -> None:
    found = patient_data(ref)
    assert found is not None and found.startswith(what), (ref, found)


@pytest.mark.parametrize("ref", TICKETS)
def test_ticket_numbers_are_not_taken_for_patient_data(ref: str) -> None:
    assert patient_data(ref) is None


@pytest.mark.parametrize(("ref", "what"), [PATIENT_DATA[1], PATIENT_DATA[8], PATIENT_DATA[15], PATIENT_DATA[23],
                                           PATIENT_DATA[30], PATIENT_DATA[32]])
def test_a_request_with_patient_data_is_refused_with_nothing_written(run_cli, ref: str, what: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "lung", "--format", "text", "--ref", ref)
    assert result.code == 2 and result.out == "" and what in result.err and "nothing was made or recorded" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not DB.exists() and not Path("output/RAD_0102").exists()


def test_a_reference_is_required_or_no_ref_is_recorded_and_flagged(run_cli) -> None:  # type: ignore[no-untyped-def]
    refused = run_cli("request", "lung", "--format", "text")
    assert refused.code == 2 and "--ref" in refused.err and "ticket or request number" in refused.err
    assert "--no-ref" in refused.err and not DB.exists() and not Path("output/RAD_0102").exists()
    both = run_cli("request", "lung", "--format", "text", "--ref", "T-1", "--no-ref")
    assert both.code == 2 and not DB.exists()
    issued = run_cli("request", "lung", "--format", "text", "--no-ref", "--by", "A Clerk")
    assert issued.code == 0 and "NO reference" in issued.err
    [row] = rows()
    assert row["ref"] is None and json.loads(str(row["overrides"])) == [{"override": "no-ref", "reason": ""}]
    assert row["issued_by"] == "A Clerk"
    listing = run_cli("requests").out
    assert "NONE" in listing and "A Clerk" in listing and "no-ref" in listing
    _change_the_english()
    recall = run_cli("requests", "--affected-by", "RAD_0102").out
    assert "NO REFERENCE: cannot be traced to a patient" in recall and "by A Clerk" in recall


def test_the_issuer_is_recorded_by_default_as_the_login(run_cli) -> None:  # type: ignore[no-untyped-def]
    import getpass

    assert run_cli("request", "lung", "--format", "text", "--ref", "T-1").code == 0
    assert rows()[0]["issued_by"] == getpass.getuser()
    assert run_cli("request", "lung", "--format", "html", "--ref", "T-2", "--by", "Sam").code == 0
    assert rows()[1]["issued_by"] == "Sam"
    assert run_cli("request", "lung", "--format", "html", "--ref", "T-3", "--by", "Sam\nEvil").code == 2


# --- Times in local time -------------------------------------------------------------------------


@pytest.mark.parametrize(("stamp", "zone", "shown"), [
    ("2026-07-01T16:05:00+00:00", "Europe/London", "2026-07-01 17:05 BST (+01:00)"),
    ("2026-12-04T16:05:00+00:00", "Europe/London", "2026-12-04 16:05 GMT (+00:00)"),
    ("2026-03-29T00:30:00+00:00", "Europe/London", "2026-03-29 00:30 GMT (+00:00)"),
    ("2026-03-29T01:30:00+00:00", "Europe/London", "2026-03-29 02:30 BST (+01:00)"),
    ("2026-07-01T16:05:00+00:00", "America/New_York", "2026-07-01 12:05 EDT (-04:00)"),
    ("2026-07-01T16:05:00+00:00", "UTC", "2026-07-01 17:05 BST (+01:00)"),  # a machine on UTC: London
])
def test_times_are_shown_in_local_time_with_the_offset(monkeypatch: pytest.MonkeyPatch, stamp: str, zone: str,
                                                       shown: str) -> None:
    from pipeline.records import local_time

    monkeypatch.setenv("LEAFLET_TZ", zone)
    assert local_time(stamp) == shown


def test_the_record_stores_utc_and_lists_local_time(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "lung", "--format", "text", "--ref", "T-1").code == 0
    assert str(rows()[0]["issued_at"]).endswith("+00:00")
    listing = run_cli("requests").out
    assert " GMT (+00:00)" in listing or " BST (+01:00)" in listing
    assert json.loads(run_cli("requests", "--format", "json").out)[0]["issued_at"].endswith("+00:00")


# --- Void and resolve: entries added, rows never changed -----------------------------------------


def _change_the_english() -> None:
    source = Path("leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    text = source.read_text(encoding="utf-8")
    assert "0118 496 0123" in text
    source.write_text(text.replace("0118 496 0123", "0118 496 0999"), encoding="utf-8")


def test_a_row_is_voided_by_an_entry_and_never_changed(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "lung", "--format", "text", "--ref", "T-1").code == 0
    assert run_cli("request", "lung", "--format", "html", "--ref", "T-1").code == 0
    before = rows()
    assert run_cli("requests", "--void", "2").code == 2, "a reason is required"
    assert run_cli("requests", "--void", "9", "--reason", "typo").code == 2, "no such issue"
    voided = run_cli("requests", "--void", "2", "--reason", "entered twice by mistake", "--by", "Lee")
    assert voided.code == 0 and "issue 2 is now void" in voided.err
    assert rows() == before, "the rows themselves are unchanged"
    assert run_cli("requests", "--void", "2", "--reason", "again").code == 2, "already void"
    listing = run_cli("requests").out
    assert "void: entered twice by mistake (Lee, " in listing
    _change_the_english()
    recall = run_cli("requests", "--affected-by", "RAD_0102", "--format", "json").out
    assert [r["id"] for r in json.loads(recall)] == [1], "a void copy was never handed over: not recalled"
    everything = json.loads(run_cli("requests", "--affected-by", "RAD_0102", "--all", "--format", "json").out)
    assert [(r["id"], r["state"].split(":")[0]) for r in everything] == [(1, "open"), (2, "void")]


def test_a_recall_is_resolved_by_a_corrected_copy_or_by_hand(run_cli) -> None:  # type: ignore[no-untyped-def]
    for ref, fmt in (("T-1", "text"), ("T-2", "html"), ("T-3", "docx")):
        assert run_cli("request", "lung", "--format", fmt, "--ref", ref).code == 0
    _change_the_english()
    recall = run_cli("requests", "--affected-by", "RAD_0102")
    assert "3 issued cop(ies)" in recall.out and "--resolved N" in recall.out
    corrected = run_cli("request", "lung", "--format", "large-print", "--ref", "T-1")  # to the same patient
    assert corrected.code == 0
    by_hand = run_cli("requests", "--resolved", "2", "--reason", "patient informed by phone", "--by", "Kim")
    assert by_hand.code == 0
    still = run_cli("requests", "--affected-by", "RAD_0102")
    assert "1 issued cop(ies)" in still.out and "issue 3" in still.out and "issue 1 " not in still.out
    assert "2 more done" in still.out
    table = list(csv.DictReader(io.StringIO(run_cli("requests", "--affected-by", "RAD_0102", "--all",
                                                    "--format", "csv").out)))
    states = {row["id"]: row["state"] for row in table}
    assert states["1"] == "replaced by issue 4" and states["3"] == "open"
    assert states["2"].startswith("resolved: patient informed by phone (Kim, ")
    assert run_cli("requests", "--resolved", "2", "--reason", "again").code == 2, "already resolved"
    assert run_cli("requests", "--resolved", "3", "--reason", "rang Mr Smith").code == 2, "no patient data in reasons"
    assert run_cli("requests", "--resolved", "3", "--reason", "posted corrected copy").code == 0
    assert "No issued copy of RAD_0102" in run_cli("requests", "--affected-by", "RAD_0102").out


def test_make_status_and_the_index_say_what_is_to_put_right(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("request", "lung", "--format", "text", "--ref", "T-1").code == 0
    assert run_cli("request", "lung", "--format", "html", "--ref", "T-2").code == 0
    assert "none to put right" in run_cli("status").out
    _change_the_english()
    status = run_cli("status").out
    assert "RAD_0102: 2 issued cop(ies) not yet put right: make requests AFFECTED_BY=RAD_0102" in status
    assert json.loads(run_cli("status", "--json").out)[-1]["issued_to_put_right"] == 2
    index = run_cli("index")
    assert "RECALL: 2 issued cop(ies) of RAD_0102" in index.err and "make requests AFFECTED_BY=RAD_0102" in index.err
    page = Path("output/index.html").read_text(encoding="utf-8")
    assert "2 issued cop(ies) from an older version to put right" in page
    assert "make requests AFFECTED_BY=RAD_0102" in page
    assert run_cli("requests", "--resolved", "1", "--reason", "posted corrected copy").code == 0
    assert "RAD_0102: 1 issued" in run_cli("status").out


# --- make users ----------------------------------------------------------------------------------


def test_messages_through_make_name_make_variables(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LEAFLET_VIA_MAKE", "1")
    no_format = run_cli("request", "lung", "--ref", "T-1")
    assert no_format.code == 2 and "FORMAT=" in no_format.err and "LIST=1" in no_format.err
    assert "--format" not in no_format.err and "--list" not in no_format.err
    no_ref = run_cli("request", "lung", "--format", "text")
    assert "REF=" in no_ref.err and "NO_REF=1" in no_ref.err and "--ref" not in no_ref.err
    assert "VOID=" in run_cli("requests", "--void", "1").err or "REASON=" in run_cli("requests", "--void", "1").err


@pytest.mark.skipif(shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "leaflet").exists(),
                    reason="needs GNU make and the venv made by `make`")
@pytest.mark.parametrize("words", [["FORMAT=web", "page"], ["FORMAT=large", "print"], ["REASON=posted", "copy"]])
def test_an_unquoted_value_with_spaces_issues_nothing(tmp_path: Path, words: list[str]) -> None:
    env = {**os.environ, "LEAFLET_DB": str(tmp_path / "r.sqlite")}
    args = ["make", "-s", "-C", str(ROOT), "request", "LEAFLET=fasting", "LANG=Welsh", "REF=T-77",
            "ALLOW_UNCHECKED=1", f"OUT={tmp_path / 'out'}", *words]
    if words[0].startswith("REASON"):
        args.append("FORMAT=text")
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and done.stdout == ""
    assert f"{words[1]}" in done.stderr and "is not part of the request" in done.stderr
    assert "FORMAT='web page'" in done.stderr and "nothing was made or recorded" in done.stderr
    assert not (tmp_path / "r.sqlite").exists() and not (tmp_path / "out").exists()
    quoted = subprocess.run([a for a in args if a not in words[1:]] if not words[0].startswith("FORMAT=web") else
                            [*[a for a in args if a not in words], "FORMAT=web page"],
                            env=env, capture_output=True, text=True, timeout=300)
    if words[0].startswith("FORMAT=web"):
        assert quoted.returncode == 0, quoted.stderr
        assert quoted.stdout.strip().endswith("END_0031-cy.html")


# --- Guidance at the desk -------------------------------------------------------------------------


@pytest.mark.parametrize(("said", "meant"), [
    ("phone", "html"), ("mobile", "html"), ("read on my phone", "html"), ("Read on my phone", "html"),
    ("smartphone", "html"), ("on my phone", "html"), ("listen", "audio"), ("CD", "audio"), ("spoken", "audio"),
    ("read to me", "audio"), ("big print", "large-print"), ("Big Print", "large-print"), ("large text", "large-print"),
    ("e-book", "epub"), ("braille", "braille"),
])
def test_the_words_patients_use_name_formats(said: str, meant: str) -> None:
    assert resolve_format(said, FORMATS).name == meant


@pytest.mark.parametrize("said", ["email", "e-mail", "Email", "by email"])
def test_email_asks_which_of_the_two(said: str) -> None:
    with pytest.raises(UnknownName) as refused:
        resolve_format(said, FORMATS)
    assert "'html'" in str(refused.value) and "'text'" in str(refused.value)


@pytest.mark.parametrize(("typed", "suggestion"), [
    ("larg-print", "large-print"), ("audoi", "audio"), ("brail", "braille"), ("epbu", "epub"),
    ("giant-prnt", "giant-print"),
    ("fax", None), ("colour", None), ("tape", None), ("xy", None),
])
def test_a_suggestion_is_plausible_or_absent(typed: str, suggestion: str | None) -> None:
    with pytest.raises(UnknownName) as refused:
        resolve_format(typed, FORMATS)
    message = str(refused.value)
    if suggestion:
        assert f"did you mean {suggestion!r}" in message
    else:
        assert "did you mean" not in message


def test_a_language_suggestion_is_plausible_or_absent(run_cli) -> None:  # type: ignore[no-untyped-def]
    french = run_cli("request", "lung", "--locale", "fr", "--format", "text", "--ref", "T-1")
    assert french.code == 2 and "no French version" in french.err and "'ur'" not in french.err
    slip = run_cli("request", "lung", "--locale", "Polsih", "--format", "text", "--ref", "T-1")
    assert slip.code == 2 and "did you mean 'Polish'" in slip.err
    nothing = run_cli("request", "lung", "--locale", "Qwz", "--format", "text", "--ref", "T-1")
    assert nothing.code == 2 and "did you mean" not in nothing.err


def test_a_patient_word_is_said_back_in_a_note(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("request", "lung", "--format", "read on my phone", "--ref", "T-1")
    assert result.code == 0 and result.out.strip().endswith(".html")
    assert "note: 'read on my phone' is html" in result.err


def test_the_help_says_what_to_give() -> None:
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "pipeline.cli", "request", "--help"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    for words in ("What to give", "read it on a phone", "listen", "big print", "braille", "their own language",
                  "--ref is required"):
        assert words in done.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "**What to give.**" in readme and "| read braille |" in readme
