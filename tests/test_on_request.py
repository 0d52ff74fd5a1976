"""Formats made only on request (``leaflet.toml``): the nightly build stays short, the desk still gets them."""

from __future__ import annotations

from pathlib import Path

import lxml.html

SOURCE = "leaflets/PHY_0015-after-a-hip-replacement.txt"


def test_make_leaves_on_request_formats_to_the_desk(run_cli) -> None:  # type: ignore[no-untyped-def]
    Path("leaflet.toml").write_text('[build]\non_request = ["epub", "Web page"]\n', encoding="utf-8")
    built = run_cli("build", SOURCE)
    assert built.code == 0 and "made only on request (leaflet.toml): epub, html" in built.err
    folder = Path("output/PHY_0015/en_GB")
    assert (folder / "PHY_0015-en_GB.txt").exists() and (folder / "PHY_0015-en_GB.docx").exists()
    assert not list(Path("output").rglob("*.epub")) and not list(Path("output").rglob("*.html"))
    status = run_cli("status").out
    assert "Made only on request (leaflet.toml), not by make: epub, html" in status
    assert run_cli("index").code == 0
    page = lxml.html.document_fromstring(Path("output/index.html").read_text(encoding="utf-8"))
    text = "".join(page.find("body").itertext())
    assert "Made on request (./leaflet request): html, epub" in text
    [summary] = page.xpath("//details[@id='PHY_0015']/summary")
    assert "not built or out of date" not in "".join(summary.itertext()), "what waits for a request is not 'to do'"
    asked = run_cli("request", "PHY_0015", "--format", "epub", "--ref", "T-5")
    assert asked.code == 0 and asked.out.strip().endswith("PHY_0015-en_GB.epub")
    named = run_cli("build", "--format", "html", SOURCE)
    assert named.code == 0 and (folder / "PHY_0015-en_GB.html").exists(), "--format builds it when named"


def test_a_bad_setting_is_one_line(run_cli) -> None:  # type: ignore[no-untyped-def]
    for text, says in (('[build]\non_request = ["podcast"]\n', "unknown format 'podcast'"),
                       ('[build]\non_request = "audio"\n', "must be a list of format names"),
                       ("[build\n", "cannot read it")):
        Path("leaflet.toml").write_text(text, encoding="utf-8")
        result = run_cli("build", SOURCE)
        assert result.code == 2 and says in result.err and len(result.err.strip().splitlines()) == 1, result.err
    Path("leaflet.toml").unlink()
    assert run_cli("build", "--format", "text", SOURCE).code == 0, "without the file, everything as before"


def test_a_large_library_leaves_speech_to_requests_unless_leaflet_toml_says(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.config as config

    leaflets = len(list(Path("leaflets").iterdir()))
    monkeypatch.setattr(config, "LARGE_LIBRARY", leaflets - 1)  # as if the examples were a library over the size
    large = run_cli("build", "-l", "en_GB")
    assert large.code == 0, large.err
    assert f"made only on request (a library of {leaflets} leaflets, over {leaflets - 1}; on_request = [] in " \
           "leaflet.toml builds them all): audio, epub" in large.err
    assert not list(Path("output").rglob("*.epub")) and list(Path("output").rglob("*.docx"))
    assert f"Made only on request (a library of {leaflets} leaflets" in run_cli("status").out
    Path("leaflet.toml").write_text("[build]\non_request = []\n", encoding="utf-8")
    everything = run_cli("build", "-l", "en_GB")
    assert "made only on request" not in everything.err and len(list(Path("output").rglob("*.epub"))) == leaflets
    Path("leaflet.toml").write_text("[build]\n", encoding="utf-8")  # a [build] table that does not say
    assert "made only on request (a library of" in run_cli("build", "-l", "en_GB").err
    Path("leaflet.toml").unlink()
    monkeypatch.setattr(config, "LARGE_LIBRARY", leaflets)  # at the size, not over it: everything
    assert "made only on request" not in run_cli("build", "-l", "en_GB").err
