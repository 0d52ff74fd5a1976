"""``leaflet readability``: print one report, or write every leaflet's JSON and HTML reports."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.output import SourceIndex, sha256, tool_fingerprint, write_atomic


def report_for(source: str, fmt: str, locale: str | None, locales_dir: Path, target: float, margin: float,
               long_words: int) -> str:
    """One leaflet's report as text, JSON or HTML; for a translation where a formula exists."""
    from pipeline.readability.metrics import scored
    from pipeline.readability.report import analyse, to_html, to_json, to_text
    from pipeline.readers import read_leaflet

    leaflet = read_leaflet(source)
    if locale and locale != leaflet.meta.language:
        from pipeline.i18n.catalogues import english_language_name, language_name, po_path, read_catalog
        from pipeline.i18n.translate import review, translate

        name = f"{language_name(locale)} ({english_language_name(locale)})"
        if not scored(locale):
            return f"{leaflet.meta.code}: no validated readability formula for {name}\n"
        po = po_path(leaflet.meta.code, locale, locales_dir)
        catalog = read_catalog(po, locale)
        leaflet = translate(leaflet, catalog, locale, review(leaflet, catalog, locale, po), draft=True)
    elif not scored(leaflet.meta.language):
        from pipeline.i18n.catalogues import english_language_name

        return (f"{leaflet.meta.code}: written in {english_language_name(leaflet.meta.language)}, for which there "
                "is no validated readability formula: not scored\n")
    report = analyse(leaflet, target, margin, long_words)
    return {"text": to_text, "json": to_json, "html": to_html}[fmt](report)


def write_reports(sources: list[str], out: Path, target: float, margin: float, long_words: int) -> list[str]:
    """Write ``out/<CODE>/readability.json`` and ``.html`` for each source whose report is not current.

    Returns one line per leaflet above the gate (a warning: ``make`` does not stop for it).
    """
    from pipeline.readability.metrics import scored
    from pipeline.readers import read_leaflet, read_source_bytes

    lines = []
    index = SourceIndex.load(out)
    for source in sources:
        data = read_source_bytes(source)
        source_sha = sha256(data)
        key = sha256(json.dumps([source_sha, tool_fingerprint(), target, margin, long_words]).encode())
        known = index.lookup(str(Path(source).resolve()), source_sha)  # spares parsing an unchanged leaflet
        leaflet = None if known else read_leaflet(source, data)
        code = known[0] if known else leaflet.meta.code if leaflet else ""
        language = known[1] if known else leaflet.meta.language if leaflet else "en_GB"
        if not scored(language):  # a leaflet written in Welsh, say: no formula to score it with
            continue
        folder = out / code
        json_path = folder / "readability.json"
        existing = _load(json_path)
        if existing.get("key") == key and (folder / "readability.html").exists():
            report_age, over = existing.get("reading_age"), existing.get("over_gate")
        else:
            from pipeline.readability.report import analyse, to_html, to_json

            report = analyse(leaflet or read_leaflet(source, data), target, margin, long_words)
            payload = json.loads(to_json(report))
            payload["key"] = key
            write_atomic(folder / "readability.html", to_html(report).encode("utf-8"))
            write_atomic(json_path, (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            report_age, over = report.reading_age, report.over_gate
        if over:
            lines.append(f"leaflet: warning: {source}: reading age {report_age} is more than {margin:g} years "
                         f"above the target {target:g} ('leaflet readability {source}' says what to change)")
    return lines


def _load(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
