"""Benchmark: `make bench`.  Prints ratios against peers measured in the same run.

Figures:
* a corpus of 200 leaflets generated from leaflets/ (2 to 12 pages each);
* full build, no-op rebuild, rebuild after editing one leaflet (how many files it rebuilt);
* our DOCX export against pandoc on the same Markdown, one pandoc process per leaflet;
* peak memory of a full build.

Run from the project root: ``python bench/bench.py [--leaflets N]``.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
LEAFLET = [sys.executable, "-m", "pipeline.cli"]


def make_corpus(count: int) -> list[Path]:
    """Leaflets of 2 to 12 pages, made by repeating the example leaflets' sections."""
    corpus = WORK / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    examples = sorted((ROOT / "leaflets").glob("*.md"))
    rng = random.Random(67)
    paths = []
    for n in range(1, count + 1):
        text = examples[n % len(examples)].read_text(encoding="utf-8")
        head, _, rest = text.partition("\n## ")
        body, _, tail = ("## " + rest).rpartition("\n## Contacting us")
        pages = rng.randint(2, 12)
        # About 1,500 characters of leaflet Markdown fill an A4 page of the standard DOCX (measured).
        repeats = max(1, round((pages * 1500 - len(head) - len(tail)) / len(body)))
        parts = [head]
        for r in range(repeats):
            parts.append(re.sub(r"^## (.*)$", rf"## \1 (part {r + 1})", body, flags=re.M))
        parts.append("\n## Contacting us" + tail)
        source = "\n".join(parts)
        source = re.sub(r"^(RAD|END)\\?_\d+$", f"BEN_{n:04d}", source, flags=re.M)
        path = corpus / f"BEN_{n:04d}-leaflet.md"
        path.write_text(source, encoding="utf-8")
        paths.append(path)
    return paths


def run(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(args[:4])}... failed:\n{done.stderr}")
    return elapsed, done.stderr


def built_count(stderr: str) -> int:
    m = re.search(r"(\d+) file\(s\) built", stderr)
    return int(m.group(1)) if m else -1


def audio_rows() -> list[tuple[str, str]]:
    """Audio of the reference leaflet with the offline engine: real-time factor, warm-cache rebuild."""
    reference = ROOT.parent / "shared" / "leaflets" / "RAD_0067-sacroplasty.md"
    source = reference if reference.exists() else ROOT / "leaflets" / "RAD_0102-ct-guided-lung-biopsy.md"
    out = WORK / "audio"
    shutil.rmtree(out, ignore_errors=True)
    base = [*LEAFLET, "build", "-q", "--format", "audio", "--tts", "espeak", "--out", str(out), str(source)]
    # One core, as the target says.
    cold, _ = run(["taskset", "-c", "0", *base] if shutil.which("taskset") else base)
    warm, _ = run(["taskset", "-c", "0", *base, "--force"] if shutil.which("taskset") else [*base, "--force"])
    from mutagen.mp3 import MP3

    seconds = MP3(next(out.rglob("*-en_GB.mp3"))).info.length
    return [("audio, offline voice, one core: seconds of audio per second",
             f"{seconds / cold:.0f}x real time ({seconds / 60:.1f} min of audio in {cold:.1f} s, MP3 encoding "
             f"and start-up included; target 20x)"),
            ("audio rebuild with a warm cache (no synthesis, re-encode)", f"{warm:.1f} s")]


def readability_rows() -> list[tuple[str, str]]:
    """Scoring time per leaflet after start-up, against textstat alone on the raw Markdown."""
    sys.path.insert(0, str(ROOT))
    from pipeline.readability.metrics import _textstat
    from pipeline.readability.report import analyse
    from pipeline.readers import read_leaflet

    reference = ROOT.parent / "shared" / "leaflets" / "RAD_0067-sacroplasty.md"
    sources = [reference] if reference.exists() else sorted((ROOT / "leaflets").glob("*.md"))
    leaflets = [read_leaflet(str(p)) for p in sources]
    raw = [p.read_text(encoding="utf-8") for p in sources]
    textstat = _textstat()
    for leaflet in leaflets:
        analyse(leaflet)  # start-up: load the dictionary, compile patterns
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        for leaflet in leaflets:
            analyse(leaflet)
    ours = (time.perf_counter() - started) / (runs * len(leaflets))
    started = time.perf_counter()
    for _ in range(runs):
        for text in raw:
            textstat.flesch_kincaid_grade(text + " " * _)  # defeat textstat's cache
    plain = (time.perf_counter() - started) / (runs * len(raw))
    return [("readability: score one leaflet after start-up",
             f"{ours * 1000:.1f} ms (target under 50 ms); {ours / plain:.1f}x the time of one textstat "
             f"formula on the raw Markdown, for five formulas per leaflet, section and sentence")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leaflets", type=int, default=200)
    args = parser.parse_args()
    corpus = make_corpus(args.leaflets)
    out = WORK / "out"
    shutil.rmtree(out, ignore_errors=True)
    sources = [str(p) for p in corpus]
    rows: list[tuple[str, str]] = []

    # Every document format but the LibreOffice PDF, which is measured on its own below.
    every = [arg for name in ("text", "docx", "large-print", "giant-print", "html") for arg in ("-f", name)]
    full, err = run([*LEAFLET, "build", "-q", *every, "--out", str(out), *sources])
    files = built_count(err)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    noop, err = run([*LEAFLET, "build", "-q", *every, "--out", str(out), *sources])
    assert built_count(err) == 0, err
    edited = corpus[len(corpus) // 2]
    edited.write_text(edited.read_text(encoding="utf-8").replace("hours", "hours.", 1), encoding="utf-8")
    edit, err = run([*LEAFLET, "build", "-q", *every, "--out", str(out), *sources])
    rebuilt = built_count(err)

    rows.append(("leaflets in corpus", f"{len(corpus)}"))
    rows.append(("full build (text, docx, large-print, giant-print, html)", f"{full:.2f} s, {files} files, "
                 f"{len(corpus) / full:.1f} leaflets/s"))
    rows.append(("no-op rebuild", f"{noop:.3f} s: full build / no-op = **{full / noop:.0f}x** (target 50x)"))
    rows.append(("rebuild after editing one leaflet",
                 f"{edit:.3f} s, {rebuilt} files rebuilt (one leaflet's formats)"))
    rows.append(("peak memory (full build)", f"{peak_mb:.0f} MB"))

    docx_out = WORK / "docx"
    shutil.rmtree(docx_out, ignore_errors=True)
    ours, _ = run([*LEAFLET, "build", "-q", "--format", "docx", "--out", str(docx_out), *sources])
    ours_rate = len(corpus) / ours
    large_out = WORK / "large"
    shutil.rmtree(large_out, ignore_errors=True)
    large, _ = run([*LEAFLET, "build", "-q", "--format", "large-print", "--out", str(large_out), *sources])
    rows.append(("large-print DOCX vs standard DOCX (ms per leaflet)",
                 f"{1000 * large / len(corpus):.0f} vs {1000 * ours / len(corpus):.0f}: "
                 f"ratio {large / ours:.2f}"))
    if shutil.which("soffice"):
        pdf_out = WORK / "pdf"
        shutil.rmtree(pdf_out, ignore_errors=True)
        few = sources[:5]
        pdf, _ = run([*LEAFLET, "build", "-q", "--format", "large-print-pdf", "--out", str(pdf_out), *few])
        rows.append(("large-print PDF via LibreOffice (s per leaflet)",
                     f"{pdf / len(few):.2f} s, {pdf / len(few) / (large / len(corpus)):.0f}x the large-print DOCX"))
    if shutil.which("pandoc"):
        pandoc_out = WORK / "pandoc"
        pandoc_out.mkdir(exist_ok=True)
        started = time.perf_counter()
        for path in corpus:
            subprocess.run(["pandoc", str(path), "-o", str(pandoc_out / (path.stem + ".docx"))], check=True)
        pandoc_rate = len(corpus) / (time.perf_counter() - started)
        rows.append(("DOCX: ours vs pandoc (leaflets/s)",
                     f"{ours_rate:.1f} vs {pandoc_rate:.1f}: ratio **{ours_rate / pandoc_rate:.2f}** (target 1.0)"))
    else:
        rows.append(("DOCX: ours vs pandoc", f"{ours_rate:.1f} leaflets/s; pandoc not installed, no ratio"))

    rows.extend(readability_rows())
    rows.extend(audio_rows())

    print(f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print()
    print("| measure | result |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
