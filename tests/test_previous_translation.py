"""An editorial change to the English must not take a language from the desk: the last good
translation stays issuable with an override that shows what changed, and is recorded so a recall finds it."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

END = Path("leaflets/END_0031-sedation-fasting.md")


def _edit_english(old: str, new: str) -> None:
    text = END.read_text(encoding="utf-8")
    assert old in text
    END.write_text(text.replace(old, new), encoding="utf-8")


def test_a_previous_translation_is_issued_with_the_override_showing_what_changed(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", END, "-l", "cy", "-f", "docx", "-f", "text").code == 0
    kept = Path("output-previous/END_0031/cy/END_0031-cy.docx")
    assert kept.exists() and json.loads(Path("output-previous/END_0031/cy/previous.json").read_text())["files"]
    _edit_english("Sedation makes you relaxed", "Sedation makes you feel relaxed")
    assert run_cli("build", END, "-l", "cy", "-f", "docx").code in (0, 1)
    assert not Path("output/END_0031/cy/END_0031-cy.docx").exists(), "the old translation is not built as current"
    assert kept.exists(), "but it is kept"
    refused = run_cli("request", "END_0031", "--locale", "cy", "--format", "docx", "--ref", "T-9",
                      "--allow-unchecked")
    assert refused.code == 1 and "--allow-previous-translation" in refused.err, refused.err
    no_reason = run_cli("request", "END_0031", "--locale", "cy", "--format", "docx", "--ref", "T-9",
                        "--allow-previous-translation", "--allow-unchecked")
    assert no_reason.code == 2 and "needs --reason" in no_reason.err
    served = run_cli("request", "END_0031", "--locale", "cy", "--format", "docx", "--ref", "T-9",
                     "--allow-previous-translation", "--allow-unchecked", "--reason", "patient leaves today")
    assert served.code == 0, served.err
    assert "PREVIOUS TRANSLATION" in served.err
    assert "section 'Why must I fast?': now 'Sedation makes you feel relaxed" in served.err
    handed = Path(served.out.strip())
    assert handed == kept and docx.Document(str(handed)).paragraphs, "a real Word file, the one kept"
    listed = json.loads(run_cli("requests", "--format", "json").out)
    [row] = [r for r in listed if r["ref"] == "T-9"]
    assert row["overrides"] == ("allow-previous-translation (patient leaves today); "
                                "allow-unchecked (patient leaves today)")
    assert row["output"] == "output-previous/END_0031/cy/END_0031-cy.docx"
    recall = run_cli("requests", "--affected-by", "END_0031")
    assert "T-9" in recall.out and "the leaflet has changed since" in recall.out, recall.out


def test_an_unreadable_catalogue_leaves_its_last_good_files_issuable(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", END, "-l", "pl", "-f", "text").code == 0
    po = Path("locales/pl/LC_MESSAGES/END_0031.po")
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "', 'msgstr ', 1), encoding="utf-8")
    served = run_cli("request", "END_0031", "--locale", "pl", "--format", "text", "--ref", "T-10",
                     "--allow-previous-translation", "--allow-unchecked", "--reason", "ward request")
    assert served.code == 0, served.err
    assert "the English is the same" in served.err
    assert Path(served.out.strip()).read_text(encoding="utf-8").startswith(
        Path("output-previous/END_0031/pl/END_0031-pl.txt").read_text(encoding="utf-8")[:40])


@pytest.mark.parametrize("damage", ["file changed", "state forged"])
def test_a_kept_file_that_changed_is_not_handed_over(run_cli, damage: str) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", END, "-l", "cy", "-f", "text").code == 0
    folder = Path("output-previous/END_0031/cy")
    if damage == "file changed":
        (folder / "END_0031-cy.txt").write_text("something else", encoding="utf-8")
    else:
        state = json.loads((folder / "previous.json").read_text())
        state["files"]["text"]["name"] = "../../../leaflets/END_0031-sedation-fasting.md"
        (folder / "previous.json").write_text(json.dumps(state))
    _edit_english("Sedation makes you relaxed", "Sedation makes you feel relaxed")
    served = run_cli("request", "END_0031", "--locale", "cy", "--format", "text", "--ref", "T-11",
                     "--allow-previous-translation", "--allow-unchecked", "--reason", "x")
    assert served.code == 1 and "No earlier text of it was kept" in served.err, served.err
