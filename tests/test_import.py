"""``leaflet import``: a whole existing library read, and a report the team can work down."""

from __future__ import annotations

import json
from pathlib import Path

from tests.pdfmake import pdf
from tests.test_pdf import LEFT, RIGHT, _two_columns
from tests.test_word import OLE
from tests.wordml import docx, p, picture_run, r

END = p("Leaflet code: {code}") + p("Reviewed: March 2026. Next review due: March 2029.")


def _library(root: Path) -> Path:
    from tests.test_pictures import png

    lib = root / "library"
    (lib / "cardiology").mkdir(parents=True)
    (lib / "eyes").mkdir()
    tracked = ('<w:ins w:id="1" w:author="A. Editor">' + r("Take it with food.") + "</w:ins>")
    (lib / "cardiology" / "tracked.docx").write_bytes(docx(p("Your new tablets", "Title") + p(runs=tracked)
                                                           + END.replace("{code}", "CAR_0001")))
    (lib / "cardiology" / "fine.docx").write_bytes(docx(p("Your heart scan", "Title") + p("A scan of your heart.")
                                                        + END.replace("{code}", "CAR_0002")))
    (lib / "cardiology" / "copy.docx").write_bytes(docx(p("Your heart scan again", "Title") + p("Text.")
                                                        + END.replace("{code}", "CAR_0002")))
    (lib / "cardiology" / "picture.docx").write_bytes(docx(
        p("Your pacemaker", "Title") + p(runs=picture_run("rIdP", None, "Picture 4")) + p("Text about it.")
        + END.replace("{code}", "CAR_0003"), media={"rIdP": png()}))
    (lib / "cardiology" / "old.doc").write_bytes(OLE)
    (lib / "cardiology" / "~$tracked.docx").write_bytes(b"lock")
    (lib / "cardiology" / "budget.xlsx").write_bytes(b"PK")
    page = _two_columns(LEFT, RIGHT)
    page.text(60, 780, "Leaflet code: EYE_0200")
    (lib / "eyes" / "columns.pdf").write_bytes(pdf([page]))
    (lib / "eyes" / "overdue.md").write_text("# Your eye test\n\nA short test.\n\nEYE_0300\n\nReviewed: March 2020. "
                                             "Next review due: March 2022.\n", encoding="utf-8")
    (lib / "eyes" / "undated.md").write_text("# Your glasses\n\nHow to get them.\n\nEYE_0400\n", encoding="utf-8")
    return lib


def test_import_reports_every_file_sorted_for_the_team(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib = _library(tmp_path)
    result = run_cli("import", lib, "--jobs", "2", "--report", tmp_path / "report.html")
    assert result.code == 0, result.err
    out = result.out
    order = [line.split("  (")[0] for line in out.splitlines() if line.startswith(str(lib))]
    names = [Path(x).name for x in order]
    assert names[:2] == ["old.doc", "~$tracked.docx"], "files that cannot be read come first"
    assert set(names[2:4]) == {"tracked.docx", "columns.pdf"}, "then drafts"
    assert "fine.docx" in names and "budget.xlsx" not in names
    assert "Word 97-2003" in out and "lock file" in out
    assert "draft: 1 tracked change(s) not yet accepted or rejected (by A. Editor)" in out
    assert "reading order uncertain: page 1 is set in two columns" in out
    assert "1 picture(s) without alt text" in out and "review overdue since March 2022" in out
    assert "no review date" in out and "leaflet code CAR_0002 is also used by" in out
    assert "Not leaflet files, passed over: 1:" in out and "budget.xlsx" in out
    assert out.splitlines()[0].startswith("9 leaflet file(s): 7 read, 2 cannot be read, 2 draft(s)")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'lang="en-GB"' in page
    assert page.count("<tr><th scope=\"row\">") == 10 and "Your pacemaker" in page and "found in" in page.lower()
    assert "footer" not in page or "code: footer" in page


def test_import_json_and_bad_folder(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib = _library(tmp_path)
    result = run_cli("import", lib, "--json", "--jobs", "1", "--report", tmp_path / "r.html")
    rows = json.loads(result.out)
    fine = next(r for r in rows if r["path"].endswith("fine.docx"))
    assert fine["code"] == "CAR_0002" and fine["needs"] == [] or any("also used" in n for n in fine["needs"])
    assert fine["next_review"] == "2029-03" and fine["kind"] == "Word"
    missing = run_cli("import", tmp_path / "nowhere")
    assert missing.code == 2 and "is not a folder" in missing.err
    assert not Path("output/import-report.html").exists()
